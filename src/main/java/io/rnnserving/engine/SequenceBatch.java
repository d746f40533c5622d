package io.rnnserving.engine;

/**
 * The input of one call: N sequences of D features, padded to the longest with each sample's own
 * length, so one batch may hold sequences of different lengths.
 *
 * @param values  N×T×D row-major, floats or doubles ({@link InputValues}); step {@code t} of sample {@code n} starts at
 *                {@code (n * steps + t) * features}; padding and anything past N×T×D (a reader's spare capacity) are
 *                never read
 * @param lengths each sample's number of steps, 1 to {@code steps}
 */
public record SequenceBatch(InputValues values, int samples, int steps, int features, int[] lengths) {

    public SequenceBatch {
        if (samples < 1 || steps < 1 || features < 1) {
            throw new IllegalArgumentException("a batch needs at least one sample, step and feature; got "
                    + samples + "×" + steps + "×" + features);
        }
        if (values.length() < (long) samples * steps * features) {
            throw new IllegalArgumentException("values has " + values.length() + " numbers; " + samples + "×" + steps
                    + "×" + features + " needs " + samples * steps * features);
        }
        if (lengths.length != samples) {
            throw new IllegalArgumentException("lengths has " + lengths.length + " entries for " + samples + " samples");
        }
        for (int n = 0; n < samples; n++) {
            if (lengths[n] < 1 || lengths[n] > steps) {
                throw new IllegalArgumentException("sample " + n + " has length " + lengths[n] + "; it must be 1 to "
                        + steps);
            }
        }
    }

    /** A batch of doubles. */
    public SequenceBatch(double[] values, int samples, int steps, int features, int[] lengths) {
        this(new InputValues.Doubles(values), samples, steps, features, lengths);
    }

    /** A batch of doubles whose samples all have {@code steps} steps. */
    public static SequenceBatch rectangular(double[] values, int samples, int steps, int features) {
        return rectangular(new InputValues.Doubles(values), samples, steps, features);
    }

    /** A batch whose samples all have {@code steps} steps. */
    public static SequenceBatch rectangular(InputValues values, int samples, int steps, int features) {
        int[] lengths = new int[samples];
        java.util.Arrays.fill(lengths, steps);
        return new SequenceBatch(values, samples, steps, features, lengths);
    }

    /** From nested arrays x[n][t][d]; samples may differ in length. */
    public static SequenceBatch of(double[][][] x) {
        int samples = x.length;
        int features = x[0][0].length;
        int steps = 0;
        for (double[][] sample : x) {
            steps = Math.max(steps, sample.length);
        }
        double[] values = new double[samples * steps * features];
        int[] lengths = new int[samples];
        for (int n = 0; n < samples; n++) {
            lengths[n] = x[n].length;
            for (int t = 0; t < x[n].length; t++) {
                if (x[n][t].length != features) {
                    throw new IllegalArgumentException("step " + t + " of sample " + n + " has " + x[n][t].length
                            + " features; sample 0 has " + features);
                }
                System.arraycopy(x[n][t], 0, values, (n * steps + t) * features, features);
            }
        }
        return new SequenceBatch(values, samples, steps, features, lengths);
    }

    /** The same batch with its values in {@code precision}: itself when they already are. */
    public SequenceBatch in(Precision precision) {
        InputValues converted = values.in(precision);
        return converted == values ? this : new SequenceBatch(converted, samples, steps, features, lengths);
    }
}
