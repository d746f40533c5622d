package io.rnnserving.loading;

import io.rnnserving.engine.Activation;
import io.rnnserving.loading.KerasModelConfig.DenseConfig;
import io.rnnserving.loading.KerasModelConfig.RecurrentConfig;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Config details no fixture file happens to exercise. */
class KerasConfigParserTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static JsonNode sequential(String rnnConfig) {
        return JSON.readTree("""
                {"class_name": "Sequential", "config": [
                  {"class_name": "SimpleRNN", "config": {"name": "rnn", "batch_input_shape": [null, null, 2], %s}},
                  {"class_name": "Dense", "config": {"name": "out", "output_dim": 1, "bias": false}}]}
                """.formatted(rnnConfig));
    }

    @Test
    void hardSigmoidFollowsTheKerasVersionThatWroteTheFile() {
        JsonNode config = sequential("\"units\": 3, \"activation\": \"hard_sigmoid\"");
        assertThat(((RecurrentConfig) KerasConfigParser.parse(config, 2).layers().get(0)).activation())
                .isEqualTo(Activation.HARD_SIGMOID_KERAS2);
        assertThat(((RecurrentConfig) KerasConfigParser.parse(config, 3).layers().get(0)).activation())
                .isEqualTo(Activation.HARD_SIGMOID);
    }

    @Test
    void readsKeras1Names() {
        KerasModelConfig config = KerasConfigParser.parse(sequential("\"output_dim\": 4, \"bias\": false"), 1);
        assertThat(config.steps()).isNull();
        assertThat(config.features()).isEqualTo(2);
        RecurrentConfig rnn = (RecurrentConfig) config.layers().get(0);
        assertThat(rnn.units()).isEqualTo(4);
        assertThat(rnn.useBias()).isFalse();
        assertThat(rnn.activation()).isEqualTo(Activation.TANH);
        DenseConfig dense = (DenseConfig) config.layers().get(1);
        assertThat(dense.units()).isEqualTo(1);
        assertThat(dense.useBias()).isFalse();
        assertThat(dense.activation()).isEqualTo(Activation.LINEAR);
    }

    @Test
    void refusesWhatTheEngineWouldComputeDifferently() {
        assertThatThrownBy(() -> KerasConfigParser.parse(sequential(
                "\"units\": 3, \"return_sequences\": true, \"zero_output_for_mask\": true"), 3))
                .hasMessage("layer 'rnn' (SimpleRNN) has zero_output_for_mask=True; supported: False");
        assertThatThrownBy(() -> KerasConfigParser.parse(sequential("\"units\": 3, \"return_state\": true"), 3))
                .hasMessage("layer 'rnn' (SimpleRNN) has return_state=True; supported: return_state=False");
    }

    @Test
    void snakeCaseMatchesKerasGroupNames() {
        assertThat(KerasModelConfig.snakeCase("SimpleRNN")).isEqualTo("simple_rnn");
        assertThat(KerasModelConfig.snakeCase("Dense")).isEqualTo("dense");
        assertThat(KerasModelConfig.snakeCase("SpatialDropout1D")).isEqualTo("spatial_dropout1d");
    }
}
