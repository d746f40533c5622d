package io.rnnserving.loading;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.ZipInputStream;

import io.jhdf.HdfFile;
import io.rnnserving.Prerequisite;
import io.rnnserving.engine.Activation;
import io.rnnserving.engine.ActivationLayer;
import io.rnnserving.engine.DenseLayer;
import io.rnnserving.engine.ForwardResult;
import io.rnnserving.engine.RecurrentModel;
import io.rnnserving.engine.SequenceBatch;
import io.rnnserving.engine.SimpleRnnLayer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import static io.rnnserving.loading.KerasFixtures.KERAS_TOLERANCE;
import static io.rnnserving.loading.KerasFixtures.SHARED;
import static io.rnnserving.loading.KerasFixtures.assertCloseToKeras;
import static io.rnnserving.loading.KerasFixtures.batch;
import static io.rnnserving.loading.KerasFixtures.flatten;
import static io.rnnserving.loading.KerasFixtures.json;
import static io.rnnserving.loading.KerasFixtures.predict;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Real Keras-saved files from ../shared/fixtures/keras (see its PROVENANCE.txt), against Keras' outputs: a
 * compatibility suite that runs where that folder exists (CI) and is skipped with the reason where it does not.
 */
class SharedKerasFixturesTest {
    // per test, not per class: surefire counts a test skipped in @BeforeEach, not a class skipped in @BeforeAll
    @BeforeEach
    void sharedFixturesArePresent() {
        Prerequisite.requireSharedKerasFixtures();
    }

    private static final Path DL4J = SHARED.resolve("dl4j");
    private static final Path GENERATED_K3 = SHARED.resolve("generated-keras3");

    @ParameterizedTest
    @ValueSource(strings = {"A_rnn_tanh_dense_linear", "B_rnn_seq_backwards_dense_softmax",
            "C_sequential_relu_nobias_sigmoid", "D_masking_rnn_dense"})
    void keras3FilesAnswerAsKerasDid(String name, @TempDir Path temp) throws IOException {
        JsonNode fixture = json(GENERATED_K3.resolve("inputs_outputs.json")).get(name);
        double[][][] x = batch(fixture.get("input"));
        double[] keras = flatten(fixture.get("output"));
        // the weights file's config is the one inside the .keras archive
        Path config = temp.resolve("config.json");
        Files.write(config, zipEntry(GENERATED_K3.resolve(name + ".keras"), "config.json"));

        for (LoadedModel loaded : new LoadedModel[] {
                ModelFileReader.read(GENERATED_K3.resolve(name + ".keras"), null),
                ModelFileReader.read(GENERATED_K3.resolve(name + ".h5"), null),
                ModelFileReader.read(GENERATED_K3.resolve(name + ".weights.h5"), config)}) {
            assertCloseToKeras(predict(loaded, x).output(), keras, name + " as " + loaded.fileKind());
        }
    }

    /** Standalone Keras 2.1.3: SimpleRNN(50) -> Dense(1) on 25 one-step sequences; predictions/ is Keras' predict(). */
    @ParameterizedTest
    @CsvSource({"simple_rnn_tf_keras_2_model.h5,",
            "simple_rnn_tf_keras_2_weights.h5,simple_rnn_tf_keras_2_config.json",
            "simple_rnn_tf_keras_2_weights.h5,configs_keras2_simple_rnn_tf_keras_2_config.json"})
    void keras2FilesAnswerAsKerasDid(String file, String config) {
        LoadedModel loaded = ModelFileReader.read(DL4J.resolve(file), config == null ? null : DL4J.resolve(config));
        assertThat(loaded.kerasVersion()).isEqualTo("2.1.3");
        assertThat(loaded.model().layers()).extracting(l -> l.name()).containsExactly("simple_rnn_1", "dense_1");
        try (HdfFile data = new HdfFile(DL4J.resolve("simple_rnn_tf_keras_2_inputs_and_outputs.h5"))) {
            float[] input = (float[]) data.getDatasetByPath("inputs/simple_rnn_1_input").getDataFlat();
            float[] predictions = (float[]) data.getDatasetByPath("predictions/dense_1").getDataFlat();
            float[] rnnActivations = (float[]) data.getDatasetByPath("activations/simple_rnn_1").getDataFlat();
            ForwardResult result = loaded.model().predict(SequenceBatch.rectangular(widen(input), 25, 1, 1),
                    java.util.Map.of(), false);
            assertCloseToKeras(result.finalStates().get("simple_rnn_1"), widen(rnnActivations), "simple_rnn_1");
            // outputs reach 19.5, where float32 keeps about 2e-6: the 1e-5 tolerance still holds
            assertCloseToKeras(result.output(), widen(predictions), "dense_1");
        }
    }

