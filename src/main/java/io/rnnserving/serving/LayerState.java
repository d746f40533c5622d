package io.rnnserving.serving;

import java.util.Map;

/**
 * The state of one recurrent layer for a batch: named parts, each N×units row-major, as the layer names them
 * ({@code h}; an LSTM adds {@code c}).
 */
public record LayerState(Map<String, double[]> parts) {
    public static final String HIDDEN = "h";

    public LayerState {
        parts = Map.copyOf(parts);
    }

    public double[] hidden() {
        return parts.get(HIDDEN);
    }
}
