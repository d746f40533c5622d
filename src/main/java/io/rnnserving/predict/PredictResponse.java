package io.rnnserving.predict;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.rnnserving.engine.ForwardResult;
import io.rnnserving.engine.RecurrentModel;
import io.rnnserving.engine.RecurrentLayer;
import io.rnnserving.engine.StateSequence;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * A POST /predict answer.
 *
 * @param yhat          N×K, or N×T×K (each sample its own T) when the model returns sequences
 * @param hidden        with trace: the last recurrent layer's state after every step, N×T×M (each sample its own T)
 * @param hiddenByLayer with trace and more than one recurrent layer: every recurrent layer's states by layer name
 * @param state         with returnState: the final N×M state (one recurrent layer) or those states by layer name
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record PredictResponse(
        @Schema(description = "N×K outputs, or N×T×K when the model returns sequences",
                example = "[[-0.2278387881434021, 0.23407788654377812]]") Object yhat,
        @Schema(description = "With trace: the last recurrent layer's state after every step, N×T×M") double @Nullable [][][] hidden,
        @Schema(description = "With trace, for stacked models: every recurrent layer's states, by layer name")
        @Nullable Map<String, double[][][]> hiddenByLayer,
        @Schema(description = "With returnState: final N×M state, or by layer name for stacked models; feed it back as h0")
        @Nullable Object state) {

    static PredictResponse of(ForwardResult result, RecurrentModel model, boolean trace, boolean returnState) {
        List<RecurrentLayer> recurrent = model.recurrentLayers();
        String last = recurrent.get(recurrent.size() - 1).name();
        double[][][] hidden = null;
        Map<String, double[][][]> byLayer = null;
        if (trace) {
            hidden = nest(result.states().get(last));
            if (recurrent.size() > 1) {
                byLayer = new LinkedHashMap<>();
                for (RecurrentLayer layer : recurrent) {
                    byLayer.put(layer.name(), nest(result.states().get(layer.name())));
                }
            }
        }
        Object state = null;
        if (returnState) {
            if (recurrent.size() == 1) {
                state = rows(result.finalStates().get(last), result.samples(), recurrent.get(0).units());
            } else {
                Map<String, double[][]> states = new LinkedHashMap<>();
                for (RecurrentLayer layer : recurrent) {
                    states.put(layer.name(), rows(result.finalStates().get(layer.name()), result.samples(), layer.units()));
                }
                state = states;
            }
        }
        return new PredictResponse(outputs(result), hidden, byLayer, state);
    }

    /** The model's output nested as N×K, or N×T×K trimmed to each sample's own length. */
    static Object outputs(ForwardResult result) {
        if (!result.isSequence()) {
            return rows(result.output(), result.samples(), result.outputWidth());
        }
        return nest(result.output(), result.samples(), result.outputSteps(), result.outputWidth(), result.outputLengths());
    }

    static double[][] rows(double[] flat, int rows, int width) {
        double[][] nested = new double[rows][];
        for (int n = 0; n < rows; n++) {
            nested[n] = java.util.Arrays.copyOfRange(flat, n * width, (n + 1) * width);
        }
        return nested;
    }

    static double[][][] nest(StateSequence states) {
        return nest(states.values(), states.samples(), states.steps(), states.units(), states.lengths());
    }

    static double[][][] nest(double[] flat, int samples, int steps, int width, int[] lengths) {
        double[][][] nested = new double[samples][][];
        for (int n = 0; n < samples; n++) {
            nested[n] = new double[lengths[n]][];
            for (int s = 0; s < lengths[n]; s++) {
                int start = (n * steps + s) * width;
                nested[n][s] = java.util.Arrays.copyOfRange(flat, start, start + width);
            }
        }
        return nested;
    }
}
