package io.rnnserving.engine;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * An immutable chain of Keras layers ending in the model's output: Masking, SimpleRNN, Dense, Activation
 * and pass-through layers, in order. Safe to share between threads.
 */
public final class RecurrentModel {
    private final String name;
    private final @Nullable Integer declaredSteps;
    private final int inputFeatures;
    private final List<Layer> layers;
    private final List<SimpleRnnLayer> recurrentLayers;
    private final Execution execution;

    private RecurrentModel(String name, @Nullable Integer declaredSteps, int inputFeatures, List<Layer> layers,
                           Execution execution) {
        this.execution = execution;
        this.name = name;
        this.declaredSteps = declaredSteps;
        this.inputFeatures = inputFeatures;
        this.layers = List.copyOf(layers);
        this.recurrentLayers = layers.stream()
                .filter(SimpleRnnLayer.class::isInstance)
                .map(SimpleRnnLayer.class::cast)
                .toList();
    }

    /**
     * Checks that each layer takes what the one before it gives and builds the model.
     *
     * @param declaredSteps the time axis the model was built with, or null for a variable one; reported, not enforced
     * @throws IllegalArgumentException naming the layer and the mismatch
     */
    public static RecurrentModel of(String name, @Nullable Integer declaredSteps, int inputFeatures, List<Layer> layers) {
        if (inputFeatures < 1) {
            throw new IllegalArgumentException("the input needs at least one feature, got " + inputFeatures);
        }
        int width = inputFeatures;
        boolean sequence = true;
        boolean sawRecurrent = false;
        Set<String> names = new HashSet<>();
        for (Layer layer : layers) {
            if (!names.add(layer.name())) {
                throw new IllegalArgumentException("two layers are named '" + layer.name() + "'");
            }
            if (layer instanceof SimpleRnnLayer rnn) {
                if (!sequence) {
                    throw new IllegalArgumentException(rnn.name() + " (SimpleRNN) needs sequences, but the layer before "
                            + "it returns one vector per sample (set return_sequences=True on the recurrent layer before)");
                }
                if (rnn.inputFeatures() != width) {
                    throw new IllegalArgumentException(rnn.name() + ".kernel is " + rnn.inputFeatures() + "×" + rnn.units()
                            + " but its input has " + width + " features");
                }
                sequence = rnn.returnSequences();
                sawRecurrent = true;
            } else if (layer instanceof DenseLayer dense && dense.inputFeatures() != width) {
                throw new IllegalArgumentException(dense.name() + ".kernel is " + dense.inputFeatures() + "×" + dense.units()
                        + " but the layer before it gives " + width + " values");
            } else if (layer instanceof MaskingLayer masking && !sequence) {
                throw new IllegalArgumentException(masking.name() + " (Masking) needs sequences");
            }
            width = layer.outputWidth(width);
        }
        if (!sawRecurrent) {
            throw new IllegalArgumentException("the model has no SimpleRNN layer");
        }
        return new RecurrentModel(name, declaredSteps, inputFeatures, layers, Execution.DEFAULT);
    }

    /** The same model, run as {@code settings} say. */
    public RecurrentModel withSettings(EngineSettings settings) {
        return new RecurrentModel(name, declaredSteps, inputFeatures, layers, Execution.of(settings));
    }

    /** Which kernel recurrent layers of {@link SimpleRnnLayer#SMALL_UNITS} units or more run on, for the logs. */
    public String stepKernel() {
        return execution.kernel().description();
    }

    public String name() {
        return name;
    }

    public @Nullable Integer declaredSteps() {
        return declaredSteps;
    }

    public int inputFeatures() {
        return inputFeatures;
    }

    public List<Layer> layers() {
        return layers;
    }

    public List<SimpleRnnLayer> recurrentLayers() {
        return recurrentLayers;
    }

    /** True when the model answers one sequence per sample (its last recurrent layer returns sequences). */
    public boolean outputsSequences() {
        return recurrentLayers.get(recurrentLayers.size() - 1).returnSequences();
    }

    public int outputWidth() {
        int width = inputFeatures;
        for (Layer layer : layers) {
            width = layer.outputWidth(width);
        }
        return width;
    }

    public long parameterCount() {
        return layers.stream().mapToLong(Layer::parameterCount).sum();
    }

    /**
     * Runs the batch through every layer.
     *
     * @param initialStates N×M row-major initial state by recurrent layer name; a layer not named starts from zeros
     * @param recordStates  also return every recurrent layer's state after each step
     */
    public ForwardResult predict(SequenceBatch batch, Map<String, double[]> initialStates, boolean recordStates) {
        if (batch.features() != inputFeatures) {
            throw new IllegalArgumentException("the batch has " + batch.features() + " features; the model takes "
                    + inputFeatures);
        }
        for (Map.Entry<String, double[]> entry : initialStates.entrySet()) {
            SimpleRnnLayer layer = recurrentLayer(entry.getKey());
            int expected = batch.samples() * layer.units();
            if (entry.getValue().length != expected) {
                throw new IllegalArgumentException("the initial state of " + entry.getKey() + " has "
                        + entry.getValue().length + " values; " + batch.samples() + "×" + layer.units() + " needs "
                        + expected);
            }
        }
        ForwardContext context = new ForwardContext(execution, initialStates, recordStates);
        Tensor tensor = Tensor.sequences(batch.values(), batch.samples(), batch.steps(), batch.features(),
                batch.lengths(), null);
        for (Layer layer : layers) {
            tensor = layer.forward(tensor, context);
        }
        return new ForwardResult(tensor.values(), tensor.samples(), tensor.steps(), tensor.width(), tensor.lengths(),
                context.recordedStates(), context.finalStates());
    }

    /** Runs the batch from zero states without recording them. */
    public ForwardResult predict(SequenceBatch batch) {
        return predict(batch, Map.of(), false);
    }

    public SimpleRnnLayer recurrentLayer(String layerName) {
        for (SimpleRnnLayer layer : recurrentLayers) {
            if (layer.name().equals(layerName)) {
                return layer;
            }
        }
        List<String> known = new ArrayList<>();
        recurrentLayers.forEach(l -> known.add(l.name()));
        throw new IllegalArgumentException("no recurrent layer named '" + layerName + "'; the model has " + known);
    }
}
