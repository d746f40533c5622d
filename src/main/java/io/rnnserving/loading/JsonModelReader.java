package io.rnnserving.loading;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.rnnserving.engine.Activation;
import io.rnnserving.engine.ActivationLayer;
import io.rnnserving.engine.DenseLayer;
import io.rnnserving.engine.Layer;
import io.rnnserving.engine.MaskingLayer;
import io.rnnserving.engine.PassThroughLayer;
import io.rnnserving.engine.RecurrentModel;
import io.rnnserving.engine.SimpleRnnLayer;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads this service's own model format: JSON mirroring Keras' {@code get_weights()}, documented in the README.
 * Every shape is checked against the layer before it, and each problem is reported with its place in the file.
 */
final class JsonModelReader {
    static final String FILE_KIND = "rnn-serving JSON";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private JsonModelReader() {
    }

    static boolean looksLikeJson(byte[] bytes) {
        for (byte b : bytes) {
            if (!Character.isWhitespace(b)) {
                return b == '{';
            }
        }
        return false;
    }

    static LoadedModel read(byte[] bytes, String source, String sha256) {
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (JacksonException e) {
            throw new ModelLoadException(source + ": not valid JSON (" + e.getOriginalMessage() + ")");
        }
        try {
            return new LoadedModel(parse(root), FILE_KIND, null, source, sha256);
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException(source + ": " + e.getMessage(), e);
        }
    }

    private static RecurrentModel parse(JsonNode root) {
        if (!root.isObject()) {
            throw new IllegalArgumentException("the model must be a JSON object");
        }
        String name = root.path("name").isString() ? root.get("name").asString() : "model";
        JsonNode inputShape = root.get("inputShape");
        if (inputShape == null || !inputShape.isArray() || inputShape.size() != 2) {
            throw new IllegalArgumentException("inputShape must be [T or null, D]");
        }
        Integer steps = inputShape.get(0).isNull() ? null : positiveInt(inputShape.get(0), "inputShape[0]");
        int features = positiveInt(inputShape.get(1), "inputShape[1]");
        JsonNode layersNode = root.get("layers");
        if (layersNode == null || !layersNode.isArray() || layersNode.isEmpty()) {
            throw new IllegalArgumentException("layers must be a non-empty array");
        }
        List<Layer> layers = new ArrayList<>();
        Map<String, Integer> namesUsed = new HashMap<>();
        int width = features;
        for (int i = 0; i < layersNode.size(); i++) {
            String at = "layers[" + i + "]";
            JsonNode node = layersNode.get(i);
            String type = requiredString(node, "type", at);
            Layer layer = switch (type) {
                case "SimpleRNN" -> simpleRnn(node, at, width, layerName(node, "simple_rnn", namesUsed));
                case "Dense" -> dense(node, at, width, layerName(node, "dense", namesUsed));
                case "Masking" -> new MaskingLayer(layerName(node, "masking", namesUsed),
                        node.has("maskValue") ? finite(node.get("maskValue"), at + ".maskValue") : 0.0);
                case "Activation" -> new ActivationLayer(layerName(node, "activation", namesUsed),
                        activation(node, at, Activation.LINEAR));
                case "Dropout", "SpatialDropout1D" -> new PassThroughLayer(
                        layerName(node, type.equals("Dropout") ? "dropout" : "spatial_dropout1d", namesUsed), type);
                default -> throw new IllegalArgumentException(at + ".type is '" + type
                        + "'; supported: SimpleRNN, Dense, Masking, Activation, Dropout, SpatialDropout1D");
            };
            width = layer.outputWidth(width);
            layers.add(layer);
        }
        return RecurrentModel.of(name, steps, features, layers);
    }

    private static SimpleRnnLayer simpleRnn(JsonNode node, String at, int inputWidth, String name) {
        int units = positiveInt(node.get("units"), at + ".units");
        double[][] kernel = matrix(node, "kernel", at);
        checkShape(kernel, inputWidth, units, at + ".kernel", "the SimpleRNN takes " + inputWidth
                + " features and has " + units + " units");
        double[][] recurrent = matrix(node, "recurrentKernel", at);
        checkShape(recurrent, units, units, at + ".recurrentKernel", "the SimpleRNN has " + units + " units");
        double[] bias = optionalVector(node, at, units, "SimpleRNN");
        return SimpleRnnLayer.of(name, kernel, recurrent, bias, activation(node, at, Activation.TANH),
                flag(node, "returnSequences", at), flag(node, "goBackwards", at), flag(node, "stateful", at));
    }

