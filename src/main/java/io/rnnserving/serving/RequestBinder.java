package io.rnnserving.serving;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.rnnserving.engine.RecurrentModel;
import io.rnnserving.engine.SequenceBatch;
import io.rnnserving.engine.SimpleRnnLayer;
import io.rnnserving.problem.InvalidRequestException;
import io.rnnserving.problem.ProblemKind;
import io.rnnserving.serving.ModelInput.Ragged;
import io.rnnserving.serving.ModelInput.StateInput;
import io.rnnserving.serving.ModelInput.Tensor;
import org.jspecify.annotations.Nullable;

/**
 * The one place of every rule of model input, whatever the protocol: x is N×T×D with the model's D, every sample has
 * 1 to T steps, a length is 1 to its sample's steps, an initial state is N×units of a recurrent layer, and the batch
 * is within the limits. A broken rule is a problem with the same words on every protocol, pointing into the
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
        return new BoundRequest(batch, states(input.states(), batch.samples()), input.recordStates());
    }

    private SequenceBatch rectangular(Tensor x, int @Nullable [] lengths, WirePointers at) {
        int features = model.inputFeatures();
        int[] shape = x.shape();
        if (shape.length != 3 || shape[2] != features) {
            throw new InvalidRequestException(ProblemKind.WRONG_SHAPE, at.x(), "x has shape " + Arrays.toString(shape)
                    + "; the model takes [N, T, " + features + "]: N samples of T steps of " + features + " features");
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
        if (rectangular) {
            return new SequenceBatch(x.values(), samples, longest, features, effective);
        }
        // ragged: pad each sample to the longest; padding is never read
        double[] padded = new double[samples * longest * features];
        int from = 0;
        for (int n = 0; n < samples; n++) {
            int count = stepsPerSample[n] * features;
            System.arraycopy(x.values(), from, padded, n * longest * features, count);
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
        for (StateInput input : inputs) {
            SimpleRnnLayer layer = layerOf(input);
            if (!LayerState.SIMPLE_RNN_PARTS.contains(input.part())) {
                throw new InvalidRequestException(ProblemKind.WRONG_SHAPE, input.pointer(), "the state of "
                        + layer.name() + " has no part '" + input.part() + "'; its parts are "
                        + LayerState.SIMPLE_RNN_PARTS);
            }
            int[] shape = input.shape();
            if (shape.length != 2 || shape[0] != samples || shape[1] != layer.units()) {
                throw new InvalidRequestException(ProblemKind.WRONG_SHAPE, input.pointer(), "the initial state of "
                        + layer.name() + " is " + Arrays.stream(shape).mapToObj(Integer::toString)
                                .collect(Collectors.joining("×"))
                        + " but must be " + samples + "×" + layer.units() + " (samples × units)");
            }
            partsByLayer.computeIfAbsent(layer.name(), name -> new HashMap<>())
                    .put(input.part(), Arrays.copyOf(input.values(), samples * layer.units()));
        }
        Map<String, LayerState> states = new LinkedHashMap<>();
        partsByLayer.forEach((layer, parts) -> states.put(layer, new LayerState(parts)));
        return states;
    }

    private SimpleRnnLayer layerOf(StateInput input) {
        List<SimpleRnnLayer> recurrent = model.recurrentLayers();
        List<String> names = recurrent.stream().map(SimpleRnnLayer::name).toList();
        if (input.layer() == null) {
            if (recurrent.size() != 1) {
                throw new InvalidRequestException(ProblemKind.WRONG_SHAPE, input.pointer(), "the model has "
                        + recurrent.size() + " recurrent layers; give each initial state by layer name: " + names);
            }
            return recurrent.get(0);
        }
        return recurrent.stream()
                .filter(layer -> layer.name().equals(input.layer()))
                .findFirst()
                .orElseThrow(() -> new InvalidRequestException(ProblemKind.WRONG_SHAPE, input.pointer(),
                        "the model has no recurrent layer '" + input.layer() + "'; its recurrent layers are " + names));
    }
}
