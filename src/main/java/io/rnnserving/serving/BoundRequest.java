package io.rnnserving.serving;

import java.util.HashMap;
import java.util.Map;

import io.rnnserving.engine.SequenceBatch;

/**
 * A request checked against the served model: what one engine call takes.
 *
 * @param initialStates by recurrent layer name; a layer not named starts from zeros
 * @param recordStates  return every recurrent layer's state after each step too
 */
public record BoundRequest(SequenceBatch batch, Map<String, LayerState> initialStates, boolean recordStates) {

    public BoundRequest {
        initialStates = Map.copyOf(initialStates);
    }

    /** The hidden part of each layer's initial state, N×units row-major by layer name, as the engine takes them. */
    public Map<String, double[]> hiddenStatesByLayer() {
        Map<String, double[]> hidden = new HashMap<>();
        initialStates.forEach((layer, state) -> hidden.put(layer, state.hidden()));
        return hidden;
    }
}