    private static DenseLayer dense(JsonNode node, String at, int inputWidth, String name) {
        int units = positiveInt(node.get("units"), at + ".units");
        double[][] kernel = matrix(node, "kernel", at);
        checkShape(kernel, inputWidth, units, at + ".kernel", "the layer before gives " + inputWidth
                + " values and the Dense has " + units + " units");
        return DenseLayer.of(name, kernel, optionalVector(node, at, units, "Dense"),
                activation(node, at, Activation.LINEAR));
    }

    private static String layerName(JsonNode node, String kerasPrefix, Map<String, Integer> namesUsed) {
        if (node.path("name").isString()) {
            return node.get("name").asString();
        }
        int seen = namesUsed.merge(kerasPrefix, 1, Integer::sum) - 1;
        return seen == 0 ? kerasPrefix : kerasPrefix + "_" + seen;
    }

    private static Activation activation(JsonNode node, String at, Activation absent) {
        JsonNode value = node.get("activation");
        if (value == null) {
            return absent;
        }
        if (!value.isString()) {
            throw new IllegalArgumentException(at + ".activation must be a string");
        }
        try {
            return Activation.fromKerasName(value.asString(), 3);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(at + ".activation: " + e.getMessage());
        }
    }

    private static boolean flag(JsonNode node, String field, String at) {
        JsonNode value = node.get(field);
        if (value == null) {
            return false;
        }
        if (!value.isBoolean()) {
            throw new IllegalArgumentException(at + "." + field + " must be true or false");
        }
        return value.booleanValue();
    }

    private static String requiredString(JsonNode node, String field, String at) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(at + " must be an object");
        }
        JsonNode value = node.get(field);
        if (value == null || !value.isString()) {
            throw new IllegalArgumentException(at + "." + field + " is missing");
        }
        return value.asString();
    }

    private static int positiveInt(@Nullable JsonNode value, String at) {
        if (value == null || !value.isIntegralNumber() || value.intValue() < 1) {
            throw new IllegalArgumentException(at + " must be a positive integer");
        }
        return value.intValue();
    }

    private static double finite(JsonNode value, String at) {
        if (!value.isNumber()) {
            throw new IllegalArgumentException(at + " must be a number");
        }
        double d = value.doubleValue();
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException(at + " is " + d + "; weights must be finite");
        }
        return d;
    }

    private static double[][] matrix(JsonNode node, String field, String at) {
        JsonNode value = node.get(field);
        String where = at + "." + field;
        if (value == null || !value.isArray() || value.isEmpty()) {
            throw new IllegalArgumentException(where + " is missing or empty");
        }
        double[][] rows = new double[value.size()][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = vector(value.get(i), where + "[" + i + "]");
            if (rows[i].length != rows[0].length) {
                throw new IllegalArgumentException(where + "[" + i + "] has " + rows[i].length + " values; "
                        + where + "[0] has " + rows[0].length);
            }
        }
        return rows;
    }

    private static double[] vector(JsonNode value, String at) {
        if (!value.isArray() || value.isEmpty()) {
            throw new IllegalArgumentException(at + " must be a non-empty array of numbers");
        }
        double[] values = new double[value.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = finite(value.get(i), at + "[" + i + "]");
        }
        return values;
    }

    private static double @Nullable [] optionalVector(JsonNode node, String at, int units, String kind) {
        JsonNode value = node.get("bias");
        if (value == null || value.isNull()) {
            return null;
        }
        double[] bias = vector(value, at + ".bias");
        if (bias.length != units) {
            throw new IllegalArgumentException(at + ".bias has " + bias.length + " values but the " + kind + " has "
                    + units + " units");
        }
        return bias;
    }

    private static void checkShape(double[][] matrix, int rows, int cols, String at, String because) {
        if (matrix.length != rows || matrix[0].length != cols) {
            throw new IllegalArgumentException(at + " is " + matrix.length + "×" + matrix[0].length + " but " + because);
        }
    }
}
