package io.rnnserving.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import io.jhdf.HdfFile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rnnserving.Prerequisite;
import io.rnnserving.repository.ModelRepository;
import io.rnnserving.engine.EngineSettings;
import io.rnnserving.engine.RecurrentLayer;
import io.rnnserving.engine.RecurrentModel;
import io.rnnserving.loading.LoadedModel;
import io.rnnserving.loading.ModelFileReader;
import io.rnnserving.serving.RequestLimits;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every Keras-saved fixture with stored Keras outputs, served through POST /predict (the real controller,
 * request reader and response), within 1e-5 of Keras: Keras computes in float32, this service in float64.
 */
class KerasModelsOverHttpTest {
    private static final double KERAS_TOLERANCE = 1e-5;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Path SHARED = Prerequisite.SHARED_KERAS_FIXTURES;
    private static final Path GENERATED = Path.of("src/test/resources/keras");

    @TempDir
    static Path temp;

    /** A /predict of one model, and the model for the test to read its layers. */
    private record Served(MockMvcTester mvc, RecurrentModel model) {
    }

    private static Served served(Path model, @Nullable Path config) {
        LoadedModel loaded = ModelFileReader.read(model, config);
        ModelRepository repository = ModelRepository.ofSingleModel(loaded, EngineSettings.defaults(),
                new SimpleMeterRegistry());
        return new Served(MockMvcTester.of(new PredictController(repository, RequestLimits.DEFAULTS)), loaded.model());
    }

    private static MockMvcTester serving(Path model, @Nullable Path config) {
        return served(model, config).mvc();
    }

    private static JsonNode predict(MockMvcTester mvc, Map<String, Object> body) throws Exception {
        var result = mvc.post().uri("/predict").contentType(MediaType.APPLICATION_JSON)
                .content(JSON.writeValueAsString(body)).exchange();
        assertThat(result).hasStatusOk();
        return JSON.readTree(result.getResponse().getContentAsString());
    }

    /** Names only: each case reads its files, so without ../shared every case is reported skipped (failed in CI). */
    static Stream<Arguments> sharedKeras3Files() {
        return Stream.of("A_rnn_tanh_dense_linear", "B_rnn_seq_backwards_dense_softmax",
                        "C_sequential_relu_nobias_sigmoid", "D_masking_rnn_dense")
                .flatMap(name -> Stream.of(".keras", ".h5", ".weights.h5").map(kind -> Arguments.of(name, kind)));
    }

    @ParameterizedTest(name = "{0}{1}")
    @MethodSource("sharedKeras3Files")
    void sharedKeras3FilesAnswerAsKerasDid(String name, String kind) throws Exception {
        Prerequisite.requireSharedKerasFixtures();
        Path dir = SHARED.resolve("generated-keras3");
        JsonNode fixture = JSON.readTree(Files.readAllBytes(dir.resolve("inputs_outputs.json"))).get(name);
        Path config = null;
        if (kind.equals(".weights.h5")) {
            config = temp.resolve(name + ".config.json");
            Files.write(config, configOf(dir.resolve(name + ".keras")));
        }
        JsonNode answer = predict(serving(dir.resolve(name + kind), config), Map.of("x", fixture.get("input")));
        assertCloseTo(answer.get("yhat"), fixture.get("output"));
    }

    @Test
    void sharedKeras2FileAnswersAsKerasDid() throws Exception {
        Prerequisite.requireSharedKerasFixtures();
        Path dl4j = SHARED.resolve("dl4j");
        double[][][] x = new double[25][1][1];
        double[][] keras = new double[25][1];
        try (HdfFile data = new HdfFile(dl4j.resolve("simple_rnn_tf_keras_2_inputs_and_outputs.h5"))) {
            float[] input = (float[]) data.getDatasetByPath("inputs/simple_rnn_1_input").getDataFlat();
            float[] predictions = (float[]) data.getDatasetByPath("predictions/dense_1").getDataFlat();
            for (int n = 0; n < 25; n++) {
                x[n][0][0] = input[n];
                keras[n][0] = predictions[n];
            }
        }
        JsonNode answer = predict(serving(dl4j.resolve("simple_rnn_tf_keras_2_model.h5"), null), Map.of("x", x));
        assertCloseTo(answer.get("yhat"), JSON.valueToTree(keras));
    }

