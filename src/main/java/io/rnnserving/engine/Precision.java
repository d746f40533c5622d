package io.rnnserving.engine;

import java.util.Locale;

/**
 * The floating-point type a model computes in: the dtype Keras saved it with ({@code float32} for almost every model),
 * or float64 when the model was float64 or the operator asks for double answers.
 */
public enum Precision {
    FLOAT32, FLOAT64;

    /** Keras' and numpy's name: {@code float32}, {@code float64}. */
    public String dtype() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The precision of a Keras dtype or dtype policy name: {@code float32}, {@code float64}, and {@code mixed_float16}
     * or {@code mixed_bfloat16} (whose variables are float32: computed in float32).
     *
     * @throws IllegalArgumentException for any other name
     */
    public static Precision ofDtype(String dtype) {
        return switch (dtype) {
            case "float32", "mixed_float16", "mixed_bfloat16" -> FLOAT32;
            case "float64" -> FLOAT64;
            default -> throw new IllegalArgumentException("unsupported dtype '" + dtype
                    + "'; the engine computes in float32 or float64 (mixed_float16 and mixed_bfloat16 in float32)");
        };
    }
}
