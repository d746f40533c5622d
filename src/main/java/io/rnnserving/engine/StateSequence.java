package io.rnnserving.engine;

/**
 * A recurrent layer's state after each step it took, in the order it took them (reversed input
 * order for go_backwards), N×T×M padded to the longest sample.
 *
 * @param values  row-major, step {@code s} of sample {@code n} at {@code (n * steps + s) * units}
 * @param lengths each sample's own number of steps
 */
public record StateSequence(double[] values, int samples, int steps, int units, int[] lengths) {

    /** The state of {@code sample} after {@code step}, copied. */
    public double[] state(int sample, int step) {
        int start = (sample * steps + step) * units;
        return java.util.Arrays.copyOfRange(values, start, start + units);
    }
}
