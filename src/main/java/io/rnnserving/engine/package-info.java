/** The forward pass in plain Java: layers, activations, step kernels. No Spring, no JSON, no file formats. */
@NullMarked
package io.rnnserving.engine;

import org.jspecify.annotations.NullMarked;
