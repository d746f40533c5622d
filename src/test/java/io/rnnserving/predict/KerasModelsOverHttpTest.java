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
import io.rnnserving.serving.ServedModel;
import io.rnnserving.engine.EngineSettings;
import io.rnnserving.loading.ModelFileReader;
import io.rnnserving.serving.RequestBinder;
import io.rnnserving.serving.RequestLimits;
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
    private static final Path SHARED = Path.of("../shared/fixtures/keras");
    private static final Path GENERATED = Path.of("src/test/resources/keras");

    @TempDir
    static Path temp;

    private static MockMvcTester serving(Path model, Path config) {
        ServedModel served = new ServedModel(ModelFileReader.read(model, config), EngineSettings.defaults(),
                new SimpleMeterRegistry());
        return MockMvcTester.of(new PredictController(served, new RequestBinder(served.model(), RequestLimits.DEFAULTS),
                RequestLimits.DEFAULTS));
    }

    private static JsonNode predict(MockMvcTester mvc, Map<String, Object> body) throws Exception {
        var result = mvc.post().uri("/predict").contentType(MediaType.APPLICATION_JSON)
                .content(JSON.writeValueAsString(body)).exchange();
        assertThat(result).hasStatusOk();
        return JSON.readTree(result.getResponse().getContentAsString());
    }

    static Stream<Arguments> sharedKeras3Files() throws IOException {
        List<Arguments> cases = new ArrayList<>();
        JsonNode fixtures = JSON.readTree(Files.readAllBytes(SHARED.resolve("generated-keras3/inputs_outputs.json")));
        for (String name : List.of("A_rnn_tanh_dense_linear", "B_rnn_seq_backwards_dense_softmax",
                "C_sequential_relu_nobias_sigmoid", "D_masking_rnn_dense")) {
            Path dir = SHARED.resolve("generated-keras3");
            Path config = temp.resolve(name + ".config.json");
            Files.write(config, configOf(dir.resolve(name + ".keras")));
            JsonNode fixture = fixtures.get(name);
            cases.add(Arguments.of(name + ".keras", dir.resolve(name + ".keras"), null, fixture));
            cases.add(Arguments.of(name + ".h5", dir.resolve(name + ".h5"), null, fixture));
            cases.add(Arguments.of(name + ".weights.h5", dir.resolve(name + ".weights.h5"), config, fixture));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sharedKeras3Files")
    void sharedKeras3FilesAnswerAsKerasDid(String what, Path model, Path config, JsonNode fixture) throws Exception {
        JsonNode answer = predict(serving(model, config), Map.of("x", fixture.get("input")));
        assertCloseTo(answer.get("yhat"), fixture.get("output"));
    }

    @Test
    void sharedKeras2FileAnswersAsKerasDid() throws Exception {
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

    /** make_recurrent_fixtures.py's models on feature inputs; token-id inputs are the request readers' to define. */
    static Stream<Arguments> recurrentFiles() throws IOException {
        List<Arguments> cases = new ArrayList<>();
        Path dir = GENERATED.resolve("recurrent");
        try (Stream<Path> files = Files.list(dir)) {
            for (Path config : files.filter(f -> f.toString().endsWith(".config.json")).sorted().toList()) {
                String name = config.getFileName().toString().replace(".config.json", "");
                JsonNode fixture = JSON.readTree(Files.readAllBytes(dir.resolve(name + ".json")));
                if (fixture.get("input").get(0).get(0).isArray()) {
                    cases.add(Arguments.of(name, dir.resolve(name + ".keras"), fixture));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recurrentFiles")
    void recurrentFilesAnswerAsKerasDid(String name, Path model, JsonNode fixture) throws Exception {
        MockMvcTester mvc = serving(model, null);
        assertCloseTo(predict(mvc, Map.of("x", fixture.get("input"))).get("yhat"), fixture.get("expected"));
        if (fixture.has("ragged")) {
            JsonNode ragged = fixture.get("ragged");
            assertCloseTo(predict(mvc, Map.of("x", ragged.get("x"))).get("yhat"), ragged.get("expected"));
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
        List<Double> a = new ArrayList<>();
        List<Double> k = new ArrayList<>();
        flatten(actual, a);
        flatten(keras, k);
        assertThat(a).hasSameSizeAs(k);
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.get(i)).as("value %d", i).isCloseTo(k.get(i), within(KERAS_TOLERANCE));
        }
    }

    private static void flatten(JsonNode node, List<Double> into) {
        if (node.isArray()) {
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
