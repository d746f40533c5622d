package io.rnnserving.loading;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.rnnserving.engine.BidirectionalLayer;
import io.rnnserving.engine.ForwardResult;
import io.rnnserving.engine.GruLayer;
import io.rnnserving.engine.Layer;
import io.rnnserving.engine.RecurrentModel;
import io.rnnserving.engine.SequenceBatch;
import io.rnnserving.engine.StateSequence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import static io.rnnserving.loading.KerasFixtures.GENERATED;
import static io.rnnserving.loading.KerasFixtures.assertCloseToKeras;
import static io.rnnserving.loading.KerasFixtures.flatten;
import static io.rnnserving.loading.KerasFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The models make_recurrent_fixtures.py saved three ways (LSTM, GRU, Bidirectional, Embedding, TimeDistributed,
 * pooling, normalisation, Flatten, every activation), against what Keras computed: outputs, every recurrent layer's
 * state after each step and at the end, each sample of a ragged batch alone, and chunk-by-chunk streaming.
 */
class RecurrentKerasFilesTest {
    static final Path RECURRENT = GENERATED.resolve("recurrent");
    /** Chunk by chunk the engine does the same arithmetic as on the whole sequence; only summation order may differ. */
    private static final double STREAMING_TOLERANCE = 1e-6;

    static Stream<String> fixtures() throws IOException {
        try (Stream<Path> files = Files.list(RECURRENT)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(name -> name.endsWith(".config.json"))
                    .map(name -> name.substring(0, name.length() - ".config.json".length()))
                    .sorted()
                    .toList()
                    .stream();
        }
    }

    static Stream<String> raggedFixtures() throws IOException {
        return fixtures().filter(name -> fixture(name).has("ragged"));
    }

    static Stream<String> streamingFixtures() throws IOException {
        return fixtures().filter(name -> fixture(name).has("streaming"));
    }

    private static JsonNode fixture(String name) {
        return json(RECURRENT.resolve(name + ".json"));
    }

    private static LoadedModel archive(String name) {
        return ModelFileReader.read(RECURRENT.resolve(name + ".keras"), null);
    }

    @Test
    void everyLayerAndOptionOfTheIssueHasAFixture() throws IOException {
        assertThat(fixtures().toList()).contains("lstm", "lstm_stacked", "lstm_options", "gru", "gru_reset_before",
                "gru_no_bias", "bidi_simple_concat", "bidi_lstm_sum_seq", "bidi_gru_mul", "bidi_gru_ave_seq",
                "bidi_masked", "embedding_lstm", "embedding_mask_zero", "embedding_mask_bidi", "pooling_max_masked",
                "pooling_average", "batch_norm", "layer_norm", "flatten", "time_distributed", "act_softmax_mish",
                "act_leaky_relu_relu6", "act_mish_log_softmax", "act_hard_silu_celu", "act_lstm_mish_hard_silu",
                "lstm_masked_backwards", "lstm_stateful");
    }

