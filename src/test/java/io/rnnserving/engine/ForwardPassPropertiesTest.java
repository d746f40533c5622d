package io.rnnserving.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * For random models and inputs the engine equals a naive reference: scalar loops over samples, steps and units,
 * one sample at a time, written from Keras' definitions of SimpleRNN, Dense and Masking. Activations are shared
 * with the engine (they are pinned to Keras in {@link ActivationTest}); everything else is computed here anew.
 * Tolerance: 1e-9 relative (the engine sums products in another order).
 */
class ForwardPassPropertiesTest {

    @Property(tries = 600)
    void engineEqualsTheNaiveReference(
            @ForAll @IntRange(min = 1, max = 4) int features,
            @ForAll @IntRange(min = 1, max = 6) int units1,
            @ForAll @IntRange(min = 0, max = 4) int units2,
            @ForAll @IntRange(min = 1, max = 4) int outputs,
            @ForAll @IntRange(min = 1, max = 5) int samples,
            @ForAll @IntRange(min = 1, max = 8) int steps,
            @ForAll Activation activation1, @ForAll Activation activation2, @ForAll Activation denseActivation,
            @ForAll boolean returnSequences, @ForAll boolean backwards1, @ForAll boolean backwards2,
            @ForAll boolean masking, @ForAll boolean ragged, @ForAll boolean initialState, @ForAll boolean bias,
            @ForAll long seed) {
        // row-wise recurrent activations are in LayersPropertiesTest; exponential as one overflows within a few steps
        Assume.that(recurrentCapable(activation1) && recurrentCapable(activation2) && denseActivation != Activation.GLU);
        Random random = new Random(seed);
        List<Rnn> rnns = new ArrayList<>();
        rnns.add(new Rnn("rnn1", weights(random, features, units1), weights(random, units1, units1),
                bias ? vector(random, units1) : null, activation1, units2 > 0 || returnSequences, backwards1));
        if (units2 > 0) {
            rnns.add(new Rnn("rnn2", weights(random, units1, units2), weights(random, units2, units2),
                    bias ? vector(random, units2) : null, activation2, returnSequences, backwards2));
        }
        int last = rnns.get(rnns.size() - 1).units();
        double[][] denseKernel = weights(random, last, outputs);
        double[] denseBias = bias ? vector(random, outputs) : null;

        List<Layer> layers = new ArrayList<>();
        if (masking) {
            layers.add(new MaskingLayer("masking", 0.0));
        }
        for (Rnn rnn : rnns) {
            layers.add(SimpleRnnLayer.of(rnn.name, rnn.kernel, rnn.recurrent, rnn.bias, rnn.activation,
                    rnn.returnSequences, rnn.backwards, false));
        }
        layers.add(DenseLayer.of("dense", denseKernel, denseBias, denseActivation));
        RecurrentModel model = RecurrentModel.of("random", null, features, layers);

        int[] lengths = new int[samples];
        double[][][] x = new double[samples][][];
        for (int n = 0; n < samples; n++) {
            lengths[n] = ragged ? 1 + random.nextInt(steps) : steps;
            x[n] = new double[lengths[n]][features];
            for (int t = 0; t < lengths[n]; t++) {
                boolean masked = masking && random.nextInt(4) == 0;
                for (int d = 0; d < features; d++) {
                    x[n][t][d] = masked ? 0.0 : random.nextDouble() * 4 - 2;
                }
            }
        }
        Map<String, double[][]> h0 = new HashMap<>();
        Map<String, double[]> h0Flat = new HashMap<>();
        if (initialState) {
            for (Rnn rnn : rnns) {
                double[][] state = new double[samples][];
                double[] flat = new double[samples * rnn.units()];
                for (int n = 0; n < samples; n++) {
                    state[n] = vector(random, rnn.units());
                    System.arraycopy(state[n], 0, flat, n * rnn.units(), rnn.units());
                }
                h0.put(rnn.name, state);
                h0Flat.put(rnn.name, flat);
            }
        }

        ForwardResult result = model.predict(SequenceBatch.of(x), h0Flat, false);

        int longest = java.util.Arrays.stream(lengths).max().orElseThrow();
        for (int n = 0; n < samples; n++) {
            Sample reference = reference(x[n], masking, rnns, h0, n, denseKernel, denseBias, denseActivation);
            if (returnSequences) {
                assertThat(result.outputSteps()).isEqualTo(longest);
                for (int s = 0; s < lengths[n]; s++) {
                    for (int k = 0; k < outputs; k++) {
                        assertClose(result.output()[(n * longest + s) * outputs + k], reference.output[s][k]);
                    }
                }
            } else {
                for (int k = 0; k < outputs; k++) {
                    assertClose(result.output()[n * outputs + k], reference.output[0][k]);
                }
            }
            for (Rnn rnn : rnns) {
                double[] state = result.finalStates().get(rnn.name);
                for (int j = 0; j < rnn.units(); j++) {
                    assertClose(state[n * rnn.units() + j], reference.finalStates.get(rnn.name)[j]);
                }
            }
        }
    }

