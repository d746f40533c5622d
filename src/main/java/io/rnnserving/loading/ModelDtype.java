package io.rnnserving.loading;

import io.rnnserving.engine.Precision;

/**
 * The dtype a model was saved with and the precision the engine computes it in.
 *
 * @param saved     Keras' dtype policy name as the file gives it ({@code float32}, {@code float64},
 *                  {@code mixed_float16}, …), or {@code float32} when the file gives none (Keras 1, older JSON models)
 * @param precision float32 for float32, float16, bfloat16 and the mixed policies (whose variables are float32),
 *                  float64 for float64
 */
public record ModelDtype(String saved, Precision precision) {
    public static final ModelDtype FLOAT32 = new ModelDtype("float32", Precision.FLOAT32);

    /**
     * @throws IllegalArgumentException for a dtype that is not a floating-point one
     */
    public static ModelDtype of(String saved) {
        // a float16 or bfloat16 model computes in float32, the narrowest type the engine has
        Precision precision = saved.equals("float16") || saved.equals("bfloat16") ? Precision.FLOAT32
                : Precision.ofDtype(saved);
        return new ModelDtype(saved, precision);
    }
}
