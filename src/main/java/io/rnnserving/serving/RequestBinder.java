package io.rnnserving.serving;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import io.rnnserving.engine.InputProblem;
import io.rnnserving.engine.InputValues;
import io.rnnserving.engine.Precision;
import io.rnnserving.engine.RecurrentLayer;
import io.rnnserving.engine.RecurrentModel;
import io.rnnserving.engine.SequenceBatch;
import io.rnnserving.problem.InvalidRequestException;
import io.rnnserving.problem.ProblemKind;
import io.rnnserving.serving.ModelInput.Ragged;
import io.rnnserving.serving.ModelInput.StateInput;
import io.rnnserving.serving.ModelInput.Tensor;
import org.jspecify.annotations.Nullable;

/**
 * The one place of every rule of model input, whatever the protocol: x is N×T×D with the model's D (N×T token ids
 * in the vocabulary for a model that starts with an Embedding), every sample has 1 to T steps, a length is 1 to its
 * sample's steps, an initial state gives every part of a recurrent layer that takes one, each N×units, and the
 * batch is within the limits. A broken rule is a problem with the same words on every protocol, pointing into the
 * caller's own body.
 */
public final class RequestBinder {
    private final RecurrentModel model;
    private final RequestLimits limits;

    public RequestBinder(RecurrentModel model, RequestLimits limits) {
        this.model = model;
        this.limits = limits;
    }

    public int features() {
        return model.inputFeatures();
    }

    /** True when x is N×T token ids, one whole number a step, for a model that starts with an Embedding. */
    public boolean takesTokenIds() {
        return model.embedding().isPresent();
    }

    /**
     * The precision to read x in ({@link RecurrentModel#inputPrecision()}): floats for a float32 model's features,
     * used by the engine as read. x given in another precision is converted here, once.
     */
    public Precision inputPrecision() {
        return model.inputPrecision();
    }

    /** For a reader that streams x step by step: refuses a step of {@code count} numbers unless it is D. */
    public void checkFeatures(int count, int sample, int step, WirePointers at) {
        if (count != model.inputFeatures()) {
            throw new InvalidRequestException(ProblemKind.WRONG_SHAPE, at.step(sample, step), "timestep " + step
                    + " of sample " + sample + " has " + count + " features; the model takes " + model.inputFeatures());
        }
    }

    public BoundRequest bind(ModelInput input, WirePointers at) {
        SequenceBatch batch = input.x() instanceof Tensor tensor
                ? rectangular(tensor, input.lengths(), at)
                : padded((Ragged) input.x(), input.lengths(), at);
        Optional<InputProblem> problem = model.inputProblem(batch);
        if (problem.isPresent()) {
            InputProblem p = problem.get();
            // a value that is no token id is an invalid number; a sample of the wrong length, a wrong shape
            throw p.step() == null ? new InvalidRequestException(ProblemKind.WRONG_SHAPE, at.sample(p.sample()),
                    p.message()) : new InvalidRequestException(ProblemKind.INVALID_NUMBER, at.value(p.sample(),
                    p.step()), p.message());
        }
        return new BoundRequest(batch, states(input.states(), batch.samples()), input.recordStates());
    }

    private SequenceBatch rectangular(Tensor x, int @Nullable [] lengths, WirePointers at) {
        int features = model.inputFeatures();
        int[] shape = x.shape();
        boolean ids = takesTokenIds() && shape.length == 2;
        if (!ids && (shape.length != 3 || shape[2] != features)) {
            throw new InvalidRequestException(ProblemKind.WRONG_SHAPE, at.x(), "x has shape " + Arrays.toString(shape)
                    + "; the model takes " + (takesTokenIds() ? "[N, T]: N samples of T token ids"
                    : "[N, T, " + features + "]: N samples of T steps of " + features + " features"));
        }
        int[] steps = new int[shape[0]];
        Arrays.fill(steps, shape[1]);
        return padded(new Ragged(x.values(), steps, features), lengths, at);
    }

    private SequenceBatch padded(Ragged x, int @Nullable [] lengths, WirePointers at) {
        int[] stepsPerSample = x.stepsPerSample();
        int samples = stepsPerSample.length;
        if (samples == 0) {
            throw new InvalidRequestException(ProblemKind.WRONG_SHAPE, at.x(),
                    "the batch is empty: x needs at least one sample");
        }
        int longest = 0;
        boolean rectangular = true;
        for (int n = 0; n < samples; n++) {
            if (stepsPerSample[n] == 0) {
                throw new InvalidRequestException(ProblemKind.WRONG_SHAPE, at.sample(n),
                        "sample " + n + " has no timesteps");
            }
            rectangular &= stepsPerSample[n] == stepsPerSample[0];
            longest = Math.max(longest, stepsPerSample[n]);
        }
        int features = x.features();
        limits.checkBatch(samples, longest, (long) samples * longest * features, at.x());
        int[] effective = lengths == null ? stepsPerSample.clone() : checkLengths(lengths, stepsPerSample, at);
        Precision precision = inputPrecision();
        if (rectangular) {
            return new SequenceBatch(x.values().in(precision), samples, longest, features, effective);
        }
        // ragged: pad each sample to the longest, converting as it copies; padding is never read
        InputValues padded = InputValues.zeros(precision, samples * longest * features);
        int from = 0;
        for (int n = 0; n < samples; n++) {
            int count = stepsPerSample[n] * features;
            x.values().copyTo(from, padded, n * longest * features, count);
            from += count;
        }
        return new SequenceBatch(padded, samples, longest, features, effective);
    }

