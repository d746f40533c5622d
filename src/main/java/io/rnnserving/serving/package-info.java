/** The served model, its one engine call, and the binder that checks every request's model input once. */
@NullMarked
package io.rnnserving.serving;

import org.jspecify.annotations.NullMarked;
