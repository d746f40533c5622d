package io.rnnserving.engine;

import org.jspecify.annotations.Nullable;

/**
 * Why a batch cannot go through a model, at a place a protocol can point to: the value at sample {@code sample},
 * step {@code step} (with one feature, such as a token id), or the whole sample when {@code step} is null.
 */
public record InputProblem(int sample, @Nullable Integer step, String message) {
}
