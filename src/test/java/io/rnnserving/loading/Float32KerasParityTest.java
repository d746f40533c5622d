package io.rnnserving.loading;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.jhdf.HdfFile;
import io.rnnserving.Prerequisite;
import io.rnnserving.engine.ForwardResult;
import io.rnnserving.engine.Precision;
import io.rnnserving.engine.RecurrentModel;
import io.rnnserving.engine.SequenceBatch;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static io.rnnserving.loading.KerasFixtures.GENERATED;
import static io.rnnserving.loading.KerasFixtures.KERAS_TOLERANCE;
import static io.rnnserving.loading.KerasFixtures.SHARED;
import static io.rnnserving.loading.KerasFixtures.batch;
import static io.rnnserving.loading.KerasFixtures.flatten;
import static io.rnnserving.loading.KerasFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every Keras fixture of the project (make_fixtures.py's, make_recurrent_fixtures.py's with their traces and final
 * states, and ../shared's Keras-saved files) run in float32, as Keras ran them, and in float64: both within 1e-5 of
 * Keras' predict(); prints the worst error of each precision (issue 18: float32 should be the closer).
 */
class Float32KerasParityTest {

    /** One fixture: the model, its input, and Keras' answers by what they are ("output", "trace lstm/h", ...). */
    private record Fixture(String name, RecurrentModel model, SequenceBatch batch, Map<String, double[]> keras) {
    }

    @Test
    void everyProjectFixtureInFloat32IsWithinToleranceOfKeras() throws IOException {
        List<Fixture> fixtures = new ArrayList<>();
        try (Stream<Path> files = Files.list(GENERATED)) {
            for (Path path : files.sorted().toList()) {
                String file = path.getFileName().toString();
                String name = file.substring(0, file.length() - ".json".length());
                JsonNode fixture = file.endsWith(".json") && !file.endsWith(".config.json") ? json(path) : null;
                if (fixture != null && fixture.has("input") && Files.exists(GENERATED.resolve(name + ".keras"))) {
                    fixtures.add(new Fixture(name, read(GENERATED.resolve(name + ".keras")),
                            SequenceBatch.of(batch(fixture.get("input"))),
                            // Keras from zero states where the fixture also ran it from given ones
                            Map.of("output", flatten(fixture.get(fixture.has("expected_zero_state")
                                    ? "expected_zero_state" : "expected")))));
                }
            }
        }
        Path recurrent = RecurrentKerasFilesTest.RECURRENT;
        for (String name : RecurrentKerasFilesTest.fixtures().toList()) {
            JsonNode fixture = json(recurrent.resolve(name + ".json"));
            Map<String, double[]> keras = new LinkedHashMap<>();
            keras.put("output", flatten(fixture.get("expected")));
            RecurrentKerasFilesTest.parts(fixture.get("traces")).forEach((key, values) -> keras.put("trace " + key, values));
            RecurrentKerasFilesTest.parts(fixture.get("final_states"))
                    .forEach((key, values) -> keras.put("final " + key, values));
            fixtures.add(new Fixture("recurrent/" + name, read(recurrent.resolve(name + ".keras")),
                    SequenceBatch.of(batch(fixture.get("input"))), keras));
        }
        assertThat(fixtures).hasSizeGreaterThan(60);
        assertParity("project fixtures", fixtures);
    }

    @Test
    void theSharedKerasSavedFilesInFloat32AreWithinToleranceOfKeras() {
        Prerequisite.requireSharedKerasFixtures();
        List<Fixture> fixtures = new ArrayList<>();
        Path keras3 = SHARED.resolve("generated-keras3");
        JsonNode cases = json(keras3.resolve("inputs_outputs.json"));
        for (String name : List.of("A_rnn_tanh_dense_linear", "B_rnn_seq_backwards_dense_softmax",
                "C_sequential_relu_nobias_sigmoid", "D_masking_rnn_dense")) {
            fixtures.add(new Fixture("shared/" + name, read(keras3.resolve(name + ".keras")),
                    SequenceBatch.of(batch(cases.get(name).get("input"))),
                    Map.of("output", flatten(cases.get(name).get("output")))));
        }
        Path dl4j = SHARED.resolve("dl4j");
        try (HdfFile data = new HdfFile(dl4j.resolve("simple_rnn_tf_keras_2_inputs_and_outputs.h5"))) {
            double[] input = widen((float[]) data.getDatasetByPath("inputs/simple_rnn_1_input").getDataFlat());
            fixtures.add(new Fixture("shared/simple_rnn_tf_keras_2", read(dl4j.resolve("simple_rnn_tf_keras_2_model.h5")),
                    SequenceBatch.rectangular(input, 25, 1, 1),
                    Map.of("output", widen((float[]) data.getDatasetByPath("predictions/dense_1").getDataFlat()))));
        }
        assertParity("shared fixtures", fixtures);
    }

    private static void assertParity(String what, List<Fixture> fixtures) {
        double worst32 = 0;
        double worst64 = 0;
        String worst32At = "";
        String worst64At = "";
        int float32Closer = 0;
        for (Fixture fixture : fixtures) {
            Map<String, double[]> float32 = answers(fixture, Precision.FLOAT32);
            Map<String, double[]> float64 = answers(fixture, Precision.FLOAT64);
            double error32 = 0;
            double error64 = 0;
            for (Map.Entry<String, double[]> keras : fixture.keras().entrySet()) {
                String at = fixture.name() + " " + keras.getKey();
                double e32 = maxError(float32.get(keras.getKey()), keras.getValue(), at);
                double e64 = maxError(float64.get(keras.getKey()), keras.getValue(), at);
                assertThat(e32).as("float32 %s", at).isLessThanOrEqualTo(KERAS_TOLERANCE);
                assertThat(e64).as("float64 %s", at).isLessThanOrEqualTo(KERAS_TOLERANCE);
                if (e32 > worst32) {
                    worst32 = e32;
                    worst32At = at;
                }
                if (e64 > worst64) {
                    worst64 = e64;
                    worst64At = at;
                }
                error32 = Math.max(error32, e32);
                error64 = Math.max(error64, e64);
            }
            if (error32 <= error64) {
                float32Closer++;
            }
        }
        System.out.printf("%s (%d): worst |engine - Keras| float32 %.3g (%s), float64 %.3g (%s); float32 at least as "
                + "close in %d of %d%n", what, fixtures.size(), worst32, worst32At, worst64, worst64At, float32Closer,
                fixtures.size());
    }

    private static Map<String, double[]> answers(Fixture fixture, Precision precision) {
        ForwardResult result = fixture.model().withPrecision(precision)
                .predictFromStates(fixture.batch(), Map.of(), true);
        Map<String, double[]> answers = new LinkedHashMap<>();
        answers.put("output", result.output());
        result.stateTraces().forEach((layer, parts) -> parts.forEach((part, trace) ->
                answers.put("trace " + layer + "/" + part, trace.values())));
        result.finalStateParts().forEach((layer, parts) -> parts.forEach((part, state) ->
                answers.put("final " + layer + "/" + part, state)));
        return answers;
    }

    private static double maxError(double[] engine, double[] keras, String at) {
        assertThat(engine).as(at).isNotNull().hasSameSizeAs(keras);
        double worst = 0;
        for (int i = 0; i < keras.length; i++) {
            worst = Math.max(worst, Math.abs(engine[i] - keras[i]));
        }
        return worst;
    }

    private static RecurrentModel read(Path file) {
        return ModelFileReader.read(file, null).model();
    }

    private static double[] widen(float[] floats) {
        double[] values = new double[floats.length];
        for (int i = 0; i < floats.length; i++) {
            values[i] = floats[i];
        }
        return values;
    }
}
