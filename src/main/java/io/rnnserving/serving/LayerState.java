package io.rnnserving.serving;

import java.util.List;
import java.util.Map;

/**
 * The state of one recurrent layer for a batch: named parts, each N×units row-major. A SimpleRNN has one part,
 * {@value #HIDDEN}; a layer with a cell state adds its own parts by name.
 */
public record LayerState(Map<String, double[]> parts) {
    public static final String HIDDEN = "h";

    /** The parts every recurrent layer of the engine's has today. */
    public static final List<String> SIMPLE_RNN_PARTS = List.of(HIDDEN);

    public LayerState {
        parts = Map.copyOf(parts);
    }

    public double[] hidden() {
        return parts.get(HIDDEN);
    }
}
