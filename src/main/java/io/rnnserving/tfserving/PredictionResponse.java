package io.rnnserving.tfserving;

import java.util.Arrays;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.rnnserving.engine.ForwardResult;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * A predict answer: {@code predictions} (one per instance) for the row format, {@code outputs} for the columnar
 * one; both N×K, or N×T×K for a sequence model.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "TfServingPredictResponse")
record PredictionResponse(
        @Schema(description = "Row format: one prediction per instance", example = "[[-0.2278387881434021, 0.23407788654377812]]")
        @Nullable Object predictions,
        @Schema(description = "Columnar format: the output tensor") @Nullable Object outputs) {

    static PredictionResponse of(ForwardResult result, boolean rows) {
        Object nested = result.isSequence()
                ? sequences(result.output(), result.samples(), result.outputSteps(), result.outputWidth())
                : matrix(result.output(), result.samples(), result.outputWidth());
        return rows ? new PredictionResponse(nested, null) : new PredictionResponse(null, nested);
    }

    private static double[][] matrix(double[] flat, int rows, int width) {
        double[][] nested = new double[rows][];
        for (int n = 0; n < rows; n++) {
            nested[n] = Arrays.copyOfRange(flat, n * width, (n + 1) * width);
        }
        return nested;
    }

    private static double[][][] sequences(double[] flat, int samples, int steps, int width) {
        double[][][] nested = new double[samples][][];
        for (int n = 0; n < samples; n++) {
            nested[n] = matrix(Arrays.copyOfRange(flat, n * steps * width, (n + 1) * steps * width), steps, width);
        }
        return nested;
    }
}
