package io.rnnserving.loading;

import io.rnnserving.engine.Activation;
import io.rnnserving.engine.Precision;
import io.rnnserving.loading.KerasModelConfig.DenseConfig;
import io.rnnserving.loading.KerasModelConfig.RecurrentConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
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

    /** A Keras 3 model whose InputLayer and two layers have the given dtypes (JSON values, or null for none). */
    private static JsonNode withDtypes(String input, String rnn, String dense) {
        return JSON.readTree("""
                {"class_name": "Sequential", "config": {"name": "m", "layers": [
                  {"class_name": "InputLayer", "config": {"name": "in", "batch_shape": [null, 4, 2], "dtype": %s}},
                  {"class_name": "SimpleRNN", "config": {"name": "rnn", "units": 3, "dtype": %s}},
                  {"class_name": "Dense", "config": {"name": "out", "units": 1, "dtype": %s}}]}}
                """.formatted(input, rnn, dense));
    }

    private static String policy(String name) {
        return "{\"module\": \"keras\", \"class_name\": \"DTypePolicy\", \"config\": {\"name\": \"" + name + "\"}}";
    }

    @Test
    void theModelComputesInTheDtypeItsLayersWereSavedWith() {
        assertThat(KerasConfigParser.parse(withDtypes("\"float32\"", policy("float32"), policy("float32")), 3).dtype())
                .isEqualTo(new ModelDtype("float32", Precision.FLOAT32));
        assertThat(KerasConfigParser.parse(withDtypes("\"float64\"", policy("float64"), policy("float64")), 3).dtype())
                .isEqualTo(new ModelDtype("float64", Precision.FLOAT64));
        // Keras 2 writes the policy as a plain string
        assertThat(KerasConfigParser.parse(withDtypes("\"float64\"", "\"float64\"", "\"float64\""), 2).dtype()
                .precision()).isEqualTo(Precision.FLOAT64);
        // mixed precision keeps float32 variables: computed in float32, the policy kept for GET /model
        assertThat(KerasConfigParser.parse(withDtypes("\"float32\"", policy("mixed_float16"), policy("mixed_float16")),
                3).dtype()).isEqualTo(new ModelDtype("mixed_float16", Precision.FLOAT32));
        // no dtype anywhere, as in Keras 1 files: float32, Keras' default
        assertThat(KerasConfigParser.parse(sequential("\"output_dim\": 4"), 1).dtype()).isEqualTo(ModelDtype.FLOAT32);
        // only the input says
        assertThat(KerasConfigParser.parse(withDtypes("\"float64\"", "null", "null"), 3).dtype().precision())
                .isEqualTo(Precision.FLOAT64);
    }

    @Test
    void layersOfDifferentFloatTypesAreRefused() {
        assertThatThrownBy(() -> KerasConfigParser.parse(withDtypes("\"float32\"", policy("float32"), policy("float64")),
                3)).hasMessage("layer 'rnn' (SimpleRNN) has dtype float32 but layer 'out' (Dense) has float64; "
                + "supported: one floating-point type for the whole model");
        assertThatThrownBy(() -> KerasConfigParser.parse(withDtypes("\"float64\"", policy("float32"), policy("float32")),
                3)).hasMessage("the input has dtype float64 but layer 'rnn' (SimpleRNN) has float32; "
                + "supported: one floating-point type for the whole model");
        assertThatThrownBy(() -> KerasConfigParser.parse(withDtypes("\"float32\"", policy("int32"), "null"), 3))
                .hasMessageStartingWith("layer 'rnn' (SimpleRNN) has dtype int32; unsupported dtype 'int32'");
    }

    /** A Keras 3 Sequential config: an InputLayer of the given batch shape, then the given layers. */
    private static JsonNode keras3(String batchShape, String... layers) {
        return JSON.readTree("""
                {"class_name": "Sequential", "config": {"name": "m", "layers": [
                  {"class_name": "InputLayer", "config": {"batch_shape": %s, "name": "x"}}, %s]}}
                """.formatted(batchShape, String.join(", ", layers)));
    }

    private static final String LSTM = """
            {"class_name": "LSTM", "config": {"name": "lstm", "units": 2, "return_sequences": true}}""";

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            // the complaint: a 2-D input named neither the layer nor what to do
            "[null, null]|{\"class_name\": \"SimpleRNN\", \"config\": {\"name\": \"rnn\", \"units\": 2}}"
                    + "|the input shape is [null,null] but the first layer, layer 'rnn' (SimpleRNN), reads sequences; "
                    + "supported: [batch, steps or None, features], or [batch, steps or None] of token ids for a "
                    + "model whose first layer is an Embedding",
            "[null, null, 3]|{\"class_name\": \"Embedding\", \"config\": {\"name\": \"emb\", \"input_dim\": 5, "
                    + "\"output_dim\": 2}}|the input shape is [null,null,3] but the first layer, layer 'emb' "
                    + "(Embedding), reads one token id per step; supported: [batch, steps or None]",
            "[null, null, 3]|{\"class_name\": \"TimeDistributed\", \"config\": {\"name\": \"td\", \"layer\": "
                    + "{\"class_name\": \"LSTM\", \"config\": {\"name\": \"inner\", \"units\": 2}}}}"
                    + "|layer 'td' (TimeDistributed) wraps a LSTM; supported: TimeDistributed(Dense)",
            "[null, null, 3]|{\"class_name\": \"Bidirectional\", \"config\": {\"name\": \"bi\", \"merge_mode\": "
                    + "null, \"layer\": {\"class_name\": \"GRU\", \"config\": {\"name\": \"gru\", \"units\": 2}}}}"
                    + "|layer 'bi' (Bidirectional) has merge_mode None returns the two directions as separate "
                    + "outputs; supported: concat, sum, mul, ave",
            "[null, null, 3]|{\"class_name\": \"Bidirectional\", \"config\": {\"name\": \"bi\", \"layer\": "
                    + "{\"class_name\": \"Dense\", \"config\": {\"name\": \"d\", \"units\": 2}}}}"
                    + "|layer 'bi' (Bidirectional) wraps a Dense; supported: Bidirectional of SimpleRNN, LSTM or GRU",
            "[null, null, 3]|{\"class_name\": \"GRU\", \"config\": {\"name\": \"gru\", \"units\": 2, "
                    + "\"return_state\": true}}|layer 'gru' (GRU) has return_state=True; supported: return_state=False",
            "[null, null, 3]|{\"class_name\": \"Masking\", \"config\": {\"name\": \"mask\"}}, {\"class_name\": "
                    + "\"Embedding\", \"config\": {\"name\": \"emb\", \"input_dim\": 5, \"output_dim\": 2}}"
                    + "|layer 'emb' (Embedding) is not the model's first layer; supported: an Embedding first, "
                    + "reading the token ids",
            "[null, null, 3]|{\"class_name\": \"LayerNormalization\", \"config\": {\"name\": \"ln\", "
                    + "\"epsilon\": 0.001, \"rms_scaling\": true}}|layer 'ln' (LayerNormalization) has "
                    + "rms_scaling=True; supported: False",
            "[null, null, 3]|{\"class_name\": \"BatchNormalization\", \"config\": {\"name\": \"bn\", "
                    + "\"epsilon\": 0.001, \"axis\": 1}}|layer 'bn' (BatchNormalization) normalises over axis 1; "
                    + "supported: the last axis (-1)",
            "[null, null, 3]|{\"class_name\": \"Dense\", \"config\": {\"name\": \"d\", \"units\": 2, \"dtype\": "
                    + "{\"class_name\": \"QuantizedDTypePolicy\", \"config\": {\"name\": \"int8_from_float32\"}}}}"
                    + "|layer 'd' (Dense) is quantized (dtype policy int8_from_float32); supported: float weights "
                    + "(float32, float16 or bfloat16 policies)",
            "[null, null, 3]|{\"class_name\": \"GlobalMaxPooling1D\", \"config\": {\"name\": \"pool\", "
                    + "\"keepdims\": true}}|layer 'pool' (GlobalMaxPooling1D) has keepdims=True; supported: False"})
    void refusesNamingTheLayerItsClassAndWhatIsSupported(String batchShape, String layer, String message) {
        assertThatThrownBy(() -> KerasConfigParser.parse(keras3(batchShape, layer, LSTM), 3)).hasMessage(message);
    }

    @Test
    void acceptsKerasTwoAxisListsAndKerasOneEmbeddingShapes() {
        KerasModelConfig config = KerasConfigParser.parse(keras3("[null, null, 3]", """
                {"class_name": "BatchNormalization", "config": {"name": "bn", "epsilon": 0.001, "axis": [2]}}""",
                LSTM), 2);
        assertThat(config.layers().get(0)).isEqualTo(new KerasModelConfig.NormalizationConfig("bn",
                "BatchNormalization", true, true, 0.001));
        // Keras 1: no InputLayer; the Embedding gives input_length, and its input_dim is the vocabulary
        KerasModelConfig keras1 = KerasConfigParser.parse(JSON.readTree("""
                {"class_name": "Sequential", "config": [
                  {"class_name": "Embedding", "config": {"name": "emb", "input_dim": 20, "output_dim": 4,
                                                          "input_length": 7, "mask_zero": true}},
                  {"class_name": "GRU", "config": {"name": "gru", "output_dim": 3, "inner_activation": "sigmoid"}}]}
                """), 1);
        assertThat(keras1.features()).isEqualTo(1);
        assertThat(keras1.steps()).isEqualTo(7);
        assertThat(keras1.layers().get(0)).isEqualTo(new KerasModelConfig.EmbeddingConfig("emb", 20, 4, true));
        RecurrentConfig gru = (RecurrentConfig) keras1.layers().get(1);
        assertThat(gru.resetAfter()).as("Keras 1 and 2 GRUs reset before the recurrent product").isFalse();
        assertThat(gru.recurrentActivation()).isEqualTo(Activation.SIGMOID);
        assertThat(gru.units()).isEqualTo(3);
    }

    @Test
    void aKeras2BidirectionalWithoutBackwardLayerGoesBackwardsWithTheForwardLayersOptions() {
        KerasModelConfig config = KerasConfigParser.parse(JSON.readTree("""
                {"class_name": "Sequential", "config": {"name": "m", "layers": [
                  {"class_name": "Bidirectional", "config": {"name": "bi", "batch_input_shape": [null, 4, 3],
                   "merge_mode": "ave", "layer": {"class_name": "LSTM", "config": {"name": "lstm_1", "units": 2,
                   "activation": "relu", "recurrent_activation": "sigmoid", "return_sequences": true}}}}]}}
                """), 2);
        KerasModelConfig.BidirectionalConfig bi = (KerasModelConfig.BidirectionalConfig) config.layers().get(0);
        assertThat(bi.mergeMode()).isEqualTo(io.rnnserving.engine.BidirectionalLayer.MergeMode.AVE);
        assertThat(bi.forward().goBackwards()).isFalse();
        assertThat(bi.backward()).isEqualTo(new RecurrentConfig("backward_lstm_1", "LSTM", 2, Activation.RELU,
                Activation.SIGMOID, true, false, true, true, false));
        assertThat(config.steps()).isEqualTo(4);
        assertThat(config.features()).isEqualTo(3);
    }

    @Test
    void snakeCaseMatchesKerasGroupNames() {
        assertThat(KerasModelConfig.snakeCase("SimpleRNN")).isEqualTo("simple_rnn");
        assertThat(KerasModelConfig.snakeCase("Dense")).isEqualTo("dense");
        assertThat(KerasModelConfig.snakeCase("SpatialDropout1D")).isEqualTo("spatial_dropout1d");
        assertThat(KerasModelConfig.snakeCase("LSTM")).isEqualTo("lstm");
        assertThat(KerasModelConfig.snakeCase("TimeDistributed")).isEqualTo("time_distributed");
        assertThat(KerasModelConfig.snakeCase("LayerNormalization")).isEqualTo("layer_normalization");
    }
}
