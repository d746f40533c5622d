package io.rnnserving.serving;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.rnnserving.engine.ForwardResult;
import io.rnnserving.engine.InputValues;
import io.rnnserving.engine.SequenceBatch;
import io.rnnserving.engine.StateSequence;

/**
 * Several requests as one engine call, and that call's result cut back into each request's own answer.
 * Samples are stacked in request order and padded to the longest request's steps; each state part (whatever parts
 * a layer's state has) is stacked by rows, and one that a request does not give starts from zeros in its rows, as
 * it would alone. Since the engine computes
 * every sample on its own, each request's slice is bit for bit what the request computes alone.
 */
final class CoalescedCall {
    private final List<BoundRequest> members;
    private final BoundRequest merged;

    private CoalescedCall(List<BoundRequest> members, BoundRequest merged) {
        this.members = members;
        this.merged = merged;
    }

    /** @throws IllegalArgumentException when the requests disagree on features or on a state's width */
    static CoalescedCall of(List<BoundRequest> members) {
        int samples = 0;
        int steps = 0;
        int features = members.get(0).batch().features();
        boolean trace = false;
        for (BoundRequest call : members) {
            if (call.batch().features() != features) {
                throw new IllegalArgumentException("requests of " + features + " and " + call.batch().features()
                        + " features cannot run as one call");
            }
            samples += call.batch().samples();
            steps = Math.max(steps, call.batch().steps());
            trace |= call.recordStates();
        }
        // in the first request's precision, the model's: a float32 model's floats are copied as floats
        InputValues values = InputValues.zeros(members.get(0).batch().values().precision(), samples * steps * features);
        int[] lengths = new int[samples];
        int row = 0;
        for (BoundRequest call : members) {
            SequenceBatch batch = call.batch();
            int sampleValues = batch.steps() * features;
            for (int n = 0; n < batch.samples(); n++, row++) {
                batch.values().copyTo(n * sampleValues, values, row * steps * features, sampleValues);
                lengths[row] = batch.lengths()[n];
            }
        }
        SequenceBatch batch = new SequenceBatch(values, samples, steps, features, lengths);
        return new CoalescedCall(members, new BoundRequest(batch, stackedStates(members, samples), trace));
    }

    BoundRequest merged() {
        return merged;
    }

    /** Each request's own answer, in the order the requests were given. */
    List<ForwardResult> split(ForwardResult result) {
        List<ForwardResult> answers = new ArrayList<>(members.size());
        int from = 0;
        for (BoundRequest call : members) {
            answers.add(slice(result, call, from));
            from += call.batch().samples();
        }
        return answers;
    }

    /** Each layer's state parts stacked by rows; rows of a request that gives no such part stay zeros. */
    private static Map<String, LayerState> stackedStates(List<BoundRequest> members, int samples) {
        Map<String, Map<String, Integer>> widths = new LinkedHashMap<>();
        for (BoundRequest call : members) {
            int rows = call.batch().samples();
            call.initialStates().forEach((layer, state) -> state.parts().forEach((part, values) -> {
                int width = values.length / rows;
                Integer known = widths.computeIfAbsent(layer, l -> new LinkedHashMap<>()).putIfAbsent(part, width);
                if (known != null && known != width) {
                    throw new IllegalArgumentException("requests give " + layer + "'s state part " + part + " with "
                            + known + " and " + width + " values per sample");
                }
            }));
        }
        Map<String, LayerState> stacked = new LinkedHashMap<>();
        widths.forEach((layer, parts) -> {
            Map<String, double[]> stackedParts = new LinkedHashMap<>();
            parts.forEach((part, width) -> {
                double[] rows = new double[samples * width];
                int row = 0;
                for (BoundRequest call : members) {
                    LayerState own = call.initialStates().get(layer);
                    double[] values = own == null ? null : own.parts().get(part);
                    if (values != null) {
                        System.arraycopy(values, 0, rows, row * width, call.batch().samples() * width);
                    }
                    row += call.batch().samples();
                }
                stackedParts.put(part, rows);
            });
            stacked.put(layer, new LayerState(stackedParts));
        });
        return stacked;
    }

    private static ForwardResult slice(ForwardResult result, BoundRequest call, int from) {
        int samples = call.batch().samples();
        int steps = call.batch().steps();
        int[] lengths = call.batch().lengths().clone();
        int width = result.outputWidth();
        double[] output;
        int[] outputLengths = null;
        if (result.isSequence()) {
            output = rows(result.output(), result.outputSteps(), width, from, samples, steps);
            outputLengths = lengths;
        } else {
            output = Arrays.copyOfRange(result.output(), from * width, (from + samples) * width);
        }
        Map<String, Map<String, StateSequence>> traces = new LinkedHashMap<>();
        if (call.recordStates()) {
            result.stateTraces().forEach((layer, parts) -> {
                Map<String, StateSequence> own = new LinkedHashMap<>();
                parts.forEach((part, all) -> own.put(part, new StateSequence(
                        rows(all.values(), all.steps(), all.units(), from, samples, steps), samples, steps,
                        all.units(), lengths)));
                traces.put(layer, own);
            });
        }
        Map<String, Map<String, double[]>> finalStates = new LinkedHashMap<>();
        result.finalStateParts().forEach((layer, parts) -> {
            Map<String, double[]> own = new LinkedHashMap<>();
            parts.forEach((part, all) -> {
                int stateWidth = all.length / result.samples();
                own.put(part, Arrays.copyOfRange(all, from * stateWidth, (from + samples) * stateWidth));
            });
            finalStates.put(layer, own);
        });
        return new ForwardResult(output, samples, result.isSequence() ? steps : 0, width, outputLengths, traces,
                finalStates);
    }

    /** Samples [from, from + samples) of an N×allSteps×width array, each cut to its first {@code steps} steps. */
    private static double[] rows(double[] all, int allSteps, int width, int from, int samples, int steps) {
        double[] own = new double[samples * steps * width];
        for (int n = 0; n < samples; n++) {
            System.arraycopy(all, (from + n) * allSteps * width, own, n * steps * width, steps * width);
        }
        return own;
    }
}
