package io.rnnserving.engine;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What one call computed.
 *
 * @param output      N×K ({@code outputSteps == 0}) or, when the model ends in sequences, N×T×K padded to the
 *                    longest sample with {@code outputLengths}
 * @param stateTraces every recurrent layer's state after each step, by layer name then state part ({@code h},
 *                    {@code c}, {@code forward_h}, …), when asked to trace; empty otherwise
 * @param finalStateParts every recurrent layer's state after each sample's last step (N×M), by layer name then part
 */
public record ForwardResult(double[] output, int samples, int outputSteps, int outputWidth,
                            int @Nullable [] outputLengths, Map<String, Map<String, StateSequence>> stateTraces,
                            Map<String, Map<String, double[]>> finalStateParts) {

    public boolean isSequence() {
        return outputSteps > 0;
    }

    /** The {@code h} part of {@link #stateTraces} for the layers that have one (all but Bidirectional). */
    public Map<String, StateSequence> states() {
        Map<String, StateSequence> h = new LinkedHashMap<>();
        stateTraces.forEach((layer, parts) -> {
            if (parts.containsKey("h")) {
                h.put(layer, parts.get("h"));
            }
        });
        return h;
    }

    /** The {@code h} part of {@link #finalStateParts} for the layers that have one (all but Bidirectional). */
    public Map<String, double[]> finalStates() {
        Map<String, double[]> h = new LinkedHashMap<>();
        finalStateParts.forEach((layer, parts) -> {
            if (parts.containsKey("h")) {
                h.put(layer, parts.get("h"));
            }
        });
        return h;
    }
}
