package io.rnnserving.serving;

import java.util.LinkedHashMap;
import java.util.Map;

import io.rnnserving.engine.SequenceBatch;

/**
 * A request checked against the served model: what one engine call takes.
 *
 * @param initialStates by recurrent layer name, each with all its parts; a layer not named starts from zeros
 * @param recordStates  return every recurrent layer's state after each step too
 */
public record BoundRequest(SequenceBatch batch, Map<String, LayerState> initialStates, boolean recordStates) {

    public BoundRequest {
        initialStates = Map.copyOf(initialStates);
    }

    /** Each layer's initial state parts, N×units row-major by layer name then part, as the engine takes them. */
    public Map<String, Map<String, double[]>> statePartsByLayer() {
        Map<String, Map<String, double[]>> parts = new LinkedHashMap<>();
        initialStates.forEach((layer, state) -> parts.put(layer, state.parts()));
        return parts;
    }
}