    @Test
    void keras1And2WeightFilesLoadWithTheirLayers() {
        // SimpleRNN(6) on (4, 1): 1×6 + 6×6 + 6 = 48 parameters, as model.summary() counts them
        for (String file : new String[] {"simple_rnn_tensorflow_1.h5", "simple_rnn_theano_1.h5",
                "simple_rnn_tensorflow_2.h5", "simple_rnn_theano_2.h5"}) {
            LoadedModel loaded = ModelFileReader.read(DL4J.resolve(file), null);
            RecurrentModel model = loaded.model();
            assertThat(model.layers()).as(file).hasSize(1).first().isInstanceOf(SimpleRnnLayer.class);
            assertThat(model.parameterCount()).as(file).isEqualTo(48);
            assertThat(model.declaredSteps()).as(file).isEqualTo(4);
            assertThat(model.inputFeatures()).as(file).isEqualTo(1);
            assertThat(model.outputWidth()).as(file).isEqualTo(6);
            assertThat(loaded.kerasVersion()).as(file).startsWith(file.endsWith("_1.h5") ? "1." : "2.");
            assertRuns(model, 4);
        }
        assertThat(ModelFileReader.read(DL4J.resolve("simple_rnn_theano_1.h5"), null).model().layers().get(0).name())
                .isEqualTo("simplernn_1");
    }

    @ParameterizedTest
    @CsvSource({"rnn_2.h5,3,simple_rnn_2,activation_2,false", "rnn_144.h5,,simple_rnn_72,activation_72,true"})
    void tfKerasFunctionalModelsWithAnActivationLayerLoad(String file, Integer steps, String rnn, String activation,
                                                          boolean sequences) {
        LoadedModel loaded = ModelFileReader.read(SHARED.resolve("dl4j-tfkeras").resolve(file), null);
        RecurrentModel model = loaded.model();
        assertThat(loaded.kerasVersion()).isEqualTo("2.2.4-tf");
        assertThat(model.layers()).extracting(l -> l.name() + ":" + l.kerasClass())
                .containsExactly(rnn + ":SimpleRNN", activation + ":Activation");
        assertThat(((ActivationLayer) model.layers().get(1)).activation()).isEqualTo(Activation.RELU);
        // SimpleRNN(6) on 4 (rnn_2) or 3 (rnn_144) features: D×6 + 6×6 + 6
        assertThat(model.parameterCount()).isEqualTo(model.inputFeatures() * 6L + 36 + 6);
        assertThat(model.declaredSteps()).isEqualTo(steps);
        assertThat(model.outputsSequences()).isEqualTo(sequences);
        assertRuns(model, 5);
    }

