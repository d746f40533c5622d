package io.rnnserving.contract;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The README example and what numpy (float64) computes for it with the default model:
 * src/test/resources/reference/notebook-reference.json, made by make_reference.py beside it.
 */
record NotebookReference(double[][][] x, double[][] yhat) {
    /** The engine and numpy both work in float64; they differ only in summation order. */
    static final double TOLERANCE = 1e-12;

    static NotebookReference readme() {
        JsonMapper json = JsonMapper.builder().build();
        try (InputStream in = NotebookReference.class.getResourceAsStream("/reference/notebook-reference.json")) {
            for (JsonNode found : json.readTree(in).get("cases")) {
                if (found.get("name").asString().equals("readme")) {
                    return new NotebookReference(json.treeToValue(found.get("x"), double[][][].class),
                            json.treeToValue(found.get("yhat"), double[][].class));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no 'readme' case in notebook-reference.json");
    }
}
