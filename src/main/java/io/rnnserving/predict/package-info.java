/** POST /predict: the service's own JSON protocol, a thin adapter to the served model. */
@NullMarked
package io.rnnserving.predict;

import org.jspecify.annotations.NullMarked;
