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
import io.rnnserving.loading.KerasModelConfig.LayerConfig;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Reads the model config Keras stores (a .keras {@code config.json}, a legacy .h5 {@code model_config},
 * {@code model.to_json()}) as written by Keras 1, 2, tf.keras and 3: a Sequential model or a single-chain
 * functional one made of the layers the engine serves. Anything else is refused naming the layer and its class.
 */
final class KerasConfigParser {
    static final String SUPPORTED_LAYERS = "InputLayer, Masking, SimpleRNN, Dense, Activation, Dropout, SpatialDropout1D";
    /** Keras 3 traces Masking's mask as these op layers beside the chain; they compute nothing the engine needs. */
    private static final Set<String> MASK_OPS = Set.of("NotEqual", "Any");

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
        InputShape input = inputShape(config, chain.get(0).path("config"));
        List<LayerConfig> layers = new ArrayList<>();
        for (int i = 0; i < chain.size(); i++) {
            JsonNode layer = chain.get(i);
            String layerClass = layer.path("class_name").asString("?");
            if (layerClass.equals("InputLayer")) {
                if (i > 0) {
                    throw new IllegalArgumentException("layer '" + layerName(layer) + "' (InputLayer) is not first");
                }
                continue;
            }
            layers.add(layer(layer, layerClass, kerasMajorVersion));
        }
        if (layers.stream().noneMatch(l -> l.kerasClass().equals("SimpleRNN"))) {
            throw new IllegalArgumentException("the model has no SimpleRNN layer; supported: " + SUPPORTED_LAYERS);
        }
        return new KerasModelConfig(name, input.steps(), input.features(), layers, kerasMajorVersion);
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

    private static InputShape inputShape(JsonNode modelConfig, JsonNode first) {
        JsonNode shape = first.has("batch_shape") ? first.get("batch_shape")
                : first.has("batch_input_shape") ? first.get("batch_input_shape")
                : modelConfig.path("build_input_shape");
        if (shape.isMissingNode() || shape.isNull()) {
            if (first.path("input_dim").isIntegralNumber()) {
                // Keras 1 may give input_dim and input_length instead of a batch shape
                JsonNode length = first.path("input_length");
                return new InputShape(length.isIntegralNumber() ? length.intValue() : null,
                        first.get("input_dim").intValue());
            }
            throw new IllegalArgumentException("the config does not give the input shape (no InputLayer, "
                    + "batch_shape or batch_input_shape)");
        }
        if (!shape.isArray() || shape.size() != 3 || !shape.get(2).isIntegralNumber()
                || !(shape.get(1).isNull() || shape.get(1).isIntegralNumber())) {
            throw new IllegalArgumentException("the input shape is " + shape + "; supported: [batch, steps or None, "
                    + "features]");
        }
        return new InputShape(shape.get(1).isNull() ? null : shape.get(1).intValue(), shape.get(2).intValue());
    }

    private static LayerConfig layer(JsonNode layer, String layerClass, int kerasMajorVersion) {
        String name = layerName(layer);
        JsonNode config = layer.path("config");
        String described = "layer '" + name + "' (" + layerClass + ")";
        return switch (layerClass) {
            case "SimpleRNN" -> {
                if (config.path("return_state").asBoolean(false)) {
                    throw new IllegalArgumentException(described + " has return_state=True; supported: "
                            + "return_state=False");
                }
                if (config.path("zero_output_for_mask").asBoolean(false)
                        && config.path("return_sequences").asBoolean(false)) {
                    // the engine repeats the last output at masked steps, as Keras does by default
                    throw new IllegalArgumentException(described + " has zero_output_for_mask=True; supported: False");
                }
                if (config.path("time_major").asBoolean(false)) {
                    throw new IllegalArgumentException(described + " has time_major=True; supported: batch-major");
                }
                Activation activation = activation(config, "tanh", described, kerasMajorVersion);
                if (activation == Activation.SOFTMAX) {
                    throw new IllegalArgumentException(described + " has activation softmax; supported in a "
                            + "SimpleRNN: " + Activation.supportedNames().replace("softmax, ", ""));
                }
                yield new LayerConfig(name, layerClass, units(config, described), activation, useBias(config),
                        config.path("return_sequences").asBoolean(false), config.path("go_backwards").asBoolean(false),
                        config.path("stateful").asBoolean(false), 0.0);
            }
            case "Dense" -> new LayerConfig(name, layerClass, units(config, described),
                    activation(config, "linear", described, kerasMajorVersion), useBias(config), false, false, false, 0.0);
            case "Masking" -> new LayerConfig(name, layerClass, 0, null, false, false, false, false,
                    config.path("mask_value").asDouble(0.0));
            case "Activation" -> new LayerConfig(name, layerClass, 0,
                    activation(config, null, described, kerasMajorVersion), false, false, false, false, 0.0);
            case "Dropout", "SpatialDropout1D" -> new LayerConfig(name, layerClass, 0, null, false, false, false, false,
                    0.0);
            default -> throw new IllegalArgumentException(described + " is not supported; supported layers: "
                    + SUPPORTED_LAYERS);
        };
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

    private static Activation activation(JsonNode config, @Nullable String absent, String described,
                                         int kerasMajorVersion) {
        JsonNode value = config.path("activation");
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
            throw new IllegalArgumentException(described + " has activation " + value + "; supported: "
                    + Activation.supportedNames());
        }
        try {
            return Activation.fromKerasName(name, kerasMajorVersion);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(described + ": " + e.getMessage());
        }
    }
}
