package io.rnnserving.loading;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.rnnserving.engine.Activation;
import io.rnnserving.engine.ActivationLayer;
import io.rnnserving.engine.BatchNormalizationLayer;
import io.rnnserving.engine.BidirectionalLayer;
import io.rnnserving.engine.DenseLayer;
import io.rnnserving.engine.EmbeddingLayer;
import io.rnnserving.engine.FlattenLayer;
import io.rnnserving.engine.GlobalPoolingLayer;
import io.rnnserving.engine.GruLayer;
import io.rnnserving.engine.Layer;
import io.rnnserving.engine.LayerNormalizationLayer;
import io.rnnserving.engine.LstmLayer;
import io.rnnserving.engine.MaskingLayer;
import io.rnnserving.engine.PassThroughLayer;
import io.rnnserving.engine.RecurrentLayer;
import io.rnnserving.engine.RecurrentModel;
import io.rnnserving.engine.SimpleRnnLayer;
import io.rnnserving.engine.TimeDistributedLayer;
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
            ModelDtype dtype = dtype(root);
            return new LoadedModel(parse(root).withPrecision(dtype.precision()), FILE_KIND, null, source, sha256,
                    dtype.saved());
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException(source + ": " + e.getMessage(), e);
        }
    }

    /** The optional {@code dtype}: float32 (the default, as Keras' own) or float64, or a Keras dtype policy name. */
    private static ModelDtype dtype(JsonNode root) {
        JsonNode dtype = root.path("dtype");
        if (dtype.isMissingNode() || dtype.isNull()) {
            return ModelDtype.FLOAT32;
        }
        if (!dtype.isString()) {
            throw new IllegalArgumentException("dtype must be a string such as \"float32\" or \"float64\"");
        }
        try {
            return ModelDtype.of(dtype.asString());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("dtype " + e.getMessage());
        }
    }

    private static RecurrentModel parse(JsonNode root) {
        if (!root.isObject()) {
            throw new IllegalArgumentException("the model must be a JSON object");
        }
        String name = root.path("name").isString() ? root.get("name").asString() : "model";
        JsonNode layersNode = root.get("layers");
        if (layersNode == null || !layersNode.isArray() || layersNode.isEmpty()) {
            throw new IllegalArgumentException("layers must be a non-empty array");
        }
        boolean tokenIds = "Embedding".equals(layersNode.get(0).path("type").asString(""));
        JsonNode inputShape = root.get("inputShape");
        if (tokenIds && inputShape != null && inputShape.isArray() && inputShape.size() == 1) {
            inputShape = JSON.createArrayNode().add(inputShape.get(0)).add(1);
        }
        if (inputShape == null || !inputShape.isArray() || inputShape.size() != 2) {
            throw new IllegalArgumentException(tokenIds ? "inputShape must be [T or null] or [T or null, 1] for a model "
                    + "that starts with an Embedding" : "inputShape must be [T or null, D]");
        }
        Integer steps = inputShape.get(0).isNull() ? null : positiveInt(inputShape.get(0), "inputShape[0]");
        int features = positiveInt(inputShape.get(1), "inputShape[1]");
        List<Layer> layers = new ArrayList<>();
        Map<String, Integer> namesUsed = new HashMap<>();
        int width = features;
        for (int i = 0; i < layersNode.size(); i++) {
            String at = "layers[" + i + "]";
            Layer layer = layer(layersNode.get(i), at, width, steps, namesUsed);
            width = layer.outputWidth(width);
            layers.add(layer);
        }
        return RecurrentModel.of(name, steps, features, layers);
    }

    private static Layer layer(JsonNode node, String at, int width, @Nullable Integer steps,
                               Map<String, Integer> namesUsed) {
        String type = requiredString(node, "type", at);
        return switch (type) {
            case "SimpleRNN", "LSTM", "GRU" -> recurrent(node, at, width, type, namesUsed, null);
            case "Bidirectional" -> bidirectional(node, at, width, namesUsed);
            case "Dense" -> dense(node, at, width, layerName(node, "dense", namesUsed));
            case "TimeDistributed" -> {
                JsonNode inner = node.get("layer");
                if (inner == null || !"Dense".equals(inner.path("type").asString(""))) {
                    throw new IllegalArgumentException(at + ".layer must be a Dense layer object: TimeDistributed "
                            + "serves Dense only");
                }
                String name = layerName(node, "time_distributed", namesUsed);
                yield new TimeDistributedLayer(name, dense(inner, at + ".layer", width,
                        inner.path("name").isString() ? inner.get("name").asString() : name + "_dense"));
            }
            case "Embedding" -> embedding(node, at, layerName(node, "embedding", namesUsed));
            case "Masking" -> new MaskingLayer(layerName(node, "masking", namesUsed),
                    node.has("maskValue") ? finite(node.get("maskValue"), at + ".maskValue") : 0.0);
            case "Activation" -> new ActivationLayer(layerName(node, "activation", namesUsed),
                    activation(node, "activation", at, Activation.LINEAR));
            case "GlobalAveragePooling1D" -> GlobalPoolingLayer.average(layerName(node, "global_average_pooling1d",
                    namesUsed));
            case "GlobalMaxPooling1D" -> GlobalPoolingLayer.max(layerName(node, "global_max_pooling1d", namesUsed));
            case "Flatten" -> {
                if (steps == null) {
                    throw new IllegalArgumentException(at + " is a Flatten, which needs a fixed number of steps: set "
                            + "inputShape[0]");
                }
                yield new FlattenLayer(layerName(node, "flatten", namesUsed), steps);
            }
            case "BatchNormalization" -> BatchNormalizationLayer.of(layerName(node, "batch_normalization", namesUsed),
                    optionalWeights(node, "gamma", at, width), optionalWeights(node, "beta", at, width),
                    requiredWeights(node, "movingMean", at, width), requiredWeights(node, "movingVariance", at, width),
                    epsilon(node, at));
            case "LayerNormalization" -> LayerNormalizationLayer.of(layerName(node, "layer_normalization", namesUsed),
                    optionalWeights(node, "gamma", at, width), optionalWeights(node, "beta", at, width), width,
                    epsilon(node, at));
            case "Dropout", "SpatialDropout1D" -> new PassThroughLayer(
                    layerName(node, type.equals("Dropout") ? "dropout" : "spatial_dropout1d", namesUsed), type);
            default -> throw new IllegalArgumentException(at + ".type is '" + type + "'; supported: " + SUPPORTED);
        };
    }

    /** The layer types this format knows, for refusals. */
    static final String SUPPORTED = "SimpleRNN, LSTM, GRU, Bidirectional, Embedding, Dense, TimeDistributed, Masking, "
            + "Activation, GlobalAveragePooling1D, GlobalMaxPooling1D, Flatten, BatchNormalization, LayerNormalization, "
            + "Dropout, SpatialDropout1D";

    /**
     * SimpleRNN, LSTM or GRU. {@code defaultBackwards} is the go_backwards a Bidirectional's backward layer takes
     * when it does not say; null outside a Bidirectional.
     */
    private static RecurrentLayer recurrent(JsonNode node, String at, int inputWidth, String type,
                                            Map<String, Integer> namesUsed, @Nullable Boolean defaultBackwards) {
        int units = positiveInt(node.get("units"), at + ".units");
        int gates = switch (type) {
            case "LSTM" -> 4;
            case "GRU" -> 3;
            default -> 1;
        };
        String name = layerName(node, type.equals("SimpleRNN") ? "simple_rnn" : type.toLowerCase(java.util.Locale.ROOT),
                namesUsed);
        double[][] kernel = matrix(node, "kernel", at);
        checkShape(kernel, inputWidth, gates * units, at + ".kernel", "the " + type + " takes " + inputWidth
                + " features and has " + units + " units" + (gates > 1 ? " (" + gates + " gates)" : ""));
        double[][] recurrent = matrix(node, "recurrentKernel", at);
        checkShape(recurrent, units, gates * units, at + ".recurrentKernel", "the " + type + " has " + units
                + " units" + (gates > 1 ? " (" + gates + " gates)" : ""));
        Activation activation = activation(node, "activation", at, Activation.TANH);
        boolean returnSequences = flag(node, "returnSequences", at);
        boolean goBackwards = defaultBackwards != null && !node.has("goBackwards") ? defaultBackwards
                : flag(node, "goBackwards", at);
        boolean stateful = flag(node, "stateful", at);
        return switch (type) {
            case "LSTM" -> LstmLayer.of(name, kernel, recurrent, optionalVector(node, at, gates * units, "LSTM"),
                    activation, activation(node, "recurrentActivation", at, Activation.SIGMOID), returnSequences,
                    goBackwards, stateful);
            case "GRU" -> {
                boolean resetAfter = !node.has("resetAfter") || flag(node, "resetAfter", at);
                yield GruLayer.of(name, kernel, recurrent, gruBias(node, at, units, resetAfter), resetAfter, activation,
                        activation(node, "recurrentActivation", at, Activation.SIGMOID), returnSequences, goBackwards,
                        stateful);
            }
            default -> SimpleRnnLayer.of(name, kernel, recurrent, optionalVector(node, at, units, "SimpleRNN"),
                    activation, returnSequences, goBackwards, stateful);
        };
    }

    private static double @Nullable [][] gruBias(JsonNode node, String at, int units, boolean resetAfter) {
        JsonNode value = node.get("bias");
        if (value == null || value.isNull()) {
            return null;
        }
        if (!resetAfter) {
            return new double[][] {optionalVector(node, at, 3 * units, "GRU")};
        }
        double[][] bias = matrix(node, "bias", at);
        checkShape(bias, 2, 3 * units, at + ".bias", "a GRU with resetAfter has two bias rows (input, recurrent) of "
                + 3 * units);
        return bias;
    }

    private static BidirectionalLayer bidirectional(JsonNode node, String at, int inputWidth,
                                                    Map<String, Integer> namesUsed) {
        String name = layerName(node, "bidirectional", namesUsed);
        JsonNode forwardNode = node.get("forward");
        JsonNode backwardNode = node.get("backward");
        if (forwardNode == null || backwardNode == null) {
            throw new IllegalArgumentException(at + " needs forward and backward: a SimpleRNN, LSTM or GRU object each, "
                    + "with its own weights");
        }
        String type = requiredString(forwardNode, "type", at + ".forward");
        if (!type.equals("SimpleRNN") && !type.equals("LSTM") && !type.equals("GRU")) {
            throw new IllegalArgumentException(at + ".forward.type is '" + type + "'; a Bidirectional wraps SimpleRNN, "
                    + "LSTM or GRU");
        }
        String backwardType = requiredString(backwardNode, "type", at + ".backward");
        if (!backwardType.equals(type)) {
            throw new IllegalArgumentException(at + ".backward.type is '" + backwardType + "' but forward is '" + type
                    + "'");
        }
        Map<String, Integer> innerNames = new HashMap<>();
        RecurrentLayer forward = recurrent(forwardNode, at + ".forward", inputWidth, type, innerNames, null);
        if (!backwardNode.has("returnSequences") && forward.returnSequences()) {
            throw new IllegalArgumentException(at + ".backward.returnSequences must be given as forward's (true)");
        }
        RecurrentLayer backward = recurrent(backwardNode, at + ".backward", inputWidth, type, innerNames,
                !forward.goBackwards());
        String mode = node.has("mergeMode") && !node.get("mergeMode").isNull() ? node.get("mergeMode").asString()
                : node.has("mergeMode") ? null : "concat";
        try {
            return BidirectionalLayer.of(name, forward, backward, BidirectionalLayer.MergeMode.fromKerasName(mode));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(at + ": " + e.getMessage());
        }
    }

    private static EmbeddingLayer embedding(JsonNode node, String at, String name) {
        double[][] table = matrix(node, "embeddings", at);
        if (node.has("inputDim")) {
            checkShape(table, positiveInt(node.get("inputDim"), at + ".inputDim"), table[0].length, at + ".embeddings",
                    "inputDim is " + node.get("inputDim").asInt());
        }
        if (node.has("outputDim")) {
            checkShape(table, table.length, positiveInt(node.get("outputDim"), at + ".outputDim"), at + ".embeddings",
                    "outputDim is " + node.get("outputDim").asInt());
        }
        return EmbeddingLayer.of(name, table, flag(node, "maskZero", at));
    }

    private static double epsilon(JsonNode node, String at) {
        return node.has("epsilon") ? finite(node.get("epsilon"), at + ".epsilon") : 1e-3;
    }

    private static double @Nullable [] optionalWeights(JsonNode node, String field, String at, int width) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : requiredWeights(node, field, at, width);
    }

    private static double[] requiredWeights(JsonNode node, String field, String at, int width) {
        JsonNode value = node.get(field);
        if (value == null) {
            throw new IllegalArgumentException(at + "." + field + " is missing");
        }
        double[] weights = vector(value, at + "." + field);
        if (weights.length != width) {
            throw new IllegalArgumentException(at + "." + field + " has " + weights.length + " values but the layer "
                    + "before gives " + width);
        }
        return weights;
    }

    private static DenseLayer dense(JsonNode node, String at, int inputWidth, String name) {
        int units = positiveInt(node.get("units"), at + ".units");
        double[][] kernel = matrix(node, "kernel", at);
        checkShape(kernel, inputWidth, units, at + ".kernel", "the layer before gives " + inputWidth
                + " values and the Dense has " + units + " units");
        return DenseLayer.of(name, kernel, optionalVector(node, at, units, "Dense"),
                activation(node, "activation", at, Activation.LINEAR));
    }

    private static String layerName(JsonNode node, String kerasPrefix, Map<String, Integer> namesUsed) {
        if (node.path("name").isString()) {
            return node.get("name").asString();
        }
        int seen = namesUsed.merge(kerasPrefix, 1, Integer::sum) - 1;
        return seen == 0 ? kerasPrefix : kerasPrefix + "_" + seen;
    }

    private static Activation activation(JsonNode node, String field, String at, Activation absent) {
        JsonNode value = node.get(field);
        if (value == null) {
            return absent;
        }
        if (!value.isString()) {
            throw new IllegalArgumentException(at + "." + field + " must be a string");
        }
        try {
            return Activation.fromKerasName(value.asString(), 3);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(at + "." + field + ": " + e.getMessage());
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