    private static boolean recurrentCapable(Activation activation) {
        return !activation.rowWise() && activation != Activation.EXPONENTIAL;
    }

    private record Rnn(String name, double[][] kernel, double[][] recurrent, double[] bias, Activation activation,
                       boolean returnSequences, boolean backwards) {
        int units() {
            return recurrent.length;
        }
    }

    private record Sample(double[][] output, Map<String, double[]> finalStates) {
    }

    /** One sample through the model: output per step (sequences) or one row, and each layer's final state. */
    private static Sample reference(double[][] x, boolean masking, List<Rnn> rnns, Map<String, double[][]> h0, int n,
                                    double[][] denseKernel, double[] denseBias, Activation denseActivation) {
        int steps = x.length;
        boolean[] keep = new boolean[steps];
        for (int t = 0; t < steps; t++) {
            keep[t] = !masking;
            for (double value : x[t]) {
                keep[t] |= value != 0.0;
            }
        }
        double[][] sequence = x;
        double[] vector = null;
        Map<String, double[]> finalStates = new HashMap<>();
        for (Rnn rnn : rnns) {
            int units = rnn.units();
            double[] h = h0.containsKey(rnn.name) ? h0.get(rnn.name)[n].clone() : new double[units];
            double[][] out = new double[steps][];
            for (int s = 0; s < steps; s++) {
                int t = rnn.backwards ? steps - 1 - s : s;
                if (keep[t]) {
                    double[] next = new double[units];
                    for (int j = 0; j < units; j++) {
                        double sum = rnn.bias == null ? 0.0 : rnn.bias[j];
                        for (int i = 0; i < sequence[t].length; i++) {
                            sum += sequence[t][i] * rnn.kernel[i][j];
                        }
                        for (int i = 0; i < units; i++) {
                            sum += h[i] * rnn.recurrent[i][j];
                        }
                        next[j] = sum;
                    }
                    rnn.activation.applyToRows(next, 1, units);
                    h = next;
                }
                // Keras keeps step s of a backwards layer's sequence at position s: the output stays reversed
                out[s] = h.clone();
            }
            finalStates.put(rnn.name, h);
            sequence = out;
            vector = h;
        }
        double[][] inputs = rnns.get(rnns.size() - 1).returnSequences ? sequence : new double[][] {vector};
        double[][] output = new double[inputs.length][];
        for (int s = 0; s < inputs.length; s++) {
            double[] row = new double[denseKernel[0].length];
            for (int k = 0; k < row.length; k++) {
                double sum = denseBias == null ? 0.0 : denseBias[k];
                for (int i = 0; i < inputs[s].length; i++) {
                    sum += inputs[s][i] * denseKernel[i][k];
                }
                row[k] = sum;
            }
            denseActivation.applyToRows(row, 1, row.length);
            output[s] = row;
        }
        return new Sample(output, finalStates);
    }

    private static void assertClose(double actual, double expected) {
        assertThat(expected).as("the reference gives a finite number").isFinite();
        assertThat(actual).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-9 * Math.max(1.0, Math.abs(expected))));
    }

    private static double[][] weights(Random random, int rows, int columns) {
        double scale = 1.0 / Math.sqrt(rows);
        double[][] w = new double[rows][columns];
        for (double[] row : w) {
            for (int j = 0; j < columns; j++) {
                row[j] = (random.nextDouble() * 2 - 1) * scale;
            }
        }
        return w;
    }

    private static double[] vector(Random random, int size) {
        double[] v = new double[size];
        for (int j = 0; j < size; j++) {
            v[j] = random.nextDouble() - 0.5;
        }
        return v;
    }
}
