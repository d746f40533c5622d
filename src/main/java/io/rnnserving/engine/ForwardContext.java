package io.rnnserving.engine;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/** One call's options and what its recurrent layers report back: never shared between calls. */
final class ForwardContext {
    private final Execution execution;
    private final Map<String, Map<String, double[]>> initialStates;
    private final boolean recordStates;
    private final Map<String, Map<String, StateSequence>> traces = new LinkedHashMap<>();
    private final Map<String, Map<String, double[]>> finalStates = new LinkedHashMap<>();

    /** @param initialStates N×M arrays by layer name, then state part; checked by {@link RecurrentModel} */
    ForwardContext(Execution execution, Map<String, Map<String, double[]>> initialStates, boolean recordStates) {
        this.execution = execution;
        this.initialStates = initialStates;
        this.recordStates = recordStates;
    }

    Execution execution() {
        return execution;
    }

    /** The layer's initial state, one array per part in the order given, or null to start from zeros. */
    double @Nullable [][] initialStates(String layerName, List<String> parts) {
        Map<String, double[]> given = initialStates.get(layerName);
        if (given == null) {
            return null;
        }
        double[][] states = new double[parts.size()][];
        for (int i = 0; i < states.length; i++) {
            states[i] = given.get(parts.get(i));
        }
        return states;
    }

    boolean recordStates() {
        return recordStates;
    }

    void record(String layerName, List<String> parts, StateSequence @Nullable [] partTraces, double[][] finals) {
        Map<String, StateSequence> layerTraces = new LinkedHashMap<>();
        Map<String, double[]> layerFinals = new LinkedHashMap<>();
        for (int i = 0; i < parts.size(); i++) {
            if (partTraces != null) {
                layerTraces.put(parts.get(i), partTraces[i]);
            }
            layerFinals.put(parts.get(i), finals[i]);
        }
        if (partTraces != null) {
            traces.put(layerName, layerTraces);
        }
        finalStates.put(layerName, layerFinals);
    }

    Map<String, Map<String, StateSequence>> traces() {
        return traces;
    }

    Map<String, Map<String, double[]>> finalStates() {
        return finalStates;
    }
}
