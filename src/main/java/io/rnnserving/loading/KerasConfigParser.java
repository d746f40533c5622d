package io.rnnserving.loading;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.rnnserving.engine.Activation;
import io.rnnserving.engine.BidirectionalLayer;
import io.rnnserving.loading.KerasModelConfig.BidirectionalConfig;
import io.rnnserving.loading.KerasModelConfig.DenseConfig;
import io.rnnserving.loading.KerasModelConfig.EmbeddingConfig;
import io.rnnserving.loading.KerasModelConfig.LayerConfig;
import io.rnnserving.loading.KerasModelConfig.NormalizationConfig;
import io.rnnserving.loading.KerasModelConfig.PlainConfig;
import io.rnnserving.loading.KerasModelConfig.RecurrentConfig;
import io.rnnserving.loading.KerasModelConfig.TimeDistributedConfig;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Reads the model config Keras stores (a .keras {@code config.json}, a legacy .h5 {@code model_config},
 * {@code model.to_json()}) as written by Keras 1, 2, tf.keras and 3: a Sequential model or a single-chain
 * functional one made of the layers the engine serves. Anything else is refused naming the layer and its class.
 */
final class KerasConfigParser {
    static final String SUPPORTED_LAYERS = "InputLayer, Embedding (first), Masking, SimpleRNN, LSTM, GRU, CuDNNLSTM, "
            + "CuDNNGRU, Bidirectional (of SimpleRNN, LSTM or GRU), Dense, TimeDistributed (of Dense), Activation, "
            + "GlobalAveragePooling1D, GlobalMaxPooling1D, Flatten, BatchNormalization, LayerNormalization, Dropout, "
            + "SpatialDropout1D";
    private static final Set<String> RECURRENT = Set.of("SimpleRNN", "LSTM", "GRU", "CuDNNLSTM", "CuDNNGRU");
    /** Keras 3 traces Masking's mask as these op layers beside the chain; they compute nothing the engine needs. */
    private static final Set<String> MASK_OPS = Set.of("NotEqual", "Any");
    /** Keras 3's quantized dtype policies, e.g. int8_from_float32, float8_from_mixed_bfloat16, gptq/4/128_from_float32. */
    private static final java.util.regex.Pattern QUANTIZED = java.util.regex.Pattern.compile("^(int8|int4|float8|gptq)");
    /** Layers after which the chain holds one vector per sample. */
    private static final Set<String> POOLING = Set.of("GlobalAveragePooling1D", "GlobalMaxPooling1D", "Flatten");

    private KerasConfigParser() {
    }

    /**
     * @throws IllegalArgumentException naming the layer and what is unsupported or missing
     */
    static KerasModelConfig parse(JsonNode root, int kerasMajorVersion) {
        if (!root.isObject() || !root.path("class_name").isString() || !root.has("config")) {
            throw new IllegalArgumentException("not a Keras model config (no class_name and config at its root)");
        }
        String modelClass = root.get("class_name").asString();
        JsonNode config = root.get("config");
        JsonNode layersNode = config.isArray() ? config : config.path("layers");
        if (!layersNode.isArray() || layersNode.isEmpty()) {
            throw new IllegalArgumentException("the " + modelClass + " config has no layers");
        }
        List<JsonNode> chain = switch (modelClass) {
            case "Sequential" -> {
                List<JsonNode> layers = new ArrayList<>();
                layersNode.forEach(layers::add);
                yield layers;
            }
            case "Functional", "Model" -> functionalChain(config, layersNode);
            default -> throw new IllegalArgumentException("the model is a " + modelClass
                    + "; supported: a Sequential model or a single-chain functional model");
        };
        String name = config.path("name").isString() ? config.get("name").asString() : "model";
        int firstLayer = chain.get(0).path("class_name").asString("?").equals("InputLayer") && chain.size() > 1 ? 1 : 0;
        List<LayerConfig> layers = new ArrayList<>();
        boolean sequence = true;
        for (int i = 0; i < chain.size(); i++) {
            JsonNode layer = chain.get(i);
            String layerClass = layer.path("class_name").asString("?");
            if (layerClass.equals("InputLayer")) {
                if (i > 0) {
                    throw new IllegalArgumentException("layer '" + layerName(layer) + "' (InputLayer) is not first");
                }
                continue;
            }
            LayerConfig parsed = layer(layer, layerClass, kerasMajorVersion, sequence);
            if (parsed instanceof EmbeddingConfig && i != firstLayer) {
                throw new IllegalArgumentException(parsed.describe() + " is not the model's first layer; supported: an "
                        + "Embedding first, reading the token ids");
            }
            if (parsed instanceof RecurrentConfig rnn) {
                sequence = sequence && rnn.returnSequences();
            } else if (parsed instanceof BidirectionalConfig bidirectional) {
                sequence = sequence && bidirectional.forward().returnSequences();
            } else if (POOLING.contains(parsed.kerasClass())) {
                sequence = false;
            }
            layers.add(parsed);
        }
        if (layers.stream().noneMatch(l -> l instanceof RecurrentConfig || l instanceof BidirectionalConfig)) {
            throw new IllegalArgumentException("the model has no recurrent layer (SimpleRNN, LSTM, GRU or "
                    + "Bidirectional); supported: " + SUPPORTED_LAYERS);
        }
        // after the layers, so that an unsupported first layer is named as such rather than by its input's shape
        InputShape input = inputShape(config, chain.get(0), chain.get(firstLayer));
        return new KerasModelConfig(name, input.steps(), input.features(), layers, kerasMajorVersion, dtype(chain));
    }

