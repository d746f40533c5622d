package io.rnnserving.loading;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.rnnserving.engine.Activation;
import io.rnnserving.engine.ActivationLayer;
import io.rnnserving.engine.DenseLayer;
import io.rnnserving.engine.Layer;
import io.rnnserving.engine.MaskingLayer;
import io.rnnserving.engine.PassThroughLayer;
import io.rnnserving.engine.RecurrentModel;
import io.rnnserving.engine.SimpleRnnLayer;
import org.jspecify.annotations.Nullable;

/**
 * A Keras model config reduced to what the engine serves: the input shape and the chain of layers from
 * input to output, each with the options that change its answer. Built by {@link KerasConfigParser}.
 *
 * @param steps             the declared time axis, or null for {@code None}
 * @param kerasMajorVersion the Keras that wrote the config; picks hard_sigmoid's definition
 */
record KerasModelConfig(String name, @Nullable Integer steps, int features, List<LayerConfig> layers,
                        int kerasMajorVersion) {

    /** Layer classes with weights, whose arrays {@link KerasWeights} finds for them. */
    static final List<String> WEIGHTED_CLASSES = List.of("SimpleRNN", "Dense");

    /**
     * One layer of the chain.
     *
     * @param kerasClass SimpleRNN, Dense, Masking, Activation, Dropout or SpatialDropout1D
     * @param units      SimpleRNN and Dense only
     * @param activation SimpleRNN, Dense and Activation only
     */
    record LayerConfig(String name, String kerasClass, int units, @Nullable Activation activation, boolean useBias,
                       boolean returnSequences, boolean goBackwards, boolean stateful, double maskValue) {

        boolean hasWeights() {
            return WEIGHTED_CLASSES.contains(kerasClass);
        }

        String describe() {
            return "layer '" + name + "' (" + kerasClass + ")";
        }
    }

    List<LayerConfig> weightedLayers() {
        return layers.stream().filter(LayerConfig::hasWeights).toList();
    }

    /**
     * Builds the engine model with the given weights, checking each array's shape against the config and
     * that every weight is finite.
     *
     * @throws IllegalArgumentException naming the layer and the problem
     */
    RecurrentModel toModel(KerasWeights weights) {
        List<Layer> engineLayers = new ArrayList<>();
        int width = features;
        for (LayerConfig layer : layers) {
            Layer engineLayer = switch (layer.kerasClass()) {
                case "SimpleRNN" -> simpleRnn(layer, width, weights.of(layer));
                case "Dense" -> dense(layer, width, weights.of(layer));
                case "Masking" -> new MaskingLayer(layer.name(), layer.maskValue());
                case "Activation" -> new ActivationLayer(layer.name(), layer.activation());
                default -> new PassThroughLayer(layer.name(), layer.kerasClass());
            };
            width = engineLayer.outputWidth(width);
            engineLayers.add(engineLayer);
        }
        return RecurrentModel.of(name, steps, features, engineLayers);
    }

    private static SimpleRnnLayer simpleRnn(LayerConfig layer, int inputWidth, List<KerasWeights.Array> arrays) {
        int units = layer.units();
        checkCount(layer, arrays, layer.useBias() ? 3 : 2, "kernel, recurrent kernel" + (layer.useBias() ? ", bias" : ""));
        double[][] kernel = arrays.get(0).matrix(layer, inputWidth, units, "the input has " + inputWidth
                + " features and the config says " + units + " units");
        double[][] recurrent = arrays.get(1).matrix(layer, units, units, "the config says " + units + " units");
        double[] bias = layer.useBias() ? arrays.get(2).vector(layer, units) : null;
        return SimpleRnnLayer.of(layer.name(), kernel, recurrent, bias, layer.activation(), layer.returnSequences(),
                layer.goBackwards(), layer.stateful());
    }

    private static DenseLayer dense(LayerConfig layer, int inputWidth, List<KerasWeights.Array> arrays) {
        int units = layer.units();
        checkCount(layer, arrays, layer.useBias() ? 2 : 1, "kernel" + (layer.useBias() ? ", bias" : ""));
        double[][] kernel = arrays.get(0).matrix(layer, inputWidth, units, "the layer before gives " + inputWidth
                + " values and the config says " + units + " units");
        double[] bias = layer.useBias() ? arrays.get(1).vector(layer, units) : null;
        return DenseLayer.of(layer.name(), kernel, bias, layer.activation());
    }

    private static void checkCount(LayerConfig layer, List<KerasWeights.Array> arrays, int expected, String which) {
        if (arrays.size() != expected) {
            throw new IllegalArgumentException(layer.describe() + " has " + arrays.size() + " weight arrays in the file; "
                    + "its config needs " + expected + " (" + which + ")");
        }
    }

    /** Keras' names for the weights groups of a class in a Keras 3 weights file, e.g. SimpleRNN → simple_rnn. */
    static String snakeCase(String kerasClass) {
        String s = kerasClass.replaceAll("(.)([A-Z][a-z]+)", "$1_$2");
        return s.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}
