package io.rnnserving.loading;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;

import io.rnnserving.engine.ForwardResult;
import io.rnnserving.engine.RecurrentLayer;
import io.rnnserving.engine.RecurrentModel;
import io.rnnserving.engine.SequenceBatch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Models of every new layer kind built and run by real Keras 3 in float64
 * (src/test/resources/json-layers/make_fixtures.py), written in the JSON model format by scripts/keras_to_json.py:
 * the engine gives Keras' outputs and the final states of one recurrent layer (Keras' return_state) within 1e-9,
 * for the samples of different lengths in one ragged batch, each of which Keras ran alone.
 */
class KerasLayerFixturesTest {
    private static final Path DIR = Path.of("src/test/resources/json-layers");
    /** Keras ran in float64: what is left is summation order and the engine's tanh (a few ulp). */
    private static final double TOLERANCE = 1e-9;

    @ParameterizedTest
    @ValueSource(strings = {"lstm_stack", "gru_reset_after", "gru_reset_before", "bidirectional_lstm_concat",
            "bidirectional_rnn_gru", "text_embedding", "normalisation_flatten", "softmax_rnn_max_pool"})
    void theEngineGivesKerasOutputsAndStates(String name) {
        RecurrentModel model = ModelFileReader.read(DIR.resolve(name + ".model.json"), null).model();
        JsonNode expected = KerasFixtures.json(DIR.resolve(name + ".expected.json"));
        JsonNode x = expected.get("x");
        double[][][] samples = new double[x.size()][][];
        for (int n = 0; n < samples.length; n++) {
            JsonNode sample = x.get(n);
            samples[n] = new double[sample.size()][];
            for (int t = 0; t < sample.size(); t++) {
                samples[n][t] = sample.get(t).isArray() ? KerasFixtures.flatten(sample.get(t))
                        : new double[] {sample.get(t).doubleValue()};
            }
        }
        SequenceBatch batch = SequenceBatch.of(samples);
        ForwardResult result = model.predictFromStates(batch, java.util.Map.of(), true);
        RecurrentLayer stateLayer = model.recurrentLayer(expected.get("stateLayer").asString());
        List<String> parts = stateLayer.stateParts();
        int width = result.outputWidth();
        for (int n = 0; n < samples.length; n++) {
            double[] keras = KerasFixtures.flatten(expected.get("output").get(n));
            int rows = result.isSequence() ? samples[n].length : 1;
            int start = n * (result.isSequence() ? batch.steps() : 1) * width;
            assertThat(keras).as(name + " sample " + n).hasSize(rows * width);
            for (int i = 0; i < keras.length; i++) {
                assertThat(result.output()[start + i]).as(name + " sample " + n + " value " + i)
                        .isCloseTo(keras[i], within(TOLERANCE));
            }
            JsonNode states = expected.get("states").get(n);
            assertThat(states.size()).isEqualTo(parts.size());
            for (int p = 0; p < parts.size(); p++) {
                double[] kerasState = KerasFixtures.flatten(states.get(p));
                double[] state = result.finalStateParts().get(stateLayer.name()).get(parts.get(p));
                for (int j = 0; j < kerasState.length; j++) {
                    assertThat(state[n * stateLayer.units() + j]).as(name + " " + parts.get(p) + " sample " + n)
                            .isCloseTo(kerasState[j], within(TOLERANCE));
                }
            }
        }
    }
}