    /**
     * The model's dtype from its layers' dtype policies (the input's when no layer gives one; float32 when nothing
     * does, as in Keras 1): they must agree on float32 or float64, or the model computes in neither.
     */
    private static ModelDtype dtype(List<JsonNode> chain) {
        ModelDtype first = null;
        String firstLayer = null;
        ModelDtype input = null;
        for (JsonNode layer : chain) {
            String policy = dtypePolicy(layer.path("config").path("dtype"));
            if (policy == null) {
                continue;
            }
            String described = "layer '" + layerName(layer) + "' (" + layer.path("class_name").asString("?") + ")";
            boolean inputLayer = layer.path("class_name").asString("").equals("InputLayer");
            ModelDtype dtype;
            try {
                dtype = ModelDtype.of(policy);
            } catch (IllegalArgumentException e) {
                if (inputLayer) {
                    // token ids come in as integers: the input's dtype says nothing of the weights'
                    continue;
                }
                throw new IllegalArgumentException(described + " has dtype " + policy + "; " + e.getMessage());
            }
            if (inputLayer) {
                input = dtype;
            } else if (first == null) {
                first = dtype;
                firstLayer = described;
            } else if (dtype.precision() != first.precision()) {
                throw new IllegalArgumentException(firstLayer + " has dtype " + first.saved() + " but " + described
                        + " has " + policy + "; supported: one floating-point type for the whole model");
            }
        }
        if (first != null && input != null && input.precision() != first.precision()) {
            throw new IllegalArgumentException("the input has dtype " + input.saved() + " but " + firstLayer
                    + " has " + first.saved() + "; supported: one floating-point type for the whole model");
        }
        return first != null ? first : input != null ? input : ModelDtype.FLOAT32;
    }

    /** Orders a functional model's layers from its input to its output, refusing any other graph. */
    private static List<JsonNode> functionalChain(JsonNode config, JsonNode layersNode) {
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        layersNode.forEach(layer -> byName.put(layerName(layer), layer));
        String input = singleEndpoint(config.path("input_layers"), "inputs");
        String output = singleEndpoint(config.path("output_layers"), "outputs");
        Deque<JsonNode> chain = new ArrayDeque<>();
        Set<String> onChain = new HashSet<>();
        String current = output;
        while (true) {
            JsonNode layer = byName.get(current);
            if (layer == null || !onChain.add(current)) {
                throw new IllegalArgumentException("the functional config refers to layer '" + current
                        + "', which it does not define once");
            }
            chain.addFirst(layer);
            if (current.equals(input)) {
                break;
            }
            current = inboundLayer(layer);
        }
        for (JsonNode layer : byName.values()) {
            String layerClass = layer.path("class_name").asString("?");
            if (!onChain.contains(layerName(layer)) && !MASK_OPS.contains(layerClass)) {
                throw new IllegalArgumentException("layer '" + layerName(layer) + "' (" + layerClass + ") is off the "
                        + "path from input to output; supported: a single chain of " + SUPPORTED_LAYERS);
            }
        }
        return new ArrayList<>(chain);
    }