    @Test
    void keepsTheKerasLayersAndTheirOptions() {
        RecurrentModel text = archive("embedding_mask_zero").model();
        assertThat(names(text)).containsExactly("embedding:Embedding", "gru:GRU",
                "global_average_pooling1d:GlobalAveragePooling1D", "dense:Dense");
        assertThat(text.inputFeatures()).isEqualTo(1);
        assertThat(text.embedding()).hasValueSatisfying(e -> {
            assertThat(e.maskZero()).isTrue();
            assertThat(e.vocabularySize()).isEqualTo(12);
        });
        assertThat(((GruLayer) text.recurrentLayer("gru")).resetAfter()).isTrue();
        assertThat(((GruLayer) archive("gru_reset_before").model().recurrentLayer("gru")).resetAfter()).isFalse();

        BidirectionalLayer bidirectional = (BidirectionalLayer) archive("bidi_gru_mul").model()
                .recurrentLayer("bidirectional");
        assertThat(bidirectional.mergeMode()).isEqualTo(BidirectionalLayer.MergeMode.MUL);
        assertThat(bidirectional.forwardLayer()).isInstanceOf(GruLayer.class);
        assertThat(bidirectional.backwardLayer().goBackwards()).isTrue();
        assertThat(bidirectional.acceptsInitialState()).isFalse();

        assertThat(archive("lstm_stateful").model().recurrentLayer("lstm").stateful()).isTrue();
        assertThat(archive("lstm").model().declaredSteps()).isEqualTo(5);
        assertThat(archive("gru").model().declaredSteps()).isNull();
        assertThat(names(archive("time_distributed").model())).containsExactly("simple_rnn:SimpleRNN",
                "time_distributed:TimeDistributed", "time_distributed_1:TimeDistributed");
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void eachFileKindAnswersAsKerasDid(String name) {
        JsonNode fixture = fixture(name);
        double[][][] x = batch(fixture.get("input"));
        LoadedModel archive = archive(name);
        LoadedModel legacy = ModelFileReader.read(RECURRENT.resolve(name + ".h5"), null);
        LoadedModel weights = ModelFileReader.read(RECURRENT.resolve(name + ".weights.h5"),
                RECURRENT.resolve(name + ".config.json"));
        assertThat(List.of(archive.fileKind(), legacy.fileKind(), weights.fileKind()))
                .containsExactly("Keras 3 .keras", "legacy HDF5 .h5", "weights .h5 + config");

        double[] fromArchive = archive.model().predict(SequenceBatch.of(x)).output();
        assertCloseToKeras(fromArchive, flatten(fixture.get("expected")), name + ".keras");
        // the same float32 weights through three readers: bit-for-bit the same answers
        assertThat(legacy.model().predict(SequenceBatch.of(x)).output()).as(name + ".h5").containsExactly(fromArchive);
        assertThat(weights.model().predict(SequenceBatch.of(x)).output()).as(name + ".weights.h5")
                .containsExactly(fromArchive);
        assertThat(names(legacy.model())).isEqualTo(names(archive.model())).isEqualTo(names(weights.model()));
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void everyRecurrentLayersStatesAfterEachStepAreKeras(String name) {
        JsonNode fixture = fixture(name);
        ForwardResult result = archive(name).model()
                .predictFromStates(SequenceBatch.of(batch(fixture.get("input"))), Map.of(), true);
        Map<String, double[]> kerasTraces = parts(fixture.get("traces"));
        Map<String, double[]> kerasFinals = parts(fixture.get("final_states"));
        assertThat(kerasTraces).isNotEmpty();
        kerasTraces.forEach((key, keras) -> assertCloseToKeras(trace(result, key).values(), keras, name + " trace " + key));
        kerasFinals.forEach((key, keras) -> assertCloseToKeras(finalState(result, key), keras, name + " final " + key));
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void parameterCountsAreThoseOfKerasSummary(String name) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (Layer layer : archive(name).model().layers()) {
            if (layer.parameterCount() > 0) {
                counts.put(layer.name(), layer.parameterCount());
            }
        }
        Map<String, Long> keras = new LinkedHashMap<>();
        fixture(name).get("parameters").properties().forEach(e -> keras.put(e.getKey(), e.getValue().longValue()));
        assertThat(counts).isEqualTo(keras);
    }

    /** Keras on each sample alone; the padded batch as it stands is Keras' model.predict(padded). */
    @ParameterizedTest
    @MethodSource("raggedFixtures")
    void eachSampleOfARaggedBatchAnswersAsAlone(String name) {
        JsonNode ragged = fixture(name).get("ragged");
        RecurrentModel model = archive(name).model();
        double[][][] x = batch(ragged.get("x"));
        ForwardResult result = model.predictFromStates(SequenceBatch.of(x), Map.of(), true);
        for (int n = 0; n < x.length; n++) {
            int length = x[n].length;
            String sample = name + " sample " + n + " (" + length + " steps)";
            assertCloseToKeras(sampleOutput(result, n, length), flatten(ragged.get("expected").get(n)), sample);
            int step = n;
            parts(ragged.get("traces").get(n)).forEach((key, keras) -> assertCloseToKeras(
                    sampleTrace(trace(result, key), step, length), keras, sample + " trace " + key));
            parts(ragged.get("final_states").get(n)).forEach((key, keras) -> {
                double[] all = finalState(result, key);
                int units = all.length / x.length;
                assertCloseToKeras(Arrays.copyOfRange(all, step * units, (step + 1) * units), keras,
                        sample + " final " + key);
            });
        }
        double[][][] padded = batch(ragged.get("padded"));
        assertCloseToKeras(model.predict(SequenceBatch.of(padded)).output(), flatten(ragged.get("expected_masked")),
                name + " padded batch as it stands");
    }

    /**
     * The first chunk's answer and states are Keras'; the second chunk, from the engine's own states, is Keras' and
     * the engine's whole-sequence answer.
     */
    @ParameterizedTest
    @MethodSource("streamingFixtures")
    void streamingChunkByChunkEqualsTheWholeSequence(String name) {
        JsonNode fixture = fixture(name);
        JsonNode streaming = fixture.get("streaming");
        int split = streaming.get("split").intValue();
        RecurrentModel model = archive(name).model();
        double[][][] x = batch(fixture.get("input"));
        double[][][] first = new double[x.length][][];
        double[][][] second = new double[x.length][][];
        for (int n = 0; n < x.length; n++) {
            first[n] = Arrays.copyOfRange(x[n], 0, split);
            second[n] = Arrays.copyOfRange(x[n], split, x[n].length);
        }
        ForwardResult whole = model.predict(SequenceBatch.of(x));
        ForwardResult one = model.predict(SequenceBatch.of(first));
        assertCloseToKeras(one.output(), flatten(streaming.get("first").get("expected")), name + " first chunk");
        parts(streaming.get("first").get("states")).forEach((key, keras) ->
                assertCloseToKeras(finalState(one, key), keras, name + " state after the first chunk " + key));

        ForwardResult two = model.predictFromStates(SequenceBatch.of(second), one.finalStateParts(), false);
        assertCloseToKeras(two.output(), flatten(streaming.get("second").get("expected")), name + " second chunk");
        parts(streaming.get("second").get("states")).forEach((key, keras) ->
                assertCloseToKeras(finalState(two, key), keras, name + " state after the second chunk " + key));
        double[] wholeAnswer = whole.output();
        if (whole.isSequence()) {
            // the second chunk answers the whole sequence's steps from split on
            int width = whole.outputWidth();
            int steps = whole.outputSteps();
            List<Double> tail = new ArrayList<>();
            for (int n = 0; n < x.length; n++) {
                for (int t = split; t < steps; t++) {
                    for (int k = 0; k < width; k++) {
                        tail.add(wholeAnswer[(n * steps + t) * width + k]);
                    }
                }
            }
            wholeAnswer = tail.stream().mapToDouble(Double::doubleValue).toArray();
        }
        assertThat(two.output()).as(name + " chunked against whole")
                .containsExactly(wholeAnswer, within(STREAMING_TOLERANCE));
    }

    /** Token ids (N×T) become N×T×1; features (N×T×D) stay as they are. Samples may differ in length. */
    static double[][][] batch(JsonNode nested) {
        double[][][] x = new double[nested.size()][][];
        for (int n = 0; n < x.length; n++) {
            JsonNode sample = nested.get(n);
            x[n] = new double[sample.size()][];
            for (int t = 0; t < x[n].length; t++) {
                JsonNode step = sample.get(t);
                x[n][t] = step.isArray() ? flatten(step) : new double[] {step.doubleValue()};
            }
        }
        return x;
    }

    /**
     * Keras' traces or states by "layer/part": {@code lstm/h}, {@code lstm/c}, and for a Bidirectional layer
     * {@code bidirectional/forward_h}, {@code bidirectional/backward_c}, … as the engine names its parts.
     */
    static Map<String, double[]> parts(JsonNode byLayer) {
        Map<String, double[]> parts = new LinkedHashMap<>();
        byLayer.properties().forEach(layer -> layer.getValue().properties().forEach(entry -> {
            if (entry.getValue().isObject()) {
                entry.getValue().properties().forEach(part -> parts.put(layer.getKey() + "/" + entry.getKey() + "_"
                        + part.getKey(), flatten(part.getValue())));
            } else {
                parts.put(layer.getKey() + "/" + entry.getKey(), flatten(entry.getValue()));
            }
        }));
        return parts;
    }

    private static StateSequence trace(ForwardResult result, String key) {
        String[] layerAndPart = key.split("/");
        assertThat(result.stateTraces()).as(key).containsKey(layerAndPart[0]);
        StateSequence trace = result.stateTraces().get(layerAndPart[0]).get(layerAndPart[1]);
        assertThat(trace).as(key).isNotNull();
        return trace;
    }

    private static double[] finalState(ForwardResult result, String key) {
        String[] layerAndPart = key.split("/");
        assertThat(result.finalStateParts()).as(key).containsKey(layerAndPart[0]);
        double[] state = result.finalStateParts().get(layerAndPart[0]).get(layerAndPart[1]);
        assertThat(state).as(key).isNotNull();
        return state;
    }

    private static double[] sampleOutput(ForwardResult result, int sample, int length) {
        int width = result.outputWidth();
        if (!result.isSequence()) {
            return Arrays.copyOfRange(result.output(), sample * width, (sample + 1) * width);
        }
        int start = sample * result.outputSteps() * width;
        return Arrays.copyOfRange(result.output(), start, start + length * width);
    }

    private static double[] sampleTrace(StateSequence trace, int sample, int length) {
        double[] values = new double[length * trace.units()];
        for (int t = 0; t < length; t++) {
            System.arraycopy(trace.state(sample, t), 0, values, t * trace.units(), trace.units());
        }
        return values;
    }

    private static List<String> names(RecurrentModel model) {
        return model.layers().stream().map(l -> l.name() + ":" + l.kerasClass()).toList();
    }
}
