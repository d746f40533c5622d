package io.rnnserving.engine;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The row-at-a-time, sample-parallel SimpleRNN against the straightforward one it replaced: one EJML product
 * for every step's input, one multAdd per step, Math.tanh. Tolerance 1e-12 absolute; exact below 15 units.
 */
class SimpleRnnLayerReferenceTest {
    private static final double TOLERANCE = 1e-12;

    @Test
    void matchesTheReferenceOnShapesThatStayOnOneThreadAndShapesThatSplit() {
        Random random = new Random(11);
        // samples, steps, features, units: the last two exceed SampleSlices.MIN_PARALLEL_WORK
        int[][] shapes = {{1, 10, 3, 5}, {3, 7, 4, 16}, {5, 12, 8, 33}, {9, 40, 32, 64}, {33, 30, 16, 128}};
        for (int[] shape : shapes) {
            for (boolean goBackwards : new boolean[] {false, true}) {
                for (boolean ragged : new boolean[] {false, true}) {
                    check(random, shape[0], shape[1], shape[2], shape[3], goBackwards, ragged);
                }
            }
        }
    }

    private static void check(Random random, int samples, int steps, int features, int units, boolean goBackwards,
                              boolean ragged) {
        double[][] w = randomMatrix(random, features, units, 1 / Math.sqrt(features));
        double[][] u = randomMatrix(random, units, units, 1.2 / Math.sqrt(units));
        double[] b = randomMatrix(random, 1, units, 0.1)[0];
        SimpleRnnLayer layer = SimpleRnnLayer.of("rnn", w, u, b, Activation.TANH, true, goBackwards, false);

        double[] x = randomMatrix(random, 1, samples * steps * features, 1.5)[0];
        int[] lengths = new int[samples];
        boolean[] mask = ragged ? new boolean[samples * steps] : null;
        for (int n = 0; n < samples; n++) {
            lengths[n] = ragged ? 1 + random.nextInt(steps) : steps;
            if (mask != null) {
                for (int t = 0; t < steps; t++) {
                    mask[n * steps + t] = random.nextInt(5) > 0;
                }
            }
        }
        double[] initial = randomMatrix(random, 1, samples * units, 0.5)[0];
        Tensor input = Tensor.sequences(x, samples, steps, features, lengths, mask);

        ForwardContext context = new ForwardContext(Execution.DEFAULT, Map.of("rnn", Map.of("h", initial)), true);
        Tensor actual = layer.forward(input, context);
        Reference expected = reference(input, w, u, b, goBackwards, initial);

        String what = Arrays.toString(new int[] {samples, steps, features, units}) + " backwards=" + goBackwards
                + " ragged=" + ragged;
        assertThat(actual.values()).as(what).hasSameSizeAs(expected.outputs());
        assertThat(maxAbsDifference(actual.values(), expected.outputs())).as(what).isLessThanOrEqualTo(TOLERANCE);
        assertThat(maxAbsDifference(context.finalStates().get("rnn").get("h"), expected.finalState())).as(what)
                .isLessThanOrEqualTo(TOLERANCE);
        if (units < SimpleRnnLayer.SMALL_UNITS) {
            assertThat(actual.values()).as(what + ": below SMALL_UNITS, bit for bit").isEqualTo(expected.outputs());
        }
    }

    private record Reference(double[] outputs, double[] finalState) {
    }

    /** The engine's SimpleRNN as it was before this optimisation, kept verbatim in substance. */
    private static Reference reference(Tensor input, double[][] kernel, double[][] recurrentKernel, double[] bias,
                                       boolean goBackwards, double[] initial) {
        int samples = input.samples();
        int steps = input.steps();
        int features = input.width();
        DMatrixRMaj w = Matrices.of("w", kernel);
        DMatrixRMaj u = Matrices.of("u", recurrentKernel);
        int units = w.numCols;
        int[] lengths = input.lengths();
        boolean[] mask = input.mask();

        double[] ordered = new double[steps * samples * features];
        for (int n = 0; n < samples; n++) {
            for (int s = 0; s < lengths[n]; s++) {
                int t = goBackwards ? lengths[n] - 1 - s : s;
                System.arraycopy(input.values(), (n * steps + t) * features, ordered, (s * samples + n) * features,
                        features);
            }
        }
        DMatrixRMaj projected = new DMatrixRMaj(steps * samples, units);
        CommonOps_DDRM.mult(DMatrixRMaj.wrap(steps * samples, features, ordered), w, projected);
        for (int start = 0; start < projected.data.length; start += units) {
            for (int j = 0; j < units; j++) {
                projected.data[start + j] += bias[j];
            }
        }
        DMatrixRMaj state = new DMatrixRMaj(samples, units);
        System.arraycopy(initial, 0, state.data, 0, samples * units);
        DMatrixRMaj next = new DMatrixRMaj(samples, units);
        double[] outputs = new double[samples * steps * units];
        for (int s = 0; s < steps; s++) {
            System.arraycopy(projected.data, s * samples * units, next.data, 0, samples * units);
            CommonOps_DDRM.multAdd(state, u, next);
            for (int i = 0; i < samples * units; i++) {
                next.data[i] = Math.tanh(next.data[i]);
            }
            for (int n = 0; n < samples; n++) {
                boolean active = s < lengths[n]
                        && (mask == null || mask[n * steps + (goBackwards ? lengths[n] - 1 - s : s)]);
                if (!active) {
                    System.arraycopy(state.data, n * units, next.data, n * units, units);
                }
            }
            DMatrixRMaj previous = state;
            state = next;
            next = previous;
            for (int n = 0; n < samples; n++) {
                System.arraycopy(state.data, n * units, outputs, (n * steps + s) * units, units);
            }
        }
        return new Reference(outputs, state.data);
    }

    private static double maxAbsDifference(double[] a, double[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    private static double[][] randomMatrix(Random random, int rows, int cols, double scale) {
        double[][] m = new double[rows][cols];
        for (double[] row : m) {
            for (int j = 0; j < cols; j++) {
                row[j] = (random.nextDouble() * 2 - 1) * scale;
            }
        }
        return m;
    }
}