    private static String singleEndpoint(JsonNode endpoints, String what) {
        // Keras 3 writes one endpoint as ["x", 0, 0]; Keras 2 as [["x", 0, 0]]
        if (endpoints.isArray() && !endpoints.isEmpty() && endpoints.get(0).isString()) {
            return endpoints.get(0).asString();
        }
        if (endpoints.isArray() && endpoints.size() == 1 && endpoints.get(0).path(0).isString()) {
            return endpoints.get(0).get(0).asString();
        }
        throw new IllegalArgumentException("the functional model has " + endpoints.size() + " " + what
                + "; supported: one input and one output in a single chain");
    }

    /** The one layer feeding this one, from its inbound nodes in the Keras 2 or Keras 3 form. */
    private static String inboundLayer(JsonNode layer) {
        JsonNode nodes = layer.path("inbound_nodes");
        String described = "layer '" + layerName(layer) + "' (" + layer.path("class_name").asString("?") + ")";
        if (nodes.size() != 1) {
            throw new IllegalArgumentException(described + " is called " + nodes.size() + " times; supported: "
                    + "a single chain where each layer is called once");
        }
        JsonNode node = nodes.get(0);
        List<String> inputs = new ArrayList<>();
        if (node.isObject()) {
            collectKerasHistory(node.path("args"), inputs);
            List<String> extra = new ArrayList<>();
            for (Map.Entry<String, JsonNode> kwarg : node.path("kwargs").properties()) {
                if (!kwarg.getKey().equals("mask")) {
                    collectKerasHistory(kwarg.getValue(), extra);
                }
            }
            if (!extra.isEmpty()) {
                throw new IllegalArgumentException(described + " takes extra inputs " + extra
                        + " (e.g. initial_state); supported: a single chain");
            }
        } else {
            // Keras 2 lists every input tensor of the call, initial states included, as [layer, node, tensor, kwargs]
            node.forEach(tensor -> inputs.add(tensor.path(0).asString("?")));
        }
        if (inputs.size() != 1) {
            throw new IllegalArgumentException(described + " takes " + inputs.size() + " inputs " + inputs
                    + "; supported: a single chain");
        }
        return inputs.get(0);
    }

    private static void collectKerasHistory(JsonNode node, List<String> into) {
        if (node.isObject()) {
            JsonNode history = node.path("config").path("keras_history");
            if (node.path("class_name").asString("").equals("__keras_tensor__") && history.path(0).isString()) {
                into.add(history.get(0).asString());
                return;
            }
            node.values().forEach(child -> collectKerasHistory(child, into));
        } else if (node.isArray()) {
            node.forEach(child -> collectKerasHistory(child, into));
        }
    }

    /** @param steps null for a {@code None} time axis */
    private record InputShape(@Nullable Integer steps, int features) {
    }

