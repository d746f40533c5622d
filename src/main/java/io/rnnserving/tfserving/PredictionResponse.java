package io.rnnserving.tfserving;

import java.util.Arrays;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.rnnserving.engine.ForwardResult;
import io.rnnserving.engine.Precision;
import io.rnnserving.protocol.json.AnswerNumbers;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.annotation.JsonSerialize;

/**
 * A predict answer: {@code predictions} (one per instance) for the row format, {@code outputs} for the columnar
 * one; both N×K, or N×T×K for a sequence model.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "TfServingPredictResponse")
record PredictionResponse(
        @Schema(description = "Row format: one prediction per instance", example = "[[-0.2278387, 0.2340779]]")
        @JsonSerialize(using = AnswerNumbers.class) @Nullable Object predictions,
        @Schema(description = "Columnar format: the output tensor")
        @JsonSerialize(using = AnswerNumbers.class) @Nullable Object outputs,
        @JsonIgnore boolean float32) implements AnswerNumbers.InPrecision {

    static PredictionResponse of(ForwardResult result, boolean rows, Precision precision) {
        boolean float32 = precision == Precision.FLOAT32;
        Object nested = result.isSequence()
                ? sequences(result.output(), result.samples(), result.outputSteps(), result.outputWidth())
                : matrix(result.output(), result.samples(), result.outputWidth());
        return rows ? new PredictionResponse(nested, null, float32) : new PredictionResponse(null, nested, float32);
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
