/** GET /model: the served model as Keras' model.summary() shows it. */
@NullMarked
package io.rnnserving.modelinfo;

import org.jspecify.annotations.NullMarked;
