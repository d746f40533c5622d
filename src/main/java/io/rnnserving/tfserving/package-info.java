/** TensorFlow Serving REST API (predict, status, metadata): a thin adapter to the one engine call. */
@NullMarked
package io.rnnserving.tfserving;

import org.jspecify.annotations.NullMarked;
