package io.rnnserving.kserve;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/** The OpenAPI description of the KServe endpoints: texts and examples with real numbers from the default model. */
final class KServeApiDocs {
    static final String METADATA_DESCRIPTION = """
            The model's tensors. Input `x` is [N, T, D] (the time axis as the model declares it, -1 when variable; \
            any T is accepted); optional `h0` is the initial state [N, M] (`h0/<layer name>` for each layer of a \
            model with several recurrent layers) and `lengths` each sample's valid steps [N] in a padded batch. \
            Outputs: `yhat` [N, K] (or [N, T, K] for a sequence model), `hidden` the last recurrent layer's state \
            after every step [N, T, M], `state` the final state [N, M] (`state/<layer name>` for stacked models). \
            FP64 is listed; FP32 is accepted as well.""";

    static final String INFER_DESCRIPTION = """
            Runs the input tensor `x` ([N, T, D], FP32 or FP64, `data` flat row-major or nested) through the model. \
            Optional inputs: `h0` ([N, M], FP32 or FP64; `h0/<layer name>` for stacked models) sets the initial \
            state, `lengths` ([N], INT32 or INT64) gives each sample's valid steps in a padded batch. `outputs` \
            selects among `yhat` (the default), `hidden` and `state` (`state/<layer name>` for stacked models). \
            Sequence outputs keep T as in `x` and are zero past each sample's length. Outputs are FP64, or FP32 \
            (rounded to float) when `x` is FP32. `id` is echoed. Errors are `{"error": "..."}` with 400, 404 or 413.""";

    static final String SERVER_METADATA_EXAMPLE = """
            {"name": "rnn-serving", "version": "0.1.0-SNAPSHOT", "extensions": []}""";

    static final String MODEL_METADATA_EXAMPLE = "TODO";

    static final String INFER_EXAMPLE = "TODO";

    static final String INFER_RESPONSE_EXAMPLE = "TODO";

    static final String INFER_STATE_EXAMPLE = "TODO";

    static final String INFER_STATE_RESPONSE_EXAMPLE = "TODO";

    static final String BAD_REQUEST_EXAMPLE = "TODO";

    static final String NOT_FOUND_EXAMPLE = "TODO";

    private KServeApiDocs() {
    }

    /** The shape of an infer body, for the OpenAPI description only (the body is read as a stream). */
    @Schema(name = "KServeInferRequest", requiredProperties = "inputs")
    record InferRequestDocument(
            @Schema(description = "Echoed in the response") @Nullable String id,
            @Schema(description = "Ignored") @Nullable Object parameters,
            @Schema(description = "x, and optionally h0 (h0/<layer name>) and lengths") List<InputDocument> inputs,
            @Schema(description = "The outputs to return; default yhat") @Nullable List<OutputDocument> outputs) {
    }

    @Schema(name = "KServeInputTensor", requiredProperties = {"name", "shape", "datatype", "data"})
    record InputDocument(
            @Schema(allowableValues = {"x", "h0", "lengths"}) String name,
            @Schema(example = "[1, 10, 3]") int[] shape,
            @Schema(allowableValues = {"FP32", "FP64", "INT32", "INT64"}) String datatype,
            @Schema(description = "Ignored") @Nullable Object parameters,
            @Schema(description = "Row-major numbers, flat or nested as shape") List<Object> data) {
    }

    @Schema(name = "KServeRequestedOutput", requiredProperties = "name")
    record OutputDocument(
            @Schema(allowableValues = {"yhat", "hidden", "state"}) String name,
            @Schema(description = "Ignored: outputs are always JSON data") @Nullable Object parameters) {
    }
}