    static Stream<Arguments> generatedFiles() throws IOException {
        List<Arguments> cases = new ArrayList<>();
        try (Stream<Path> files = Files.list(GENERATED)) {
            for (Path keras : files.filter(f -> f.toString().endsWith(".keras")).sorted().toList()) {
                String name = keras.getFileName().toString().replace(".keras", "");
                Path expected = GENERATED.resolve(name + ".json");
                // the three file kinds of one model; ragged_* and initial_state_* have tests of their own
                if (!Files.exists(expected) || !Files.exists(GENERATED.resolve(name + ".weights.h5"))) {
                    continue;
                }
                JsonNode fixture = JSON.readTree(Files.readAllBytes(expected));
                if (!fixture.has("expected") || fixture.has("initial_states") || fixture.has("states")) {
                    continue;
                }
                cases.add(Arguments.of(name + ".keras", keras, null, fixture));
                cases.add(Arguments.of(name + ".h5", GENERATED.resolve(name + ".h5"), null, fixture));
                cases.add(Arguments.of(name + ".weights.h5", GENERATED.resolve(name + ".weights.h5"),
                        GENERATED.resolve(name + ".config.json"), fixture));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("generatedFiles")
    void generatedFilesAnswerAsKerasDid(String what, Path model, Path config, JsonNode fixture) throws Exception {
        JsonNode answer = predict(serving(model, config), Map.of("x", fixture.get("input")));
        assertCloseTo(answer.get("yhat"), fixture.get("expected"));
    }

    /** make_recurrent_fixtures.py's models, on feature inputs and on token ids. */
    static Stream<Arguments> recurrentFiles() throws IOException {
        List<Arguments> cases = new ArrayList<>();
        Path dir = GENERATED.resolve("recurrent");
        try (Stream<Path> files = Files.list(dir)) {
            for (Path config : files.filter(f -> f.toString().endsWith(".config.json")).sorted().toList()) {
                String name = config.getFileName().toString().replace(".config.json", "");
                JsonNode fixture = JSON.readTree(Files.readAllBytes(dir.resolve(name + ".json")));
                cases.add(Arguments.of(name, dir.resolve(name + ".keras"), fixture));
            }
        }
        return cases.stream();
    }

    /** The recurrent fixtures with a streaming check: those whose layers all read the time axis forwards. */
    static Stream<Arguments> streamableRecurrentFiles() throws IOException {
        return recurrentFiles().filter(arguments -> ((JsonNode) arguments.get()[2]).has("streaming"));
    }

    /**
     * Outputs, every recurrent layer's states after every step (trace) and after the last (returnState), for the
     * whole batch and for each ragged sample, as Keras computed them.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("recurrentFiles")
    void recurrentFilesAnswerAsKerasDid(String name, Path model, JsonNode fixture) throws Exception {
        Served served = served(model, null);
        MockMvcTester mvc = served.mvc();
        JsonNode whole = predict(mvc, Map.of("x", fixture.get("input"), "trace", true, "returnState", true));
        assertCloseTo(whole.get("yhat"), fixture.get("expected"));
        assertStatesAsKeras(served.model(), whole, fixture.get("traces"), fixture.get("final_states"), -1);
        if (fixture.has("ragged")) {
            JsonNode ragged = fixture.get("ragged");
            JsonNode answer = predict(mvc, Map.of("x", ragged.get("x"), "trace", true, "returnState", true));
            assertCloseTo(answer.get("yhat"), ragged.get("expected"));
            for (int n = 0; n < ragged.get("x").size(); n++) {
                assertStatesAsKeras(served.model(), answer, ragged.get("traces").get(n), ragged.get("final_states")
                        .get(n), n);
            }
            JsonNode padded = predict(mvc, Map.of("x", ragged.get("padded"), "lengths", ragged.get("lengths")));
            assertThat(padded.get("yhat")).isEqualTo(answer.get("yhat"));
        }
    }

    /**
     * Chunk by chunk with h0 and returnState: each chunk as Keras' model with initial_state inputs answered it, and
     * the second chunk as the whole sequence (to 1e-6).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("streamableRecurrentFiles")
    void streamingChunkByChunkAnswersAsTheWholeSequence(String name, Path model, JsonNode fixture) throws Exception {
        Served served = served(model, null);
        MockMvcTester mvc = served.mvc();
        JsonNode streaming = fixture.get("streaming");
        int split = streaming.get("split").asInt();
        List<JsonNode> first = new ArrayList<>();
        List<JsonNode> second = new ArrayList<>();
        for (JsonNode sample : fixture.get("input")) {
            List<JsonNode> steps = new ArrayList<>();
            sample.forEach(steps::add);
            first.add(JSON.valueToTree(steps.subList(0, split)));
            second.add(JSON.valueToTree(steps.subList(split, steps.size())));
        }
        JsonNode one = predict(mvc, Map.of("x", first, "returnState", true));
        assertCloseTo(one.get("yhat"), streaming.get("first").get("expected"));
        assertStatesAsKeras(served.model(), one, null, streaming.get("first").get("states"), -1);
        JsonNode two = predict(mvc, Map.of("x", second, "h0", one.get("state"), "returnState", true));
        assertCloseTo(two.get("yhat"), streaming.get("second").get("expected"));
        assertStatesAsKeras(served.model(), two, null, streaming.get("second").get("states"), -1);

        JsonNode whole = predict(mvc, Map.of("x", fixture.get("input"), "returnState", true));
        assertClose(two.get("state"), whole.get("state"), 1e-6, "the state after both chunks");
        JsonNode wholeYhat = whole.get("yhat");
        if (served.model().outputsSequences()) {
            for (int n = 0; n < wholeYhat.size(); n++) {
                List<JsonNode> joined = new ArrayList<>();
                one.get("yhat").get(n).forEach(joined::add);
                two.get("yhat").get(n).forEach(joined::add);
                assertClose(JSON.valueToTree(joined), wholeYhat.get(n), 1e-6);
            }
        } else {
            assertClose(two.get("yhat"), wholeYhat, 1e-6);
        }
    }

    /**
     * Every recurrent layer's trace and final state in the answer against Keras' (make_recurrent_fixtures.py:
     * {@code {layer: {"h", "c"}}}, a Bidirectional's under "forward" and "backward"), for the whole batch or, with
     * {@code sample} ≥ 0, for that sample of the answer against Keras on it alone.
     */
    private static void assertStatesAsKeras(RecurrentModel model, JsonNode answer, @Nullable JsonNode kerasTraces,
                                            JsonNode kerasFinals, int sample) {
        List<RecurrentLayer> recurrent = model.recurrentLayers();
        for (RecurrentLayer layer : recurrent) {
            for (String part : layer.stateParts()) {
                int underscore = part.indexOf('_');
                String direction = underscore < 0 ? null : part.substring(0, underscore);
                String kind = underscore < 0 ? part : part.substring(underscore + 1);
                JsonNode layerState = recurrent.size() == 1 ? answer.get("state") : answer.get("state").get(layer.name());
                JsonNode state = layerState.isArray() ? layerState : layerState.get(part);
                JsonNode kerasFinal = direction == null ? kerasFinals.get(layer.name()).get(kind)
                        : kerasFinals.get(layer.name()).get(direction).get(kind);
                assertCloseTo(sample < 0 ? state : state.get(sample), kerasFinal, layer.name() + " state " + part);
                if (kerasTraces == null) {
                    continue;
                }
                String key = direction == null ? layer.name() : layer.name() + "/" + direction;
                boolean byLayer = answer.has("hiddenByLayer");
                JsonNode trace = kind.equals("h")
                        ? (byLayer ? answer.get("hiddenByLayer").get(key) : answer.get("hidden"))
                        : (byLayer ? answer.get("cellByLayer").get(key) : answer.get("cell"));
                JsonNode kerasTrace = direction == null ? kerasTraces.get(layer.name()).get(kind)
                        : kerasTraces.get(layer.name()).get(direction).get(kind);
                assertCloseTo(sample < 0 ? trace : trace.get(sample), kerasTrace, key + " trace " + kind);
            }
        }
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"initial_state_single", "initial_state_stacked"})
    void initialStatesAnswerAsKerasInitialStateDid(String name) throws Exception {
        JsonNode fixture = JSON.readTree(Files.readAllBytes(GENERATED.resolve(name + ".json")));
        MockMvcTester mvc = serving(GENERATED.resolve(fixture.get("model_file").asString()), null);
        Map<String, JsonNode> h0 = new LinkedHashMap<>();
        fixture.get("initial_states").properties().forEach(e -> h0.put(e.getKey(), e.getValue()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("x", fixture.get("input"));
        body.put("h0", h0);
        body.put("returnState", true);

        JsonNode answer = predict(mvc, body);

        assertCloseTo(answer.get("yhat"), fixture.get("expected"));
        JsonNode state = answer.get("state");
        for (Map.Entry<String, JsonNode> finalState : fixture.get("final_states").properties()) {
            assertCloseTo(state.isObject() ? state.get(finalState.getKey()) : state, finalState.getValue());
        }
        assertCloseTo(predict(mvc, Map.of("x", fixture.get("input"))).get("yhat"), fixture.get("expected_zero_state"));
    }

    @Test
    void maskedStepsCarryTheStateAsKerasDoes() throws Exception {
        JsonNode fixture = JSON.readTree(Files.readAllBytes(GENERATED.resolve("masking_states.json")));
        MockMvcTester mvc = serving(GENERATED.resolve(fixture.get("model_file").asString()), null);
        JsonNode answer = predict(mvc, Map.of("x", fixture.get("input"), "trace", true));
        assertCloseTo(answer.get("yhat"), fixture.get("expected"));
        assertCloseTo(answer.get("hidden"), fixture.get("states").properties().iterator().next().getValue());
    }

    /** See make_ragged_fixture.py: "expected" is Keras on each sample alone; for one layer it is also Keras' mask. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"ragged_single", "ragged_stacked"})
    void raggedAndPaddedBatchesAnswerWhatKerasAnswersForEachSampleAlone(String name) throws Exception {
        JsonNode fixture = JSON.readTree(Files.readAllBytes(GENERATED.resolve(name + ".json")));
        MockMvcTester mvc = serving(GENERATED.resolve(fixture.get("model_file").asString()), null);
        JsonNode ragged = predict(mvc, Map.of("x", fixture.get("ragged"))).get("yhat");
        assertCloseTo(ragged, fixture.get("expected"));
        assertThat(predict(mvc, Map.of("x", fixture.get("padded"), "lengths", fixture.get("lengths"))).get("yhat"))
                .isEqualTo(ragged);
        if (name.equals("ragged_single")) {
            assertCloseTo(ragged, fixture.get("expected_masked"));
        }
    }

    private static void assertCloseTo(JsonNode actual, JsonNode keras) {
        assertCloseTo(actual, keras, "");
    }

    private static void assertCloseTo(JsonNode actual, JsonNode keras, String what) {
        assertThat(actual).as(what).isNotNull();
        assertClose(actual, keras, KERAS_TOLERANCE, what);
    }

    private static void assertClose(JsonNode actual, JsonNode expected, double tolerance) {
        assertClose(actual, expected, tolerance, "");
    }

    private static void assertClose(JsonNode actual, JsonNode expected, double tolerance, String what) {
        List<Double> a = new ArrayList<>();
        List<Double> k = new ArrayList<>();
        flatten(actual, a);
        flatten(expected, k);
        assertThat(a).as(what).hasSameSizeAs(k);
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.get(i)).as("%s value %d", what, i).isCloseTo(k.get(i), within(tolerance));
        }
    }

    private static void flatten(JsonNode node, List<Double> into) {
        if (node.isArray() || node.isObject()) {
            node.forEach(child -> flatten(child, into));
        } else {
            into.add(node.doubleValue());
        }
    }

    private static byte[] configOf(Path keras) throws IOException {
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(keras))) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                if (entry.getName().equals("config.json")) {
                    return zip.readAllBytes();
                }
            }
        }
        throw new IOException(keras + " has no config.json");
    }
}
