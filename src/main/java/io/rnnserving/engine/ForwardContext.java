package io.rnnserving.engine;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/** One call's options and what its recurrent layers report back: never shared between calls. */
final class ForwardContext {
    private final Execution execution;
    private final Map<String, double[]> initialStates;
    private final boolean recordStates;
    private final Map<String, StateSequence> recordedStates = new LinkedHashMap<>();
    private final Map<String, double[]> finalStates = new LinkedHashMap<>();

    ForwardContext(Execution execution, Map<String, double[]> initialStates, boolean recordStates) {
        this.execution = execution;
        this.initialStates = initialStates;
        this.recordStates = recordStates;
    }

    Execution execution() {
        return execution;
    }

    double @Nullable [] initialState(String layerName) {
        return initialStates.get(layerName);
    }

    boolean recordStates() {
        return recordStates;
    }

    void record(String layerName, StateSequence states, double[] finalState) {
        if (states != null) {
            recordedStates.put(layerName, states);
        }
        finalStates.put(layerName, finalState);
    }

    Map<String, StateSequence> recordedStates() {
        return recordedStates;
    }

    Map<String, double[]> finalStates() {
        return finalStates;
    }
}
