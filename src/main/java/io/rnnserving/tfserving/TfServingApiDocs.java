package io.rnnserving.tfserving;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/** The OpenAPI description of the TF Serving endpoints: texts and examples with real numbers from the default model. */
final class TfServingApiDocs {

    static final String PREDICT_DESCRIPTION = """
            TensorFlow Serving's predict for the one input `x`. Row format: `instances` is a list of samples, each \
            T×D (or `{"x": T×D}`; T token ids for a model that starts with an Embedding), answered with one entry of \
            `predictions` per sample. Columnar format: `inputs` is N×T×D (or `{"x": N×T×D}`; N×T token ids), \
            answered with `outputs`. As in TF Serving, all samples of a request have the same shape. \
            `signature_name` may be omitted or `serving_default`. The body is read whatever its content type. Errors \
            are `{"error": "..."}` with 400, 404, 413 or 503. Initial states, traces and final states are on POST /predict \
            and KServe v2.""";

    static final String METADATA_DESCRIPTION = """
            The `serving_default` signature: input `x` [-1, T, D] and output `yhat` [-1, K] (or [-1, T, K] for a \
            sequence model), DT_FLOAT for a model computed in float32 and DT_DOUBLE in float64 ([-1, T] DT_INT64 token \
            ids for a model that starts with an Embedding); T as the model declares it, -1 when variable. Sizes are \
            strings, as in TF Serving.""";

    static final String STATUS_EXAMPLE = """
            {"model_version_status": [{"version": "1", "state": "AVAILABLE",
              "status": {"error_code": "OK", "error_message": ""}}], "ready": true}""";

    static final String INSTANCES_EXAMPLE = """
            {"signature_name": "serving_default",
             "instances": [
               [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6], [0.7, 0.8, 0.9], [1.0, 1.1, 1.2], [1.3, 1.4, 1.5],
                [1.6, 1.7, 1.8], [1.9, 2.0, 2.1], [2.2, 2.3, 2.4], [2.5, 2.6, 2.7], [2.8, 2.9, 3.0]],
               [[-0.5, 0.25, 1.0], [0.3, -0.1, 0.0], [0.9, 0.8, -0.7], [0.0, 0.0, 0.1], [1.5, -1.5, 0.5],
                [0.2, 0.2, 0.2], [-0.3, 0.6, -0.9], [1.0, 0.0, -1.0], [0.05, 0.15, 0.25], [-2.0, 1.0, 0.5]]]}""";

    static final String NAMED_INSTANCES_EXAMPLE = """
            {"instances": [{"x": [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6], [0.7, 0.8, 0.9], [1.0, 1.1, 1.2], [1.3, 1.4, 1.5],
                                  [1.6, 1.7, 1.8], [1.9, 2.0, 2.1], [2.2, 2.3, 2.4], [2.5, 2.6, 2.7], [2.8, 2.9, 3.0]]}]}""";

    static final String INPUTS_EXAMPLE = """
            {"inputs": {"x": [[[0.1, 0.2, 0.3], [0.4, 0.5, 0.6], [0.7, 0.8, 0.9], [1.0, 1.1, 1.2], [1.3, 1.4, 1.5],
                               [1.6, 1.7, 1.8], [1.9, 2.0, 2.1], [2.2, 2.3, 2.4], [2.5, 2.6, 2.7], [2.8, 2.9, 3.0]]]}}""";

    static final String PREDICTIONS_EXAMPLE = """
            {"predictions": [[-0.2278387, 0.2340779], [0.56038845, -0.98936796]]}""";

    static final String NAMED_PREDICTIONS_EXAMPLE = """
            {"predictions": [[-0.2278387, 0.2340779]]}""";

    static final String OUTPUTS_EXAMPLE = """
            {"outputs": [[-0.2278387, 0.2340779]]}""";

    static final String METADATA_EXAMPLE = """
            {"model_spec": {"name": "notebook-simple-rnn", "signature_name": "", "version": "1"},
             "metadata": {"signature_def": {
               "signature_def": {"serving_default": {
                 "inputs": {"x": {"dtype": "DT_FLOAT", "tensor_shape": {"dim": [{"size": "-1", "name": ""},
                     {"size": "10", "name": ""}, {"size": "3", "name": ""}], "unknown_rank": false},
                     "name": "serving_default_x:0"}},
                 "outputs": {"yhat": {"dtype": "DT_FLOAT", "tensor_shape": {"dim": [{"size": "-1", "name": ""},
                     {"size": "2", "name": ""}], "unknown_rank": false}, "name": "StatefulPartitionedCall:0"}},
                 "method_name": "tensorflow/serving/predict"}},
               "@type": "type.googleapis.com/tensorflow.serving.SignatureDefMap"}}}""";

    static final String BAD_REQUEST_EXAMPLE = """
            {"error": "this array has 2 elements but the first one at its depth has 1; a tensor is rectangular \
            (at /instances/1)"}""";

    static final String TOO_LARGE_EXAMPLE = """
            {"error": "the batch has 5000 samples; the limit is 4096 (at /instances)"}""";

    static final String TOO_LARGE_DESCRIPTION = """
            The body or the batch is larger than the configured limits, or its working memory more than the whole \
            memory budget""";

    static final String BUSY_DESCRIPTION = """
            Busy: the memory budget stayed held by the requests in progress, or the batching queue did not start the \
            request, for longer than the configured wait; try again after Retry-After seconds""";

    static final String MEMORY_TOO_LARGE_EXAMPLE = """
            {"error": "this batch and its answer needs about 300.2 MiB of working memory, more than the whole memory \
            budget of 256.0 MiB (rnn-serving.admission); send it in smaller batches"}""";

    static final String MEMORY_BUSY_EXAMPLE = """
            {"error": "this batch and its answer needs about 120.4 MiB of working memory, and the requests in \
            progress hold the memory budget for longer than 5000 ms; retry later"}""";

    static final String QUEUE_TIMEOUT_EXAMPLE = """
            {"error": "the request waited 5003 ms for the engine, longer than the queue timeout; it was not run"}""";

    static final String NOT_FOUND_EXAMPLE = """
            {"error": "Servable not found for request: Latest(half_plus_two); model 'half_plus_two' is not served \
            here; models: notebook-simple-rnn"}""";

    private TfServingApiDocs() {
    }

    /** The shape of a predict body, for the OpenAPI description only (the body is read as a stream). */
    @Schema(name = "TfServingPredictRequest", description = "Exactly one of instances and inputs; its rules beyond "
            + "this schema (TfServingSchemaRules) are the model's: D its features (GET /v1/models/{name}/metadata), "
            + "numbers or token ids, and all samples of one shape")
    record PredictRequestDocument(
            @Schema(description = "Omitted or serving_default") @Nullable String signature_name,
            @Schema(description = "Row format: samples, each T×D (T token ids for a model that starts with an "
                    + "Embedding) or each {\"x\": T×D}; all of one shape") @Nullable List<Object> instances,
            @Schema(description = "Columnar format: N×T×D (N×T token ids for a model that starts with an Embedding) "
                    + "or {\"x\": N×T×D}") @Nullable Object inputs) {
    }
}
