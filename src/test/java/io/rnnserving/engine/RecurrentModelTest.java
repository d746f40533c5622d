package io.rnnserving.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.rnnserving.NotebookReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class RecurrentModelTest {
    /** numpy and this engine both compute in float64: only summation order may differ. */
    private static final double FLOAT64_TOLERANCE = 1e-12;
    /** Keras computes in float32. */
    private static final double KERAS_TOLERANCE = 1e-5;

    static List<NotebookReference> references() {
        return NotebookReference.cases();
    }

    @ParameterizedTest
    @MethodSource("references")
    void defaultModelMatchesNumpyAndKeras(NotebookReference reference) {
        RecurrentModel model = NotebookReference.defaultModel();
        ForwardResult result = model.predict(SequenceBatch.of(reference.x()), Map.of(), true);

        int samples = reference.x().length;
        for (int n = 0; n < samples; n++) {
            for (int k = 0; k < 2; k++) {
                double y = result.output()[n * 2 + k];
                assertThat(y).isCloseTo(reference.yhat()[n][k], within(FLOAT64_TOLERANCE));
                assertThat(y).isCloseTo(reference.kerasYhat()[n][k], within(KERAS_TOLERANCE));
            }
            StateSequence hidden = result.states().get("simple_rnn");
            for (int t = 0; t < 10; t++) {
                double[] expected = reference.hidden()[n][t];
                double[] actual = hidden.state(n, t);
                for (int m = 0; m < 5; m++) {
                    assertThat(actual[m]).isCloseTo(expected[m], within(FLOAT64_TOLERANCE));
                }
            }
        }
    }

    @Test
    void defaultModelHasTheNotebooksFiftySevenParameters() {
        RecurrentModel model = NotebookReference.defaultModel();
        assertThat(model.parameterCount()).isEqualTo(57);
        assertThat(model.layers()).extracting(Layer::parameterCount).containsExactly(45L, 12L);
        assertThat(model.declaredSteps()).isEqualTo(10);
        assertThat(model.inputFeatures()).isEqualTo(3);
    }

    @Test
    void raggedBatchAnswersWhatEachSampleAnswersAlone() {
        RecurrentModel model = NotebookReference.defaultModel();
        Random random = new Random(7);
        double[][][] x = {randomSequence(random, 10, 3), randomSequence(random, 3, 3), randomSequence(random, 7, 3)};

        ForwardResult batch = model.predict(SequenceBatch.of(x), Map.of(), true);

        for (int n = 0; n < x.length; n++) {
            ForwardResult alone = model.predict(SequenceBatch.of(new double[][][] {x[n]}), Map.of(), true);
            assertThat(Arrays.copyOfRange(batch.output(), n * 2, n * 2 + 2)).containsExactly(alone.output());
            assertThat(batch.states().get("simple_rnn").lengths()[n]).isEqualTo(x[n].length);
            for (int t = 0; t < x[n].length; t++) {
                assertThat(batch.states().get("simple_rnn").state(n, t))
                        .containsExactly(alone.states().get("simple_rnn").state(0, t));
            }
        }
    }

    @Test
    void paddedBatchWithLengthsIgnoresThePadding() {
        RecurrentModel model = NotebookReference.defaultModel();
        Random random = new Random(11);
        double[][] sample = randomSequence(random, 4, 3);
        double[] padded = new double[10 * 3];
        for (int t = 0; t < 4; t++) {
            System.arraycopy(sample[t], 0, padded, t * 3, 3);
        }
        Arrays.fill(padded, 12, 30, 1e6);
        ForwardResult withLengths = model.predict(new SequenceBatch(padded, 1, 10, 3, new int[] {4}));
        ForwardResult alone = model.predict(SequenceBatch.of(new double[][][] {sample}));
        assertThat(withLengths.output()).containsExactly(alone.output());
    }

    @Test
    void chunksWithCarriedStateEqualTheWholeSequence() {
        RecurrentModel model = NotebookReference.defaultModel();
        assertChunkingComposes(model, 2, 40, 10);
    }

    @Test
    void chunksWithCarriedStateEqualTheWholeSequenceForAStackedModel() {
        Random random = new Random(3);
        RecurrentModel stacked = RecurrentModel.of("stacked", null, 3, List.of(
                SimpleRnnLayer.of("rnn_a", randomMatrix(random, 3, 6), randomMatrix(random, 6, 6),
                        randomMatrix(random, 1, 6)[0], Activation.TANH, true, false, false),
                SimpleRnnLayer.of("rnn_b", randomMatrix(random, 6, 4), randomMatrix(random, 4, 4), null,
                        Activation.RELU, false, false, false),
                DenseLayer.of("out", randomMatrix(random, 4, 2), new double[] {0.1, -0.1}, Activation.SOFTMAX)));
        assertChunkingComposes(stacked, 3, 40, 10);
    }

    private static void assertChunkingComposes(RecurrentModel model, int samples, int steps, int chunk) {
        Random random = new Random(42);
        double[][][] x = new double[samples][][];
        for (int n = 0; n < samples; n++) {
            x[n] = randomSequence(random, steps, model.inputFeatures());
        }
        ForwardResult whole = model.predict(SequenceBatch.of(x));

        Map<String, double[]> state = Map.of();
        ForwardResult last = null;
        for (int start = 0; start < steps; start += chunk) {
            double[][][] part = new double[samples][][];
            for (int n = 0; n < samples; n++) {
                part[n] = Arrays.copyOfRange(x[n], start, start + chunk);
            }
            last = model.predict(SequenceBatch.of(part), state, false);
            state = last.finalStates();
        }
        for (int i = 0; i < whole.output().length; i++) {
            assertThat(last.output()[i]).isCloseTo(whole.output()[i], within(1e-12));
        }
        for (Map.Entry<String, double[]> entry : whole.finalStates().entrySet()) {
            double[] chunked = state.get(entry.getKey());
            for (int i = 0; i < chunked.length; i++) {
                assertThat(chunked[i]).isCloseTo(entry.getValue()[i], within(1e-12));
            }
        }
    }

    @Test
    void maskedStepsCarryTheStateOver() {
        Random random = new Random(5);
        double[][] kernel = randomMatrix(random, 2, 3);
        double[][] recurrent = randomMatrix(random, 3, 3);
        RecurrentModel masked = RecurrentModel.of("masked", null, 2, List.of(new MaskingLayer("masking", 0.0),
                SimpleRnnLayer.of("rnn", kernel, recurrent, null, Activation.TANH, false, false, false)));
        RecurrentModel plain = RecurrentModel.of("plain", null, 2, List.of(
                SimpleRnnLayer.of("rnn", kernel, recurrent, null, Activation.TANH, false, false, false)));
        double[][] withGap = {{1, 2}, {0, 0}, {0.5, -1}, {0, 0}};
        double[][] withoutGap = {{1, 2}, {0.5, -1}};

        assertThat(masked.predict(SequenceBatch.of(new double[][][] {withGap})).output())
                .containsExactly(plain.predict(SequenceBatch.of(new double[][][] {withoutGap})).output());
    }

    @Test
    void goBackwardsReadsEachSampleFromItsOwnLastStep() {
        Random random = new Random(9);
        double[][] kernel = randomMatrix(random, 2, 3);
        double[][] recurrent = randomMatrix(random, 3, 3);
        RecurrentModel backwards = RecurrentModel.of("b", null, 2, List.of(
                SimpleRnnLayer.of("rnn", kernel, recurrent, null, Activation.TANH, false, true, false)));
        RecurrentModel forwards = RecurrentModel.of("f", null, 2, List.of(
                SimpleRnnLayer.of("rnn", kernel, recurrent, null, Activation.TANH, false, false, false)));
        double[][] sequence = {{1, 2}, {3, -1}, {0.5, 0.25}};
        double[][] reversed = {{0.5, 0.25}, {3, -1}, {1, 2}};
        double[][][] ragged = {sequence, {{9, 9}}};

        double[] out = backwards.predict(SequenceBatch.of(ragged)).output();
        assertThat(Arrays.copyOf(out, 3))
                .containsExactly(forwards.predict(SequenceBatch.of(new double[][][] {reversed})).output());
    }

    @Test
    void refusesLayersThatDoNotFitTogether() {
        Random random = new Random(1);
        SimpleRnnLayer rnn = SimpleRnnLayer.of("rnn", randomMatrix(random, 3, 5), randomMatrix(random, 5, 5), null,
                Activation.TANH, false, false, false);
        DenseLayer dense = DenseLayer.of("dense", randomMatrix(random, 4, 2), null, Activation.LINEAR);
        assertThatThrownBy(() -> RecurrentModel.of("m", 10, 3, List.of(rnn, dense)))
                .hasMessage("dense.kernel is 4×2 but the layer before it gives 5 values");
        assertThatThrownBy(() -> SimpleRnnLayer.of("rnn", randomMatrix(random, 3, 5), randomMatrix(random, 4, 4), null,
                Activation.TANH, false, false, false)).hasMessageContaining("recurrentKernel is 4×4");
    }

    static double[][] randomSequence(Random random, int steps, int features) {
        double[][] x = new double[steps][features];
        for (double[] step : x) {
            for (int d = 0; d < features; d++) {
                step[d] = random.nextDouble() * 4 - 2;
            }
        }
        return x;
    }

    static double[][] randomMatrix(Random random, int rows, int cols) {
        double[][] m = new double[rows][cols];
        for (double[] row : m) {
            for (int j = 0; j < cols; j++) {
                row[j] = random.nextDouble() - 0.5;
            }
        }
        return m;
    }
}
