package io.rnnserving;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import io.rnnserving.engine.Precision;
import io.rnnserving.engine.RecurrentModel;
import io.rnnserving.loading.ModelFileReader;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The numbers src/test/resources/reference/make_reference.py computed for the default model: a float64 numpy
 * forward pass (with every hidden state) and Keras' own float32 {@code model.predict}. The case named
 * {@code readme} is the README example.
 */
public record NotebookReference(String name, double[][][] x, double[][] yhat, double[][][] hidden, double[][] kerasYhat) {
    /** The engine and numpy both work in float64; they differ only in summation order. */
    public static final double TOLERANCE = 1e-12;

    /** The README example. */
    public static NotebookReference readme() {
        return cases().stream().filter(c -> c.name().equals("readme")).findFirst()
                .orElseThrow(() -> new IllegalStateException("no 'readme' case in notebook-reference.json"));
    }

    public static List<NotebookReference> cases() {
        try (InputStream in = NotebookReference.class.getResourceAsStream("/reference/notebook-reference.json")) {
            JsonNode root = JsonMapper.builder().build().readTree(in);
            List<NotebookReference> cases = new ArrayList<>();
            for (JsonNode c : root.get("cases")) {
                cases.add(new NotebookReference(c.get("name").asString(), cube(c.get("x")), matrix(c.get("yhat")),
                        cube(c.get("hidden")), matrix(c.get("kerasYhat"))));
            }
            return cases;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The default model computed in float64, as the numpy reference is (the file itself is float32). */
    public static RecurrentModel defaultModel() {
        return ModelFileReader.readDefault().model().withPrecision(Precision.FLOAT64);
    }

    static double[][] matrix(JsonNode node) {
        double[][] m = new double[node.size()][];
        for (int i = 0; i < m.length; i++) {
            JsonNode row = node.get(i);
            m[i] = new double[row.size()];
            for (int j = 0; j < m[i].length; j++) {
                m[i][j] = row.get(j).doubleValue();
            }
        }
        return m;
    }

    static double[][][] cube(JsonNode node) {
        double[][][] c = new double[node.size()][][];
        for (int i = 0; i < c.length; i++) {
            c[i] = matrix(node.get(i));
        }
        return c;
    }
}
