package io.rnnserving.engine;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What one call computed.
 *
 * @param output      N×K ({@code outputSteps == 0}) or, when the last recurrent layer returns sequences,
 *                    N×T×K padded to the longest sample with {@code outputLengths}
 * @param states      every recurrent layer's state after each step, by layer name, when asked to trace
 * @param finalStates every recurrent layer's state after each sample's last step (N×M), by layer name
 */
public record ForwardResult(double[] output, int samples, int outputSteps, int outputWidth,
                            int @Nullable [] outputLengths, Map<String, StateSequence> states,
                            Map<String, double[]> finalStates) {

    public boolean isSequence() {
        return outputSteps > 0;
    }
}
