package io.rnnserving.engine;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * An immutable chain of Keras layers ending in the model's output: an optional Embedding first, then any of
 * Masking, SimpleRNN, LSTM, GRU, Bidirectional, Dense, TimeDistributed(Dense), Activation, pooling, Flatten,
 * normalisation and pass-through layers, in order, with at least one recurrent layer. Safe to share between
 * threads.
 */
public final class RecurrentModel {
    /** What {@link #of} accepts, for refusals. */
    static final String SUPPORTED = "Embedding (first), Masking, SimpleRNN, LSTM, GRU, Bidirectional, Dense, "
            + "TimeDistributed(Dense), Activation, GlobalAveragePooling1D, GlobalMaxPooling1D, Flatten, "
            + "BatchNormalization, LayerNormalization, Dropout-like pass-through layers";

    private final String name;
    private final @Nullable Integer declaredSteps;
    private final int inputFeatures;
    private final List<Layer> layers;
    private final List<RecurrentLayer> recurrentLayers;
    private final boolean outputsSequences;
    /** The kernels, threads and precision the model runs with. */
    private final Execution execution;

    private RecurrentModel(String name, @Nullable Integer declaredSteps, int inputFeatures, List<Layer> layers,
                           boolean outputsSequences, Execution execution) {
        this.execution = execution;
        this.name = name;
        this.declaredSteps = declaredSteps;
        this.inputFeatures = inputFeatures;
        this.layers = List.copyOf(layers);
        this.recurrentLayers = layers.stream()
                .filter(RecurrentLayer.class::isInstance)
                .map(RecurrentLayer.class::cast)
                .toList();
        this.outputsSequences = outputsSequences;
    }