    /**
     * The input shape from the InputLayer (or the first layer's batch shape): [batch, steps, features], or
     * [batch, steps] of token ids when the first layer is an Embedding.
     */
    private static InputShape inputShape(JsonNode modelConfig, JsonNode inputLayer, JsonNode firstLayer) {
        JsonNode first = inputLayer.path("config");
        boolean tokenIds = firstLayer.path("class_name").asString("").equals("Embedding");
        String reader = "layer '" + layerName(firstLayer) + "' (" + firstLayer.path("class_name").asString("?") + ")";
        JsonNode shape = first.has("batch_shape") ? first.get("batch_shape")
                : first.has("batch_input_shape") ? first.get("batch_input_shape")
                : modelConfig.path("build_input_shape");
        if (shape.isMissingNode() || shape.isNull()) {
            JsonNode length = first.path("input_length");
            if (tokenIds) {
                // Keras 1 and 2 may give only the Embedding's input_length (its input_dim is the vocabulary)
                return new InputShape(length.isIntegralNumber() ? length.intValue() : null, 1);
            }
            if (first.path("input_dim").isIntegralNumber()) {
                // Keras 1 may give input_dim and input_length instead of a batch shape
                return new InputShape(length.isIntegralNumber() ? length.intValue() : null,
                        first.get("input_dim").intValue());
            }
            throw new IllegalArgumentException("the config does not give the input shape (no InputLayer, "
                    + "batch_shape or batch_input_shape)");
        }
        boolean steps = shape.isArray() && shape.size() >= 2 && (shape.get(1).isNull() || shape.get(1).isIntegralNumber());
        if (tokenIds) {
            if (!steps || shape.size() != 2) {
                throw new IllegalArgumentException("the input shape is " + shape + " but the first layer, " + reader
                        + ", reads one token id per step; supported: [batch, steps or None]");
            }
            return new InputShape(shape.get(1).isNull() ? null : shape.get(1).intValue(), 1);
        }
        if (!steps || shape.size() != 3 || !shape.get(2).isIntegralNumber()) {
            throw new IllegalArgumentException("the input shape is " + shape + " but the first layer, " + reader
                    + ", reads sequences; supported: [batch, steps or None, features], or [batch, steps or None] "
                    + "of token ids for a model whose first layer is an Embedding");
        }
        return new InputShape(shape.get(1).isNull() ? null : shape.get(1).intValue(), shape.get(2).intValue());
    }

    /**
     * @param sequence whether the layer reads sequences (false after a layer that keeps one vector per sample)
     */
    private static LayerConfig layer(JsonNode layer, String layerClass, int kerasMajorVersion, boolean sequence) {
        String name = layerName(layer);
        JsonNode config = layer.path("config");
        String described = "layer '" + name + "' (" + layerClass + ")";
        String policy = dtypePolicy(config.path("dtype"));
        if (policy != null && QUANTIZED.matcher(policy).find()) {
            // Keras 3 stores a quantized layer's weights as integers with scales, in another layout
            throw new IllegalArgumentException(described + " is quantized (dtype policy " + policy + "); supported: "
                    + "float weights (float32, float16 or bfloat16 policies)");
        }
        if (RECURRENT.contains(layerClass)) {
            RecurrentConfig rnn = recurrent(name, layerClass, config, described, kerasMajorVersion);
            if (config.path("zero_output_for_mask").asBoolean(false) && rnn.returnSequences()) {
                // the engine repeats the last output at masked steps, as Keras does by default
                throw new IllegalArgumentException(described + " has zero_output_for_mask=True; supported: False");
            }
            return rnn;
        }
        return switch (layerClass) {
            case "Bidirectional" -> bidirectional(name, config, described, kerasMajorVersion);
            case "Dense" -> dense(name, config, described, kerasMajorVersion);
            case "TimeDistributed" -> {
                JsonNode inner = config.path("layer");
                String innerClass = inner.path("class_name").asString("?");
                if (!innerClass.equals("Dense")) {
                    throw new IllegalArgumentException(described + " wraps a " + innerClass + "; supported: "
                            + "TimeDistributed(Dense)");
                }
                yield new TimeDistributedConfig(name, dense(layerName(inner), inner.path("config"),
                        described + " wrapping " + "layer '" + layerName(inner) + "' (Dense)", kerasMajorVersion));
            }
            case "Embedding" -> {
                JsonNode vocabulary = config.path("input_dim");
                JsonNode width = config.path("output_dim");
                if (!vocabulary.isIntegralNumber() || vocabulary.intValue() < 1 || !width.isIntegralNumber()
                        || width.intValue() < 1) {
                    throw new IllegalArgumentException(described + " has no positive input_dim and output_dim in its "
                            + "config");
                }
                yield new EmbeddingConfig(name, vocabulary.intValue(), width.intValue(),
                        config.path("mask_zero").asBoolean(false));
            }
            case "BatchNormalization", "LayerNormalization" -> normalization(name, layerClass, config, described,
                    sequence);
            case "GlobalAveragePooling1D", "GlobalMaxPooling1D" -> {
                if (!config.path("data_format").asString("channels_last").equals("channels_last")) {
                    throw new IllegalArgumentException(described + " has data_format "
                            + config.get("data_format").asString() + "; supported: channels_last");
                }
                if (config.path("keepdims").asBoolean(false)) {
                    throw new IllegalArgumentException(described + " has keepdims=True; supported: False");
                }
                yield new PlainConfig(name, layerClass, null, 0.0);
            }
            case "Masking" -> new PlainConfig(name, layerClass, null, config.path("mask_value").asDouble(0.0));
            case "Activation" -> new PlainConfig(name, layerClass,
                    activation(config, "activation", null, described, kerasMajorVersion), 0.0);
            case "Flatten", "Dropout", "SpatialDropout1D" -> new PlainConfig(name, layerClass, null, 0.0);
            default -> throw new IllegalArgumentException(described + " is not supported; supported layers: "
                    + SUPPORTED_LAYERS);
        };
    }

