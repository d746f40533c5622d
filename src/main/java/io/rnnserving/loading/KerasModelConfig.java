package io.rnnserving.loading;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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
import io.rnnserving.loading.KerasWeights.Array;
import org.jspecify.annotations.Nullable;

/**
 * A Keras model config reduced to what the engine serves: the input shape and the chain of layers from
 * input to output, each with the options that change its answer. Built by {@link KerasConfigParser}.
 *
 * @param steps             the declared time axis, or null for {@code None}
 * @param features          D, or 1 for a model that starts with an Embedding (one token id per step)
 * @param kerasMajorVersion the Keras that wrote the config; picks hard_sigmoid's definition
 * @param dtype             what the layers' dtype policies say the model computes in
 */
record KerasModelConfig(String name, @Nullable Integer steps, int features, List<LayerConfig> layers,
                        int kerasMajorVersion, ModelDtype dtype) {

    /** One layer of the chain, and how it becomes an engine layer once its weights are read. */
    sealed interface LayerConfig {
        String name();

        /** The class the config names, e.g. {@code LSTM} or {@code CuDNNGRU}. */
        String kerasClass();

        /**
         * Where a Keras 3 weights file keeps this layer's arrays, relative to the layer's group, in Keras'
         * {@code get_weights()} order; empty for a layer without weights.
         */
        List<String> keras3VarsPaths();

        default boolean hasWeights() {
            return !keras3VarsPaths().isEmpty();
        }

        default String describe() {
            return "layer '" + name() + "' (" + kerasClass() + ")";
        }

        /**
         * @param inputWidth the width of what the layer before gives
         * @param arrays     the layer's weight arrays in {@code get_weights()} order; empty without weights
         * @param steps      the model's declared time axis, or null
         */
        Layer build(int inputWidth, List<Array> arrays, @Nullable Integer steps);
    }

    /** SimpleRNN, LSTM, GRU, and Keras 2's CuDNNLSTM and CuDNNGRU (fixed tanh and sigmoid, two bias vectors). */
    record RecurrentConfig(String name, String kerasClass, int units, Activation activation,
                           Activation recurrentActivation, boolean useBias, boolean resetAfter, boolean returnSequences,
                           boolean goBackwards, boolean stateful) implements LayerConfig {

        /** SimpleRNN, LSTM or GRU: the cell the engine runs, CuDNN variants included. */
        String cell() {
            return kerasClass.replace("CuDNN", "");
        }

        boolean cudnn() {
            return kerasClass.startsWith("CuDNN");
        }

        @Override
        public List<String> keras3VarsPaths() {
            return List.of("cell/vars");
        }

        @Override
        public RecurrentLayer build(int inputWidth, List<Array> stored, @Nullable Integer steps) {
            List<Array> arrays = KerasWeights.joinKeras1Gates(this, stored);
            String shapes = "the input has " + inputWidth + " features and the config says " + units + " units";
            return switch (cell()) {
                case "SimpleRNN" -> {
                    checkCount(this, arrays, useBias ? 3 : 2, "kernel, recurrent kernel" + (useBias ? ", bias" : ""));
                    yield SimpleRnnLayer.of(name, arrays.get(0).matrix(this, inputWidth, units, shapes),
                            arrays.get(1).matrix(this, units, units, "the config says " + units + " units"),
                            useBias ? arrays.get(2).vector(this, units) : null, activation, returnSequences,
                            goBackwards, stateful);
                }
                case "LSTM" -> {
                    checkCount(this, arrays, useBias ? 3 : 2, "kernel, recurrent kernel" + (useBias ? ", bias" : ""));
                    double[] bias = null;
                    if (useBias && cudnn()) {
                        // CuDNNLSTM keeps an input and a recurrent bias; the cell adds both
                        double[] both = arrays.get(2).vector(this, 8 * units);
                        bias = new double[4 * units];
                        for (int j = 0; j < bias.length; j++) {
                            bias[j] = both[j] + both[4 * units + j];
                        }
                    } else if (useBias) {
                        bias = arrays.get(2).vector(this, 4 * units);
                    }
                    yield LstmLayer.of(name, arrays.get(0).matrix(this, inputWidth, 4 * units, shapes),
                            arrays.get(1).matrix(this, units, 4 * units, "the config says " + units + " units"),
                            bias, activation, recurrentActivation, returnSequences, goBackwards, stateful);
                }
                default -> {
                    checkCount(this, arrays, useBias ? 3 : 2, "kernel, recurrent kernel" + (useBias ? ", bias" : ""));
                    double[][] bias = null;
                    if (useBias && cudnn()) {
                        // CuDNNGRU is a reset_after GRU whose two bias rows are stored as one 6M vector
                        double[] both = arrays.get(2).vector(this, 6 * units);
                        bias = new double[][] {java.util.Arrays.copyOf(both, 3 * units),
                                java.util.Arrays.copyOfRange(both, 3 * units, 6 * units)};
                    } else if (useBias && resetAfter) {
                        bias = arrays.get(2).matrix(this, 2, 3 * units, "reset_after=True keeps an input and a "
                                + "recurrent bias row of 3×" + units);
                    } else if (useBias) {
                        bias = new double[][] {arrays.get(2).vector(this, 3 * units)};
                    }
                    yield GruLayer.of(name, arrays.get(0).matrix(this, inputWidth, 3 * units, shapes),
                            arrays.get(1).matrix(this, units, 3 * units, "the config says " + units + " units"),
                            bias, resetAfter || cudnn(), activation, recurrentActivation, returnSequences, goBackwards,
                            stateful);
                }
            };
        }
    }

    /** Bidirectional: get_weights() gives the forward layer's arrays, then the backward layer's. */
    record BidirectionalConfig(String name, RecurrentConfig forward, RecurrentConfig backward,
                               BidirectionalLayer.MergeMode mergeMode) implements LayerConfig {
        @Override
        public String kerasClass() {
            return "Bidirectional";
        }

        @Override
        public List<String> keras3VarsPaths() {
            return List.of("forward_layer/cell/vars", "backward_layer/cell/vars");
        }

        @Override
        public Layer build(int inputWidth, List<Array> arrays, @Nullable Integer steps) {
            if (arrays.size() % 2 != 0) {
                throw new IllegalArgumentException(describe() + " has " + arrays.size() + " weight arrays in the "
                        + "file; a Bidirectional layer has as many for its backward layer as for its forward layer");
            }
            int half = arrays.size() / 2;
            return BidirectionalLayer.of(name, forward.build(inputWidth, arrays.subList(0, half), steps),
                    backward.build(inputWidth, arrays.subList(half, arrays.size()), steps), mergeMode);
        }
    }

    record DenseConfig(String name, int units, Activation activation, boolean useBias) implements LayerConfig {
        @Override
        public String kerasClass() {
            return "Dense";
        }

        @Override
        public List<String> keras3VarsPaths() {
            return List.of("vars");
        }

        @Override
        public DenseLayer build(int inputWidth, List<Array> arrays, @Nullable Integer steps) {
            checkCount(this, arrays, useBias ? 2 : 1, "kernel" + (useBias ? ", bias" : ""));
            double[][] kernel = arrays.get(0).matrix(this, inputWidth, units, "the layer before gives " + inputWidth
                    + " values and the config says " + units + " units");
            double[] bias = useBias ? arrays.get(1).vector(this, units) : null;
            return DenseLayer.of(name, kernel, bias, activation);
        }
    }

    /** TimeDistributed over a Dense, the one wrapped layer served. */
    record TimeDistributedConfig(String name, DenseConfig dense) implements LayerConfig {
        @Override
        public String kerasClass() {
            return "TimeDistributed";
        }

        @Override
        public List<String> keras3VarsPaths() {
            return List.of("layer/vars");
        }

        @Override
        public Layer build(int inputWidth, List<Array> arrays, @Nullable Integer steps) {
            return new TimeDistributedLayer(name, dense.build(inputWidth, arrays, steps));
        }
    }

    record EmbeddingConfig(String name, int vocabulary, int width, boolean maskZero) implements LayerConfig {
        @Override
        public String kerasClass() {
            return "Embedding";
        }

        @Override
        public List<String> keras3VarsPaths() {
            return List.of("vars");
        }

        @Override
        public Layer build(int inputWidth, List<Array> arrays, @Nullable Integer steps) {
            checkCount(this, arrays, 1, "embeddings");
            return EmbeddingLayer.of(name, arrays.get(0).matrix(this, vocabulary, width, "the config says input_dim "
                    + vocabulary + " and output_dim " + width), maskZero);
        }
    }

    /** BatchNormalization or LayerNormalization over the last axis, at inference. */
    record NormalizationConfig(String name, String kerasClass, boolean center, boolean scale, double epsilon)
            implements LayerConfig {
        @Override
        public List<String> keras3VarsPaths() {
            // BatchNormalization always keeps its moving statistics
            return kerasClass.equals("BatchNormalization") || center || scale ? List.of("vars") : List.of();
        }

        @Override
        public Layer build(int inputWidth, List<Array> arrays, @Nullable Integer steps) {
            boolean batch = kerasClass.equals("BatchNormalization");
            int expected = (scale ? 1 : 0) + (center ? 1 : 0) + (batch ? 2 : 0);
            checkCount(this, arrays, expected, String.join(", ", weightNames(batch)));
            int next = 0;
            double[] gamma = scale ? arrays.get(next++).vector(this, inputWidth) : null;
            double[] beta = center ? arrays.get(next++).vector(this, inputWidth) : null;
            if (!batch) {
                return LayerNormalizationLayer.of(name, gamma, beta, inputWidth, epsilon);
            }
            return BatchNormalizationLayer.of(name, gamma, beta, arrays.get(next).vector(this, inputWidth),
                    arrays.get(next + 1).vector(this, inputWidth), epsilon);
        }

        private List<String> weightNames(boolean batch) {
            List<String> names = new ArrayList<>();
            if (scale) {
                names.add("gamma");
            }
            if (center) {
                names.add("beta");
            }
            if (batch) {
                names.addAll(List.of("moving_mean", "moving_variance"));
            }
            return names;
        }
    }

    /** Layers without weights: Masking, Activation, pooling, Flatten and the ones that pass their input on. */
    record PlainConfig(String name, String kerasClass, @Nullable Activation activation, double maskValue)
            implements LayerConfig {
        @Override
        public List<String> keras3VarsPaths() {
            return List.of();
        }

        @Override
        public Layer build(int inputWidth, List<Array> arrays, @Nullable Integer steps) {
            return switch (kerasClass) {
                case "Masking" -> new MaskingLayer(name, maskValue);
                case "Activation" -> new ActivationLayer(name, activation);
                case "GlobalAveragePooling1D" -> GlobalPoolingLayer.average(name);
                case "GlobalMaxPooling1D" -> GlobalPoolingLayer.max(name);
                case "Flatten" -> {
                    if (steps == null) {
                        throw new IllegalArgumentException(describe() + " needs a fixed number of steps, but the "
                                + "model's input has a None time axis");
                    }
                    yield new FlattenLayer(name, steps);
                }
                default -> new PassThroughLayer(name, kerasClass);
            };
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
            List<Array> arrays = layer.hasWeights() ? weights.of(layer) : List.of();
            Layer engineLayer;
            try {
                engineLayer = layer.build(width, arrays, steps);
            } catch (IllegalArgumentException e) {
                // the engine's factories name the layer but not always its class; the readers' messages do both
                String message = e.getMessage();
                throw new IllegalArgumentException(message.startsWith("layer '") ? message
                        : layer.describe() + ": " + message, e);
            }
            width = engineLayer.outputWidth(width);
            engineLayers.add(engineLayer);
        }
        return RecurrentModel.of(name, steps, features, engineLayers).withPrecision(dtype.precision());
    }

    private static void checkCount(LayerConfig layer, List<Array> arrays, int expected, String which) {
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
