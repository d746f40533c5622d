package io.rnnserving.tfserving;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/** The OpenAPI description of the TF Serving endpoints: texts and examples with real numbers from the default model. */
final class TfServingApiDocs {
    static final String PREDICT_DESCRIPTION = """
            TensorFlow Serving's predict for the one input `x`. Row format: `instances` is a list of samples, each \
            T×D (or `{"x": T×D}`), answered with one entry of `predictions` per sample. Columnar format: `inputs` is \
            N×T×D (or `{"x": N×T×D}`), answered with `outputs`. As in TF Serving, all samples of a request have the \
            same shape. `signature_name` may be omitted or `serving_default`. The body is read whatever its content \
            type. Errors are `{"error": "..."}` with 400, 404 or 413.""";

    static final String METADATA_DESCRIPTION = """
            The `serving_default` signature: input `x` [-1, T, D] and output `yhat` [-1, K] (or [-1, T, K] for a \
            sequence model); T as the model declares it, -1 when variable. Sizes are strings, as in TF Serving.""";

    static final String STATUS_EXAMPLE = """
            {"model_version_status": [{"version": "1", "state": "AVAILABLE",
              "status": {"error_code": "OK", "error_message": ""}}]}""";

    static final String INSTANCES_EXAMPLE = "TODO";
    static final String NAMED_INSTANCES_EXAMPLE = "TODO";
    static final String INPUTS_EXAMPLE = "TODO";
    static final String PREDICTIONS_EXAMPLE = "TODO";
    static final String OUTPUTS_EXAMPLE = "TODO";
    static final String METADATA_EXAMPLE = "TODO";
    static final String BAD_REQUEST_EXAMPLE = "TODO";
    static final String NOT_FOUND_EXAMPLE = "TODO";

    private TfServingApiDocs() {
    }

    /** The shape of a predict body, for the OpenAPI description only (the body is read as a stream). */
    @Schema(name = "TfServingPredictRequest")
    record PredictRequestDocument(
            @Schema(description = "Omitted or serving_default") @Nullable String signature_name,
            @Schema(description = "Row format: samples, each T×D or {\"x\": T×D}") @Nullable List<Object> instances,
            @Schema(description = "Columnar format: N×T×D or {\"x\": N×T×D}") @Nullable Object inputs) {
    }
}
