package io.rnnserving.predict;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.rnnserving.engine.ForwardResult;
import io.rnnserving.engine.Precision;
import io.rnnserving.engine.RecurrentModel;
import io.rnnserving.engine.RecurrentLayer;
import io.rnnserving.engine.StateSequence;
import io.rnnserving.protocol.json.AnswerNumbers;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.annotation.JsonSerialize;

/**
 * A POST /predict answer.
 *
 * @param yhat          N×K, or N×T×K (each sample its own T) when the model returns sequences
 * @param hidden        with trace: the last recurrent layer's hidden state h after every step, N×T×M (each sample its
 *                      own T); absent when that layer is a Bidirectional one (see hiddenByLayer)
 * @param hiddenByLayer with trace, for a model with several recurrent layers or a Bidirectional one: every layer's
 *                      h after every step by layer name, a Bidirectional layer's as {@code <layer>/forward} and
 *                      {@code <layer>/backward}
 * @param cell          with trace, when the last recurrent layer is an LSTM: its cell state c after every step
 * @param cellByLayer   with hiddenByLayer: the cell state of every layer that has one, keyed as hiddenByLayer
 * @param state         with returnState: the final state in the form h0 takes: N×M for a layer of one part, an
 *                      object of parts for an LSTM ({@code h}, {@code c}) or a Bidirectional ({@code forward_h}, …);
 *                      by layer name for a model with several recurrent layers
 * @param float32       the model computes in float32: every number is written as the float32 it is
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record PredictResponse(
        @Schema(description = "N×K outputs, or N×T×K when the model returns sequences",
                example = "[[-0.2278387, 0.2340779]]")
        @JsonSerialize(using = AnswerNumbers.class) Object yhat,
        @Schema(description = "With trace: the last recurrent layer's hidden state h after every step, N×T×M, in the "
                + "order the layer took the steps (last step first for go_backwards)")
        @JsonSerialize(using = AnswerNumbers.class) double @Nullable [][][] hidden,
        @Schema(description = "With trace, for a model with several recurrent layers or a Bidirectional one: every "
                + "layer's h after every step by layer name; a Bidirectional layer's directions as <layer>/forward "
                + "and <layer>/backward")
        @JsonSerialize(using = AnswerNumbers.class) @Nullable Map<String, double[][][]> hiddenByLayer,
        @Schema(description = "With trace, when the last recurrent layer is an LSTM: its cell state c after every "
                + "step, N×T×M")
        @JsonSerialize(using = AnswerNumbers.class) double @Nullable [][][] cell,
        @Schema(description = "With trace, beside hiddenByLayer: the cell state c of every LSTM layer (or LSTM "
                + "direction), keyed as hiddenByLayer")
        @JsonSerialize(using = AnswerNumbers.class) @Nullable Map<String, double[][][]> cellByLayer,
        @Schema(description = "With returnState: the final state in the form h0 takes (N×M for one part, an object of "
                + "parts such as {\"h\": N×M, \"c\": N×M} for an LSTM; by layer name for several recurrent layers); "
                + "feed it back as h0")
        @JsonSerialize(using = AnswerNumbers.class) @Nullable Object state,
        @JsonIgnore boolean float32) implements AnswerNumbers.InPrecision {

    static PredictResponse of(ForwardResult result, RecurrentModel model, boolean trace, boolean returnState) {
        List<RecurrentLayer> recurrent = model.recurrentLayers();
        RecurrentLayer last = recurrent.get(recurrent.size() - 1);
        double[][][] hidden = null;
        double[][][] cell = null;
        Map<String, double[][][]> hiddenByLayer = null;
        Map<String, double[][][]> cellByLayer = null;
        if (trace) {
            Map<String, double[][][]> hs = new LinkedHashMap<>();
            Map<String, double[][][]> cs = new LinkedHashMap<>();
            for (RecurrentLayer layer : recurrent) {
                result.stateTraces().get(layer.name()).forEach((part, states) -> {
                    String key = traceKey(layer.name(), part);
                    (part.endsWith("c") ? cs : hs).put(key, nest(states));
                });
            }
            Map<String, StateSequence> lastTraces = result.stateTraces().get(last.name());
            hidden = lastTraces.containsKey("h") ? nest(lastTraces.get("h")) : null;
            cell = lastTraces.containsKey("c") ? nest(lastTraces.get("c")) : null;
            if (hs.size() > 1) {
                hiddenByLayer = hs;
                cellByLayer = cs.isEmpty() ? null : cs;
            }
        }
        Object state = null;
        if (returnState) {
            if (recurrent.size() == 1) {
                state = layerState(result, last);
            } else {
                Map<String, Object> states = new LinkedHashMap<>();
                for (RecurrentLayer layer : recurrent) {
                    states.put(layer.name(), layerState(result, layer));
                }
                state = states;
            }
        }
        return new PredictResponse(outputs(result), hidden, hiddenByLayer, cell, cellByLayer, state,
                model.precision() == Precision.FLOAT32);
    }

    /** Where a state part's trace goes in hiddenByLayer or cellByLayer: a direction's parts under its own key. */
    private static String traceKey(String layer, String part) {
        int underscore = part.lastIndexOf('_');
        return underscore < 0 ? layer : layer + "/" + part.substring(0, underscore);
    }

    /** One layer's final state: N×M for a layer of one part, else an object of its parts. */
    private static Object layerState(ForwardResult result, RecurrentLayer layer) {
        Map<String, double[]> parts = result.finalStateParts().get(layer.name());
        if (parts.size() == 1) {
            return rows(parts.values().iterator().next(), result.samples(), layer.units());
        }
        Map<String, double[][]> nested = new LinkedHashMap<>();
        parts.forEach((part, values) -> nested.put(part, rows(values, result.samples(), layer.units())));
        return nested;
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