    /** keras-js layer cases: the engine from the JSON's weights; values rounded to 6 dp, so 1e-5 + 5e-6. */
    @Test
    void kerasJsSimpleRnnCases() {
        JsonNode cases = json(SHARED.resolve("keras-js/SimpleRNN.json"));
        JsonNode args = json(SHARED.resolve("keras-js/SimpleRNN.args.json"));
        for (int i = 0; i <= 8; i++) {
            String key = "recurrent.SimpleRNN." + i;
            JsonNode c = cases.get(key);
            JsonNode a = args.get(key);
            int units = a.get("units").intValue();
            int[] inShape = ints(c.get("input").get("shape"));
            JsonNode weights = c.get("weights");
            double[][] kernel = matrix(weights.get(0), inShape[1], units);
            double[][] recurrent = matrix(weights.get(1), units, units);
            double[] bias = weights.size() > 2 ? flatten(weights.get(2).get("data")) : null;
            boolean stateful = a.path("stateful").asBoolean(false);
            SimpleRnnLayer layer = SimpleRnnLayer.of("simple_rnn", kernel, recurrent, bias,
                    Activation.fromKerasName(a.get("activation").asString(), 2),
                    a.path("return_sequences").asBoolean(false), a.path("go_backwards").asBoolean(false), stateful);
            RecurrentModel model = RecurrentModel.of(key, inShape[0], inShape[1], java.util.List.of(layer));
            SequenceBatch batch = SequenceBatch.rectangular(flatten(c.get("input").get("data")), 1, inShape[0],
                    inShape[1]);
            ForwardResult result = model.predict(batch);
            if (stateful) {
                // the notebook called predict() twice on a stateful layer and recorded the second answer
                result = model.predict(batch, java.util.Map.of("simple_rnn", result.finalStates().get("simple_rnn")),
                        false);
            }
            assertThat(result.output()).as(key)
                    .containsExactly(flatten(c.get("expected").get("data")), within(KERAS_TOLERANCE + 5e-6));
        }
    }

    /** Dense cases through a model whose SimpleRNN passes its one-step input through exactly (identity, linear). */
    @Test
    void kerasJsDenseCases() {
        JsonNode cases = json(SHARED.resolve("keras-js/Dense.json"));
        JsonNode args = json(SHARED.resolve("keras-js/SimpleRNN.args.json"));
        double[][] identity = new double[6][6];
        for (int i = 0; i < 6; i++) {
            identity[i][i] = 1.0;
        }
        for (int i = 0; i <= 5; i++) {
            String key = "core.Dense." + i;
            JsonNode c = cases.get(key);
            JsonNode weights = c.get("weights");
            DenseLayer dense = DenseLayer.of("dense", matrix(weights.get(0), 6, 2),
                    weights.size() > 1 ? flatten(weights.get(1).get("data")) : null,
                    Activation.fromKerasName(args.get(key).get("activation").asString(), 2));
            SimpleRnnLayer passThrough = SimpleRnnLayer.of("identity", identity, new double[6][6], null,
                    Activation.LINEAR, false, false, false);
            RecurrentModel model = RecurrentModel.of(key, 1, 6, java.util.List.of(passThrough, dense));
            ForwardResult result = model.predict(SequenceBatch.rectangular(flatten(c.get("input").get("data")), 1, 1, 6));
            assertThat(result.output()).as(key)
                    .containsExactly(flatten(c.get("expected").get("data")), within(KERAS_TOLERANCE + 5e-6));
        }
    }

    private static void assertRuns(RecurrentModel model, int steps) {
        int features = model.inputFeatures();
        double[] values = new double[2 * steps * features];
        Arrays.setAll(values, i -> Math.sin(i));
        ForwardResult result = model.predict(SequenceBatch.rectangular(values, 2, steps, features));
        assertThat(result.output()).hasSize(2 * (model.outputsSequences() ? steps : 1) * model.outputWidth());
        assertThat(Arrays.stream(result.output()).allMatch(Double::isFinite)).isTrue();
    }

    private static double[] widen(float[] floats) {
        double[] values = new double[floats.length];
        for (int i = 0; i < floats.length; i++) {
            values[i] = floats[i];
        }
        return values;
    }

    private static int[] ints(JsonNode array) {
        int[] values = new int[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).intValue();
        }
        return values;
    }

    private static double[][] matrix(JsonNode weight, int rows, int cols) {
        assertThat(ints(weight.get("shape"))).containsExactly(rows, cols);
        double[] flat = flatten(weight.get("data"));
        double[][] matrix = new double[rows][cols];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(flat, r * cols, matrix[r], 0, cols);
        }
        return matrix;
    }

    private static byte[] zipEntry(Path archive, String entryName) throws IOException {
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(archive))) {
            for (var entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                if (entry.getName().equals(entryName)) {
                    return zip.readAllBytes();
                }
            }
        }
        throw new IllegalStateException(archive + " has no " + entryName);
    }
}
