package io.rnnserving.engine;

import org.jspecify.annotations.Nullable;

/**
 * The values passing from one layer to the next: either N×T×W sequences, padded to the longest
 * sample, with each sample's own length and an optional Keras mask, or N×W vectors. A float32 model's input
 * arrives as floats: layers that compute in float read them as they are ({@link #floatValues()}), the others see
 * them widened, which is exact.
 *
 * <p>values: row-major; a sequence row is {@code (sample * steps + step) * width}; steps: T for sequences, 0 for
 * vectors; lengths: each sample's valid steps (sequences only); mask: N×T, false where a Masking layer hid the step,
 * null when nothing is masked.
 */
final class Tensor {
    private volatile double @Nullable [] values;
    private final float @Nullable [] floats;
    private final int samples;
    private final int steps;
    private final int width;
    private final int @Nullable [] lengths;
    private final boolean @Nullable [] mask;

    private Tensor(double @Nullable [] values, float @Nullable [] floats, int samples, int steps, int width,
                   int @Nullable [] lengths, boolean @Nullable [] mask) {
        this.values = values;
        this.floats = floats;
        this.samples = samples;
        this.steps = steps;
        this.width = width;
        this.lengths = lengths;
        this.mask = mask;
    }

    static Tensor sequences(double[] values, int samples, int steps, int width, int[] lengths,
                            boolean @Nullable [] mask) {
        return new Tensor(values, null, samples, steps, width, lengths, mask);
    }

    /** Sequences of floats, a float32 model's input, used without a copy by the layers that read floats. */
    static Tensor sequences(float[] floats, int samples, int steps, int width, int[] lengths) {
        return new Tensor(null, floats, samples, steps, width, lengths, null);
    }

    static Tensor vectors(double[] values, int samples, int width) {
        return new Tensor(values, null, samples, 0, width, null, null);
    }

    /** The values as doubles; a tensor of floats widens them on the first call (two threads may both, alike). */
    double[] values() {
        double[] known = values;
        if (known == null) {
            float[] source = java.util.Objects.requireNonNull(floats);
            known = new double[source.length];
            for (int i = 0; i < source.length; i++) {
                known[i] = source[i];
            }
            // volatile: a thread that sees the array sees its values
            values = known;
        }
        return known;
    }

    /** The values as floats: the tensor's own floats when it holds them, else each value narrowed, in a new array. */
    float[] floatValues() {
        return floats != null ? floats : Matrices.narrowed(values());
    }

    int samples() {
        return samples;
    }

    int steps() {
        return steps;
    }

    int width() {
        return width;
    }

    int @Nullable [] lengths() {
        return lengths;
    }

    boolean @Nullable [] mask() {
        return mask;
    }

    boolean isSequence() {
        return steps > 0;
    }

    /** Rows a position-wise layer (Dense, Activation) transforms: N×T for sequences, N for vectors. */
    int rows() {
        return isSequence() ? samples * steps : samples;
    }

    Tensor withValues(double[] newValues, int newWidth) {
        return new Tensor(newValues, null, samples, steps, newWidth, lengths, mask);
    }

    Tensor withMask(boolean[] newMask) {
        return new Tensor(floats != null ? null : values, floats, samples, steps, width, lengths, newMask);
    }
}
