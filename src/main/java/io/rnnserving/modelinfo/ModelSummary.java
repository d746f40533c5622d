package io.rnnserving.modelinfo;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.rnnserving.engine.ActivationLayer;
import io.rnnserving.engine.DenseLayer;
import io.rnnserving.engine.FlattenLayer;
import io.rnnserving.engine.GlobalPoolingLayer;
import io.rnnserving.engine.GruLayer;
import io.rnnserving.engine.Layer;
import io.rnnserving.engine.LstmLayer;
import io.rnnserving.engine.MaskingLayer;
import io.rnnserving.engine.RecurrentModel;
import io.rnnserving.engine.RecurrentLayer;
import io.rnnserving.engine.SimpleRnnLayer;
import io.rnnserving.loading.LoadedModel;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * What Keras' {@code model.summary()} shows of the served model, and where it came from.
 *
 * @param inputShape [T or null, D], or [T or null] of token ids for a model that starts with an Embedding
 */
record ModelSummary(String name,
                    @ArraySchema(arraySchema = @Schema(description = "[T, D]; T is null when the model takes any length; [T] "
                            + "(token ids) for a model that starts with an Embedding"),
                            schema = @Schema(types = {"integer", "null"})) @Nullable Integer[] inputShape,
                    List<LayerSummary> layers, long totalParams, String fileKind,
                    @Schema(types = {"string", "null"}, description = "null when the file does not record it")
                    @Nullable String kerasVersion,
                    @Schema(description = "The dtype (policy) the file gives the model, e.g. float32, float64, "
                            + "mixed_float16; float32 when the file gives none") String dtype,
                    @Schema(description = "What the model computes and answers in: float32 (also for float16, bfloat16 "
                            + "and the mixed policies) or float64 (a float64 model, or model.precision=float64)",
                            allowableValues = {"float32", "float64"}) String precision,
                    String sha256, boolean stateful, String statefulNote,
                    @Schema(description = "The version shown, on the paths under /models; absent from GET /model")
                    @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Long version) {

    /**
     * @param outputShape as Keras prints it, with null for the batch (and a variable time) axis
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record LayerSummary(String name, String className, @Nullable Integer units, @Nullable String activation,
                        @ArraySchema(arraySchema = @Schema(description = "As Keras prints it: null for the batch axis and "
                                + "for a variable time axis"), schema = @Schema(types = {"integer", "null"}))
                        @Nullable Integer[] outputShape, long params, @Nullable Boolean returnSequences,
                        @Nullable Boolean goBackwards, @Nullable Boolean stateful, @Nullable Boolean useBias,
                        @Nullable Double maskValue) {
    }

    /**
     * @param name    the name the model is served by
     * @param version the version shown, or null
     */
    static ModelSummary of(String name, LoadedModel loaded, @Nullable Long version) {
        RecurrentModel model = loaded.model();
        Integer steps = model.declaredSteps();
        List<LayerSummary> layers = new ArrayList<>();
        int width = model.inputFeatures();
        boolean sequence = true;
        for (Layer layer : model.layers()) {
            width = layer.outputWidth(width);
            Integer units = null;
            String activation = null;
            Boolean returnSequences = null;
            Boolean goBackwards = null;
            Boolean stateful = null;
            Boolean useBias = null;
            Double maskValue = null;
            if (layer instanceof SimpleRnnLayer rnn) {
                units = rnn.units();
                activation = rnn.activation().kerasName();
                returnSequences = rnn.returnSequences();
                goBackwards = rnn.goBackwards();
                stateful = rnn.stateful();
                useBias = rnn.usesBias();
                sequence = rnn.returnSequences();
            } else if (layer instanceof RecurrentLayer rnn) {
                if (layer instanceof LstmLayer lstm) {
                    activation = lstm.activation().kerasName();
                    useBias = lstm.usesBias();
                } else if (layer instanceof GruLayer gru) {
                    activation = gru.activation().kerasName();
                    useBias = gru.usesBias();
                }
                units = rnn.units();
                returnSequences = rnn.returnSequences();
                goBackwards = rnn.goBackwards();
                stateful = rnn.stateful();
                sequence = rnn.returnSequences();
            } else if (layer instanceof GlobalPoolingLayer || layer instanceof FlattenLayer) {
                sequence = false;
            } else if (layer instanceof DenseLayer dense) {
                units = dense.units();
                activation = dense.activation().kerasName();
                useBias = dense.usesBias();
            } else if (layer instanceof ActivationLayer act) {
                activation = act.activation().kerasName();
            } else if (layer instanceof MaskingLayer masking) {
                maskValue = masking.maskValue();
            }
            Integer[] shape = sequence ? new Integer[] {null, steps, width} : new Integer[] {null, width};
            layers.add(new LayerSummary(layer.name(), layer.kerasClass(), units, activation, shape,
                    layer.parameterCount(), returnSequences, goBackwards, stateful, useBias, maskValue));
        }
        boolean stateful = model.recurrentLayers().stream().anyMatch(RecurrentLayer::stateful);
        Integer[] inputShape = model.embedding().isPresent()
                ? new Integer[] {steps} : new Integer[] {steps, model.inputFeatures()};
        return new ModelSummary(name, inputShape, layers,
                model.parameterCount(), loaded.fileKind(), loaded.kerasVersion(), loaded.savedDtype(),
                model.precision().dtype(), loaded.sha256(), stateful,
                stateful ? "The model was saved with stateful=True; this service is stateless: every request starts "
                        + "from a zero state unless it gives h0, and returnState gives the state to carry on."
                        : "Every request starts from a zero state unless it gives h0.", version);
    }
}
