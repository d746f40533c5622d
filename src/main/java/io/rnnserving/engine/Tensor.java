package io.rnnserving.engine;

import org.jspecify.annotations.Nullable;

/**
 * The values passing from one layer to the next: either N×T×W sequences, padded to the longest
 * sample, with each sample's own length and an optional Keras mask, or N×W vectors.
 *
 * @param values  row-major; a sequence row is {@code (sample * steps + step) * width}
 * @param steps   T for sequences, 0 for vectors
 * @param lengths each sample's valid steps (sequences only)
 * @param mask    N×T, false where a Masking layer hid the step; null when nothing is masked
 */
record Tensor(double[] values, int samples, int steps, int width, int @Nullable [] lengths,
              boolean @Nullable [] mask) {

    static Tensor sequences(double[] values, int samples, int steps, int width, int[] lengths,
                            boolean @Nullable [] mask) {
        return new Tensor(values, samples, steps, width, lengths, mask);
    }

    static Tensor vectors(double[] values, int samples, int width) {
        return new Tensor(values, samples, 0, width, null, null);
    }

    boolean isSequence() {
        return steps > 0;
    }

    /** Rows a position-wise layer (Dense, Activation) transforms: N×T for sequences, N for vectors. */
    int rows() {
        return isSequence() ? samples * steps : samples;
    }

    Tensor withValues(double[] newValues, int newWidth) {
        return new Tensor(newValues, samples, steps, newWidth, lengths, mask);
    }

    Tensor withMask(boolean[] newMask) {
        return new Tensor(values, samples, steps, width, lengths, newMask);
    }
}
