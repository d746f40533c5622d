package io.rnnserving.loading;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.rnnserving.Prerequisite;
import io.rnnserving.engine.ForwardResult;
import io.rnnserving.engine.SequenceBatch;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Where the Keras fixtures live and how the tests read their nested-list JSON. */
final class KerasFixtures {
    /** Real Keras-saved files shared by the team (read-only), beside the project in CI only. */
    static final Path SHARED = Prerequisite.SHARED_KERAS_FIXTURES;
    /** Files written by src/test/resources/keras/make_fixtures.py. */
    static final Path GENERATED = Path.of("src/test/resources/keras");
    /** Keras computes in float32, the engine in double: 1e-5 absolute is what float32 rounding allows here. */
    static final double KERAS_TOLERANCE = 1e-5;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private KerasFixtures() {
    }

    static JsonNode json(Path path) {
        try {
            return JSON.readTree(Files.readAllBytes(path));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static double[][][] batch(JsonNode nested) {
        double[][][] x = new double[nested.size()][][];
        for (int n = 0; n < x.length; n++) {
            JsonNode sample = nested.get(n);
            x[n] = new double[sample.size()][];
            for (int t = 0; t < x[n].length; t++) {
                x[n][t] = flatten(sample.get(t));
            }
        }
        return x;
    }

    static double[] flatten(JsonNode nested) {
        List<Double> values = new ArrayList<>();
        collect(nested, values);
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static void collect(JsonNode node, List<Double> into) {
        if (node.isArray()) {
            node.forEach(child -> collect(child, into));
        } else {
            into.add(node.doubleValue());
        }
    }

    static ForwardResult predict(LoadedModel loaded, double[][][] x) {
        return loaded.model().predict(SequenceBatch.of(x));
    }

    static void assertCloseToKeras(double[] actual, double[] keras, String what) {
        assertThat(actual).as(what).hasSameSizeAs(keras);
        assertThat(actual).as(what).containsExactly(keras, within(KERAS_TOLERANCE));
    }
}