    /**
     * The dtype policy's name: Keras 2 writes a string ("float32"), Keras 3 an object
     * {@code {"class_name": "DTypePolicy", "config": {"name": "mixed_float16"}}}; null when absent.
     */
    private static @Nullable String dtypePolicy(JsonNode dtype) {
        if (dtype.isString()) {
            return dtype.asString();
        }
        JsonNode name = dtype.path("config").path("name");
        return name.isString() ? name.asString() : null;
    }

    private static RecurrentConfig recurrent(String name, String layerClass, JsonNode config, String described,
                                             int kerasMajorVersion) {
        if (config.path("return_state").asBoolean(false)) {
            throw new IllegalArgumentException(described + " has return_state=True; supported: return_state=False");
        }
        if (config.path("time_major").asBoolean(false)) {
            throw new IllegalArgumentException(described + " has time_major=True; supported: batch-major");
        }
        boolean cudnn = layerClass.startsWith("CuDNN");
        Activation activation = cudnn ? Activation.TANH
                : activation(config, "activation", "tanh", described, kerasMajorVersion);
        // Keras 1 says inner_activation; Keras 1 and 2 defaulted to hard_sigmoid, Keras 3 to sigmoid
        String recurrentKey = config.has("recurrent_activation") ? "recurrent_activation" : "inner_activation";
        Activation recurrentActivation = cudnn || layerClass.equals("SimpleRNN") ? Activation.SIGMOID
                : activation(config, recurrentKey, kerasMajorVersion >= 3 ? "sigmoid" : "hard_sigmoid", described,
                kerasMajorVersion);
        // Keras 1 and standalone Keras 2 GRUs reset before the recurrent product and wrote no reset_after
        boolean resetAfter = config.path("reset_after").asBoolean(kerasMajorVersion >= 3);
        return new RecurrentConfig(name, layerClass, units(config, described), activation, recurrentActivation,
                cudnn || useBias(config), resetAfter, config.path("return_sequences").asBoolean(false),
                config.path("go_backwards").asBoolean(false), config.path("stateful").asBoolean(false));
    }

    private static BidirectionalConfig bidirectional(String name, JsonNode config, String described,
                                                     int kerasMajorVersion) {
        if (config.path("return_state").asBoolean(false)) {
            throw new IllegalArgumentException(described + " has return_state=True; supported: return_state=False");
        }
        BidirectionalLayer.MergeMode mergeMode;
        try {
            // absent is Keras' default, concat; null is None
            JsonNode mode = config.path("merge_mode");
            mergeMode = BidirectionalLayer.MergeMode.fromKerasName(mode.isMissingNode() ? "concat"
                    : mode.isString() ? mode.asString() : null);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(described + " has " + e.getMessage());
        }
        RecurrentConfig forward = wrapped(config.path("layer"), described, kerasMajorVersion);
        RecurrentConfig backward;
        if (config.path("backward_layer").isObject()) {
            backward = wrapped(config.get("backward_layer"), described, kerasMajorVersion);
        } else {
            // Keras builds the backward layer from the forward layer's config with go_backwards flipped
            backward = new RecurrentConfig("backward_" + forward.name(), forward.kerasClass(), forward.units(),
                    forward.activation(), forward.recurrentActivation(), forward.useBias(), forward.resetAfter(),
                    forward.returnSequences(), !forward.goBackwards(), forward.stateful());
        }
        return new BidirectionalConfig(name, forward, backward, mergeMode);
    }

