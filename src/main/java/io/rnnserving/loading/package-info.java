/** Readers that turn a model file (.keras, .h5, weights + config, own JSON) into an immutable model. */
@NullMarked
package io.rnnserving.loading;

import org.jspecify.annotations.NullMarked;