    private static int[] checkLengths(int[] lengths, int[] stepsPerSample, WirePointers at) {
        if (lengths.length != stepsPerSample.length) {
            throw new InvalidRequestException(ProblemKind.WRONG_SHAPE, at.lengths(), "lengths has " + lengths.length
                    + " entries but x has " + stepsPerSample.length + " samples");
        }
        for (int n = 0; n < lengths.length; n++) {
            if (lengths[n] < 1 || lengths[n] > stepsPerSample[n]) {
                throw new InvalidRequestException(ProblemKind.WRONG_SHAPE, at.length(n), "sample " + n
                        + " has length " + lengths[n] + "; it must be 1 to " + stepsPerSample[n]
                        + ", its timesteps in x");
            }
        }
        return lengths.clone();
    }

    private Map<String, LayerState> states(List<StateInput> inputs, int samples) {
        Map<String, Map<String, double[]>> partsByLayer = new LinkedHashMap<>();
        Map<String, String> layerPointers = new HashMap<>();
        for (StateInput input : inputs) {
            Target target = target(input);
            RecurrentLayer layer = target.layer();
            int[] shape = input.shape();
            if (shape.length != 2 || shape[0] != samples || shape[1] != layer.units()) {
                throw new InvalidRequestException(ProblemKind.WRONG_SHAPE, input.pointer(), "the initial state "
                        + (layer.stateParts().size() > 1 ? target.part() + " " : "") + "of " + layer.name() + " is "
                        + Arrays.stream(shape).mapToObj(Integer::toString).collect(Collectors.joining("×"))
                        + " but must be " + samples + "×" + layer.units() + " (samples × units)");
            }
            double[] values = Arrays.copyOf(input.values(), samples * layer.units());
            if (partsByLayer.computeIfAbsent(layer.name(), name -> new LinkedHashMap<>())
                    .put(target.part(), values) != null) {
                throw new InvalidRequestException(ProblemKind.DUPLICATE_FIELD, input.pointer(), "the initial state "
                        + target.part() + " of " + layer.name() + " is given twice");
            }
            layerPointers.putIfAbsent(layer.name(), target.layerPointer());
        }
        Map<String, LayerState> states = new LinkedHashMap<>();
        partsByLayer.forEach((layer, parts) -> {
            String problem = model.initialStateProblem(layer, parts, samples);
            if (problem != null) {
                throw new InvalidRequestException(ProblemKind.WRONG_SHAPE, layerPointers.get(layer), problem);
            }
            states.put(layer, new LayerState(parts));
        });
        return states;
    }

    /** The layer and part a state matrix is for, and where the layer's state as a whole was given. */
    private record Target(RecurrentLayer layer, String part, String layerPointer) {
    }

    private Target target(StateInput input) {
        List<RecurrentLayer> recurrent = model.recurrentLayers();
        List<String> names = recurrent.stream().map(RecurrentLayer::name).toList();
        RecurrentLayer layer;
        String part = input.part();
        String layerPointer = input.parentPointer();
        if (input.layer() == null) {
            if (recurrent.size() != 1) {
                throw new InvalidRequestException(ProblemKind.WRONG_SHAPE, input.pointer(), "the model has "
                        + recurrent.size() + " recurrent layers; give each initial state by layer name: " + names);
            }
            layer = recurrent.get(0);
        } else if (names.contains(input.layer())) {
            layer = model.recurrentLayer(input.layer());
            if (part == null) {
                layerPointer = input.pointer();
            }
        } else if (part == null && recurrent.size() == 1 && recurrent.get(0).stateParts().contains(input.layer())) {
            // the only recurrent layer's parts, given without its name
            layer = recurrent.get(0);
            part = input.layer();
        } else {
            throw new InvalidRequestException(ProblemKind.WRONG_SHAPE, input.pointer(), "the model has no recurrent "
                    + "layer '" + input.layer() + "'; its recurrent layers are " + names);
        }
        if (!layer.acceptsInitialState()) {
            throw new InvalidRequestException(ProblemKind.WRONG_SHAPE, layerPointer,
                    model.initialStateProblem(layer.name(), Map.of(), 1));
        }
        List<String> parts = layer.stateParts();
        if (part == null) {
            if (parts.size() != 1) {
                throw new InvalidRequestException(ProblemKind.WRONG_SHAPE, input.pointer(), "the state of "
                        + layer.name() + " (" + layer.kerasClass() + ") has " + parts.size() + " parts, " + parts
                        + ", each N×" + layer.units() + ": give each of them by name");
            }
            part = parts.get(0);
        } else if (!parts.contains(part)) {
            throw new InvalidRequestException(ProblemKind.WRONG_SHAPE, input.pointer(), "the state of "
                    + layer.name() + " (" + layer.kerasClass() + ") has no part '" + part + "'; its parts are "
                    + parts);
        }
        return new Target(layer, part, layerPointer);
    }
}