    private static RecurrentConfig wrapped(JsonNode inner, String described, int kerasMajorVersion) {
        String innerClass = inner.path("class_name").asString("?");
        String innerDescribed = described + " wrapping layer '" + layerName(inner) + "' (" + innerClass + ")";
        if (!RECURRENT.contains(innerClass)) {
            throw new IllegalArgumentException(described + " wraps a " + innerClass + "; supported: Bidirectional of "
                    + "SimpleRNN, LSTM or GRU");
        }
        return recurrent(layerName(inner), innerClass, inner.path("config"), innerDescribed, kerasMajorVersion);
    }

    private static DenseConfig dense(String name, JsonNode config, String described, int kerasMajorVersion) {
        return new DenseConfig(name, units(config, described),
                activation(config, "activation", "linear", described, kerasMajorVersion), useBias(config));
    }

    private static NormalizationConfig normalization(String name, String layerClass, JsonNode config, String described,
                                                     boolean sequence) {
        JsonNode axis = config.path("axis");
        // -1 or the last axis of this layer's input (2 for sequences, 1 for vectors), alone or in a list
        JsonNode single = axis.isArray() && axis.size() == 1 ? axis.get(0) : axis;
        int last = sequence ? 2 : 1;
        if (!axis.isMissingNode() && !(single.isIntegralNumber() && (single.intValue() == -1
                || single.intValue() == last))) {
            throw new IllegalArgumentException(described + " normalises over axis " + axis + "; supported: the last "
                    + "axis (-1)");
        }
        if (config.path("rms_scaling").asBoolean(false)) {
            throw new IllegalArgumentException(described + " has rms_scaling=True; supported: False");
        }
        JsonNode epsilon = config.path("epsilon");
        if (!epsilon.isNumber()) {
            throw new IllegalArgumentException(described + " has no epsilon in its config");
        }
        return new NormalizationConfig(name, layerClass, config.path("center").asBoolean(true),
                config.path("scale").asBoolean(true), epsilon.doubleValue());
    }

    private static String layerName(JsonNode layer) {
        JsonNode name = layer.path("config").path("name");
        if (!name.isString()) {
            name = layer.path("name");
        }
        return name.asString("?");
    }

    private static int units(JsonNode config, String described) {
        // Keras 1 says output_dim
        JsonNode units = config.has("units") ? config.get("units") : config.path("output_dim");
        if (!units.isIntegralNumber() || units.intValue() < 1) {
            throw new IllegalArgumentException(described + " has no positive units in its config");
        }
        return units.intValue();
    }

    private static boolean useBias(JsonNode config) {
        // Keras 1 says bias
        return config.has("use_bias") ? config.get("use_bias").asBoolean() : config.path("bias").asBoolean(true);
    }

    private static Activation activation(JsonNode config, String key, @Nullable String absent, String described,
                                         int kerasMajorVersion) {
        JsonNode value = config.path(key);
        String name;
        if (value.isString()) {
            name = value.asString();
        } else if (value.isObject() && value.path("class_name").asString("").equals("function")
                && value.path("config").isString()) {
            // Keras 3 may serialise a built-in activation function as {"class_name": "function", "config": "tanh"}
            name = value.get("config").asString();
        } else if ((value.isMissingNode() || value.isNull()) && absent != null) {
            name = absent;
        } else {
            throw new IllegalArgumentException(described + " has " + key + " " + value + "; supported: "
                    + Activation.supportedNames());
        }
        try {
            return Activation.fromKerasName(name, kerasMajorVersion);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(described + ": " + e.getMessage());
        }
    }
}