    /**
     * Checks that each layer takes what the one before it gives and builds the model.
     *
     * @param declaredSteps the time axis the model was built with, or null for a variable one; reported, and
     *                      enforced only when a Flatten needs it
     * @param inputFeatures D; 1 when the model starts with an Embedding (one token id per step)
     * @throws IllegalArgumentException naming the layer, its class and the mismatch
     */
    public static RecurrentModel of(String name, @Nullable Integer declaredSteps, int inputFeatures, List<Layer> layers) {
        if (inputFeatures < 1) {
            throw new IllegalArgumentException("the input needs at least one feature, got " + inputFeatures);
        }
        int width = inputFeatures;
        boolean sequence = true;
        boolean sawRecurrent = false;
        Set<String> names = new HashSet<>();
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            String called = layer.name() + " (" + layer.kerasClass() + ")";
            if (!names.add(layer.name())) {
                throw new IllegalArgumentException("two layers are named '" + layer.name() + "'");
            }
            boolean needsSequence = layer instanceof RecurrentLayer || layer instanceof MaskingLayer
                    || layer instanceof TimeDistributedLayer || layer instanceof GlobalPoolingLayer
                    || layer instanceof FlattenLayer || layer instanceof EmbeddingLayer;
            if (needsSequence && !sequence) {
                throw new IllegalArgumentException(called + " needs sequences, but the layer before it returns one "
                        + "vector per sample (set return_sequences=True on the recurrent layer before)");
            }
            if (layer instanceof RecurrentLayer rnn) {
                if (rnn.inputFeatures() != width) {
                    throw new IllegalArgumentException(called + " reads " + rnn.inputFeatures()
                            + " features at each step but its input has " + width);
                }
                sequence = rnn.returnSequences();
                sawRecurrent = true;
            } else if (layer instanceof EmbeddingLayer && (i != 0 || inputFeatures != 1)) {
                throw new IllegalArgumentException(called + " must be the model's first layer, taking one token id "
                        + "per step (input features 1, got " + width + ")");
            } else if (layer instanceof DenseLayer dense) {
                checkDense(called, dense, width);
            } else if (layer instanceof TimeDistributedLayer wrapper) {
                checkDense(called, wrapper.dense(), width);
            } else if (layer instanceof GlobalPoolingLayer) {
                sequence = false;
            } else if (layer instanceof FlattenLayer flatten) {
                if (declaredSteps == null || declaredSteps != flatten.steps()) {
                    throw new IllegalArgumentException(called + " flattens " + flatten.steps() + " steps but the "
                            + "model's input has " + (declaredSteps == null ? "a variable number of" : declaredSteps)
                            + " steps; Flatten needs a fixed number of steps");
                }
                sequence = false;
            } else if (layer instanceof BatchNormalizationLayer norm) {
                checkFeatures(called, norm.features(), width);
            } else if (layer instanceof LayerNormalizationLayer norm) {
                checkFeatures(called, norm.features(), width);
            } else if (layer instanceof ActivationLayer activation) {
                checkGlu(called, activation.activation(), width);
            }
            width = layer.outputWidth(width);
        }
        if (!sawRecurrent) {
            throw new IllegalArgumentException("the model has no recurrent layer (SimpleRNN, LSTM, GRU or "
                    + "Bidirectional); supported layers: " + SUPPORTED);
        }
        return new RecurrentModel(name, declaredSteps, inputFeatures, layers, sequence, Execution.DEFAULT);
    }

    private static void checkDense(String called, DenseLayer dense, int width) {
        if (dense.inputFeatures() != width) {
            throw new IllegalArgumentException(dense.name() + ".kernel is " + dense.inputFeatures() + "×" + dense.units()
                    + " but the layer before it gives " + width + " values");
        }
        checkGlu(called, dense.activation(), dense.units());
    }

    private static void checkGlu(String called, Activation activation, int width) {
        if (activation == Activation.GLU && width % 2 != 0) {
            throw new IllegalArgumentException(called + ": glu splits its " + width + " values in halves, which needs "
                    + "an even number");
        }
    }

    private static void checkFeatures(String called, int features, int width) {
        if (features != width) {
            throw new IllegalArgumentException(called + " normalises " + features + " features but the layer before "
                    + "it gives " + width);
        }
    }

    /** The same model, run as {@code settings} say. */
    public RecurrentModel withSettings(EngineSettings settings) {
        return new RecurrentModel(name, declaredSteps, inputFeatures, layers, outputsSequences,
                Execution.of(settings).withPrecision(execution.precision()));
    }

    /** The same model on the given kernels and threads, in the precision the execution names (tests). */
    RecurrentModel withExecution(Execution newExecution) {
        return new RecurrentModel(name, declaredSteps, inputFeatures, layers, outputsSequences, newExecution);
    }

    /** The same model, computed in {@code newPrecision}. */
    public RecurrentModel withPrecision(Precision newPrecision) {
        return new RecurrentModel(name, declaredSteps, inputFeatures, layers, outputsSequences,
                execution.withPrecision(newPrecision));
    }

    /** The floating-point type the model computes in. */
    public Precision precision() {
        return execution.precision();
    }

    /**
     * The precision readers put this model's input in ({@link InputValues}): float32 for the features of a float32
     * model, which the engine then reads without a copy; float64 for a float64 model, and for token ids, which are
     * checked to be whole numbers as sent, before any rounding.
     */
    public Precision inputPrecision() {
        return embedding().isPresent() ? Precision.FLOAT64 : precision();
    }

    /**
     * Which kernel the recurrent layers run on, for the logs: the float kernel for a float32 model, else the double
     * one (for layers of {@link SimpleRnnLayer#SMALL_UNITS} units or more).
     */
    public String stepKernel() {
        return execution.description();
    }

    /**
     * The batch sizes the engine runs best: a batch of a multiple of this many samples splits into whole kernel tiles
     * on every engine thread, leaving no rows to the row-at-a-time remainder, which costs several times more a row.
     */
    public int wholeTileSamples() {
        return execution.tileRows() * execution.threads();
    }

    public String name() {
        return name;
    }

    public @Nullable Integer declaredSteps() {
        return declaredSteps;
    }

    /** D, the values at each step: 1 (the token id) for a model that starts with an Embedding. */
    public int inputFeatures() {
        return inputFeatures;
    }

    public List<Layer> layers() {
        return layers;
    }

    public List<RecurrentLayer> recurrentLayers() {
        return recurrentLayers;
    }

    /** The Embedding the model starts with, when it takes token ids. */
    public Optional<EmbeddingLayer> embedding() {
        return layers.get(0) instanceof EmbeddingLayer embedding ? Optional.of(embedding) : Optional.empty();
    }

    /** True when the model answers one sequence per sample. */
    public boolean outputsSequences() {
        return outputsSequences;
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
     * The first reason this batch cannot go through the model beyond its shape, if any: a token id that is not a
     * whole number in the Embedding's vocabulary (at its sample and step), or a sample without the fixed number
     * of steps a Flatten needs (at its sample). Protocols call it to answer 400 with a pointer; {@link #predict}
     * refuses such a batch too.
     */
    public Optional<InputProblem> inputProblem(SequenceBatch batch) {
        Optional<EmbeddingLayer> embedding = embedding();
        if (embedding.isPresent() && batch.features() == 1) {
            for (int n = 0; n < batch.samples(); n++) {
                for (int t = 0; t < batch.lengths()[n]; t++) {
                    String problem = embedding.get().idProblem(batch.values().get(n * batch.steps() + t));
                    if (problem != null) {
                        return Optional.of(new InputProblem(n, t, problem));
                    }
                }
            }
        }
        for (Layer layer : layers) {
            if (layer instanceof FlattenLayer flatten) {
                for (int n = 0; n < batch.samples(); n++) {
                    if (batch.lengths()[n] != flatten.steps()) {
                        return Optional.of(new InputProblem(n, null, "the sample has " + batch.lengths()[n]
                                + " steps but " + flatten.name() + " (Flatten) needs exactly " + flatten.steps()));
                    }
                }
            }
        }
        return Optional.empty();
    }

    /**
     * A batch this model accepts, for warm-up and self-checks: values drawn in [-1, 1), or token ids in the
     * Embedding's vocabulary, over {@code steps} steps, or the model's fixed number when a Flatten needs it.
     */
    public SequenceBatch exampleBatch(int samples, int steps, long seed) {
        int length = layers.stream().anyMatch(FlattenLayer.class::isInstance) ? declaredSteps : steps;
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        long count = (long) samples * length * inputFeatures;
        double[] values = embedding()
                .map(e -> random.ints(count, 0, e.vocabularySize()).asDoubleStream().toArray())
                .orElseGet(() -> random.doubles(count, -1, 1).toArray());
        return SequenceBatch.rectangular(InputValues.of(inputPrecision(), values), samples, length, inputFeatures);
    }

    /**
     * Runs the batch through every layer.
     *
     * @param initialStates N×M row-major initial {@code h} by recurrent layer name; a layer not named starts from
     *                      zeros. An LSTM needs both its parts: use {@link #predictFromStates}.
     * @param recordStates  also return every recurrent layer's state after each step
     */
    public ForwardResult predict(SequenceBatch batch, Map<String, double[]> initialStates, boolean recordStates) {
        Map<String, Map<String, double[]>> byPart = new LinkedHashMap<>();
        initialStates.forEach((layer, h) -> byPart.put(layer, Map.of("h", h)));
        return predictFromStates(batch, byPart, recordStates);
    }

    /**
     * Runs the batch through every layer.
     *
     * @param initialStates initial state by recurrent layer name, then part ({@link RecurrentLayer#stateParts()}:
     *                      {@code h}, and {@code c} for an LSTM), each N×M row-major; a layer not named starts from
     *                      zeros, a layer named needs all its parts
     * @param recordStates  also return every recurrent layer's state after each step
     * @throws IllegalArgumentException for a state the model cannot take ({@link #initialStateProblem}) or a batch
     *                                  it cannot read ({@link #inputProblem})
     */
    public ForwardResult predictFromStates(SequenceBatch batch, Map<String, Map<String, double[]>> initialStates,
                                           boolean recordStates) {
        if (batch.features() != inputFeatures) {
            throw new IllegalArgumentException("the batch has " + batch.features() + " features; the model takes "
                    + inputFeatures);
        }
        for (Map.Entry<String, Map<String, double[]>> entry : initialStates.entrySet()) {
            String problem = initialStateProblem(entry.getKey(), entry.getValue(), batch.samples());
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
        }
        Optional<InputProblem> problem = inputProblem(batch);
        if (problem.isPresent()) {
            InputProblem p = problem.get();
            throw new IllegalArgumentException("sample " + p.sample() + (p.step() == null ? "" : ", step " + p.step())
                    + ": " + p.message());
        }
        boolean float32 = execution.float32();
        ForwardContext context = new ForwardContext(execution, float32 ? narrowStates(initialStates) : initialStates,
                recordStates);
        Tensor tensor = input(batch, float32);
        for (Layer layer : layers) {
            tensor = layer.forward(tensor, context);
            if (float32) {
                // recurrent layers and Dense already give floats; the element-wise layers compute in double
                roundToFloat(tensor.values());
            }
        }
        return new ForwardResult(tensor.values(), tensor.samples(), tensor.steps(), tensor.width(), tensor.lengths(),
                context.traces(), context.finalStates());
    }

    /**
     * The first layer's input: a float32 model's values as floats (as they are when the batch holds floats, else
     * narrowed once, as numpy's {@code astype(float32)}), a float64 model's as doubles.
     */
    private static Tensor input(SequenceBatch batch, boolean float32) {
        if (float32) {
            float[] floats = ((InputValues.Floats) batch.values().in(Precision.FLOAT32)).array();
            return Tensor.sequences(floats, batch.samples(), batch.steps(), batch.features(), batch.lengths());
        }
        return Tensor.sequences(batch.values().toDoubles(), batch.samples(), batch.steps(), batch.features(),
                batch.lengths(), null);
    }

    /** numpy's {@code astype(float32)}: each value rounded to the nearest float, into a new array. */
    private static double[] narrowed(double[] values) {
        double[] copy = values.clone();
        roundToFloat(copy);
        return copy;
    }

    private static Map<String, Map<String, double[]>> narrowStates(Map<String, Map<String, double[]>> states) {
        Map<String, Map<String, double[]>> copy = new LinkedHashMap<>();
        states.forEach((layer, parts) -> {
            Map<String, double[]> narrowedParts = new LinkedHashMap<>();
            parts.forEach((part, values) -> narrowedParts.put(part, narrowed(values)));
            copy.put(layer, narrowedParts);
        });
        return copy;
    }

    private static void roundToFloat(double[] values) {
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) values[i];
        }
    }

    /**
     * Why this model cannot start layer {@code layerName} from {@code parts} for {@code samples} samples, or null
     * when it can: an unknown layer, a Bidirectional layer, a missing or unknown part, or a part not N×M.
     */
    public @Nullable String initialStateProblem(String layerName, Map<String, double[]> parts, int samples) {
        RecurrentLayer layer;
        try {
            layer = recurrentLayer(layerName);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        if (layer instanceof BidirectionalLayer bidirectional) {
            return bidirectional.initialStateRefusal();
        }
        List<String> expected = layer.stateParts();
        if (!parts.keySet().equals(new HashSet<>(expected))) {
            return "the initial state of " + layerName + " (" + layer.kerasClass() + ") has the parts " + expected
                    + "; got " + parts.keySet();
        }
        for (String part : expected) {
            int values = samples * layer.units();
            if (parts.get(part).length != values) {
                return "the initial state " + part + " of " + layerName + " has " + parts.get(part).length
                        + " values; " + samples + "×" + layer.units() + " needs " + values;
            }
        }
        return null;
    }

    /** Runs the batch from zero states without recording them. */
    public ForwardResult predict(SequenceBatch batch) {
        return predictFromStates(batch, Map.of(), false);
    }

    public RecurrentLayer recurrentLayer(String layerName) {
        for (RecurrentLayer layer : recurrentLayers) {
            if (layer.name().equals(layerName)) {
                return layer;
            }
        }
        List<String> known = new ArrayList<>();
        recurrentLayers.forEach(l -> known.add(l.name()));
        throw new IllegalArgumentException("no recurrent layer named '" + layerName + "'; the model has " + known);
    }
}
