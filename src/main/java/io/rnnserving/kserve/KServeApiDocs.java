package io.rnnserving.kserve;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/** The OpenAPI description of the KServe endpoints: texts and examples with real numbers from the default model. */
final class KServeApiDocs {
    static final String METADATA_DESCRIPTION = """
            The model's tensors. Input `x` is [N, T, D] (the time axis as the model declares it, -1 when variable; \
            any T is accepted), or [N, T] INT64 token ids for a model that starts with an Embedding; optional \
            `lengths` is each sample's valid steps [N] in a padded batch. Initial states [N, M], for the recurrent \
            layers that take one (a Bidirectional layer does not): `h0` for a layer whose state is one part (SimpleRNN, \
            GRU), `h0/<layer name>` for each such layer of a model with several recurrent layers, and \
            `h0/<layer name>/<part>` for each part of an LSTM's state (`h` and `c`). Outputs: `yhat` [N, K] (or \
            [N, T, K] for a sequence model); `hidden` the last recurrent layer's h after every step [N, T, M]; every \
            layer's state part after every step and after the last, named like the initial states: `hidden`, \
            `hidden/<layer>`, `hidden/<layer>/<part>` and `state`, `state/<layer>`, `state/<layer>/<part>` (an LSTM's \
            cell state is part `c`; a Bidirectional layer's parts are `forward_h`, `backward_h` and for an LSTM \
            `forward_c`, `backward_c`). The datatype listed is the model's precision, FP32 for a float32 model and FP64 \
            for a float64 one; both are accepted.""";

    static final String INFER_DESCRIPTION = """
            Runs the input tensor `x` ([N, T, D], FP32 or FP64, `data` flat row-major or nested; [N, T] INT32 or \
            INT64 token ids for a model that starts with an Embedding) through the model. Optional inputs: initial \
            states ([N, M], FP32 or FP64: `h0`, `h0/<layer name>`, `h0/<layer name>/<part>` as the metadata lists \
            them; an LSTM needs both `h` and `c`), `lengths` ([N], INT32 or INT64) each sample's valid steps in a \
            padded batch. `outputs` selects among `yhat` (the default) and the trace and state outputs the metadata \
            lists. Traces are in the order the layer took the steps (last step first for go_backwards and a \
            Bidirectional's backward direction). Sequence outputs keep T as in `x` and are zero past each sample's \
            length. Outputs are FP32 for a model computed in float32; for a float64 model FP64, or FP32 (rounded to \
            float) when `x` is FP32. `id` is echoed. Errors are `{"error": "..."}` with 400, 404, 413 or 503.

            The binary tensor data extension is supported: with the header `Inference-Header-Content-Length: L` the \
            body is L bytes of this JSON followed by the raw bytes of each input that gives \
            `parameters.binary_data_size` instead of `data` (FP32, FP64, INT32 or INT64; little-endian, row-major; in \
            the order of the inputs). An output with `parameters.binary_data: true`, or every output when the request \
            gives `parameters.binary_data_output: true`, is answered the same way: application/octet-stream, the JSON \
            (with `binary_data_size` in place of `data`) then the bytes, its length in the same header.""";

    static final String HEADER_DESCRIPTION = """
            The binary tensor data extension: the length in bytes of the JSON at the start of the body; the raw \
            bytes of the inputs that give `parameters.binary_data_size` follow it. Without it the body is all JSON.""";

    static final String BINARY_BODY_DESCRIPTION = """
            Inference-Header-Content-Length bytes of a JSON infer request, then the bytes of each input that gives \
            parameters.binary_data_size, little-endian and row-major, in the order of the inputs""";

    static final String INFER_RESPONSE_DESCRIPTION = """
            The asked output tensors: JSON, or application/octet-stream when an output is asked as binary data""";

    static final String BINARY_RESPONSE_DESCRIPTION = """
            Inference-Header-Content-Length bytes of a JSON infer response, then the bytes of each output that gives \
            parameters.binary_data_size, little-endian and row-major, in the order of the outputs""";

    /**
     * A body Swagger UI can send as it is: all JSON (x in data), with yhat asked as binary data. A client that sends
     * x's bytes after the JSON gives their count in binary_data_size and the JSON's length in the header instead.
     */
    static final String BINARY_INFER_EXAMPLE = """
            {"inputs":[{"name":"x","shape":[1,10,3],"datatype":"FP32","data":[0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9,\
            1.0,1.1,1.2,1.3,1.4,1.5,1.6,1.7,1.8,1.9,2.0,2.1,2.2,2.3,2.4,2.5,2.6,2.7,2.8,2.9,3.0]}],\
            "outputs":[{"name":"yhat","parameters":{"binary_data":true}}]}""";

    static final String BINARY_INFER_RESPONSE_EXAMPLE = """
            {"model_name":"notebook-simple-rnn","model_version":"1","outputs":[{"name":"yhat","shape":[1,2],\
            "datatype":"FP32",\
            "parameters":{"binary_data_size":8}}]}<8 bytes: the 2 float32 values of yhat, little-endian>""";

    static final String SERVER_METADATA_EXAMPLE = """
            {"name": "rnn-serving", "version": "0.1.0-SNAPSHOT", "extensions": ["binary_tensor_data", "model_repository"]}""";

    static final String MODEL_METADATA_EXAMPLE = """
            {"name": "notebook-simple-rnn", "versions": ["1"], "platform": "keras_simplernn",
             "inputs": [{"name": "x", "datatype": "FP32", "shape": [-1, 10, 3]},
                        {"name": "h0", "datatype": "FP32", "shape": [-1, 5]},
                        {"name": "lengths", "datatype": "INT64", "shape": [-1]}],
             "outputs": [{"name": "yhat", "datatype": "FP32", "shape": [-1, 2]},
                         {"name": "hidden", "datatype": "FP32", "shape": [-1, 10, 5]},
                         {"name": "state", "datatype": "FP32", "shape": [-1, 5]}]}""";

    static final String INFER_EXAMPLE = """
            {"id": "42",
             "inputs": [{"name": "x", "shape": [1, 10, 3], "datatype": "FP32",
                         "data": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3, 1.4, 1.5,
                                  1.6, 1.7, 1.8, 1.9, 2.0, 2.1, 2.2, 2.3, 2.4, 2.5, 2.6, 2.7, 2.8, 2.9, 3.0]}],
             "outputs": [{"name": "yhat"}]}""";

    static final String INFER_RESPONSE_EXAMPLE = """
            {"model_name": "notebook-simple-rnn", "model_version": "1", "id": "42",
             "outputs": [{"name": "yhat", "shape": [1, 2], "datatype": "FP32", "data": [-0.22783878, 0.23407789]}]}""";

    static final String INFER_STATE_EXAMPLE = """
            {"inputs": [
               {"name": "x", "shape": [2, 3, 3], "datatype": "FP64",
                "data": [[[0.1, 0.2, 0.3], [0.4, 0.5, 0.6], [0.7, 0.8, 0.9]], [[1.0, 1.1, 1.2], [1.3, 1.4, 1.5], [0, 0, 0]]]},
               {"name": "lengths", "shape": [2], "datatype": "INT32", "data": [3, 2]},
               {"name": "h0", "shape": [2, 5], "datatype": "FP64",
                "data": [0.1, -0.2, 0.3, -0.4, 0.5, -0.5, 0.4, -0.3, 0.2, -0.1]}],
             "outputs": [{"name": "yhat"}, {"name": "state"}]}""";

    static final String INFER_STATE_RESPONSE_EXAMPLE = """
            {"model_name": "notebook-simple-rnn", "model_version": "1",
             "outputs": [
               {"name": "yhat", "shape": [2, 2], "datatype": "FP32",
                "data": [-0.07137499, 0.63274616, -0.34152755, -0.1440691]},
               {"name": "state", "shape": [2, 5], "datatype": "FP32",
                "data": [-0.22423294, -0.20170319, 0.7582097, 0.78023475, -0.51871854, -0.26112252, -0.712501,
                         0.9663653, 0.93603855, 0.17156217]}]}""";

    static final String BAD_REQUEST_EXAMPLE = """
            {"error": "input 'x' has 5 numbers in data but its shape [1, 2, 3] needs 6 (at /inputs/0/data)"}""";

    static final String BAD_BINARY_REQUEST_EXAMPLE = """
            {"error": "input 'x' has binary_data_size 100 but its shape [1, 10, 3] of FP32 takes 120 bytes \
            (30 values of 4 bytes) (at /inputs/0/parameters/binary_data_size)"}""";

    static final String TOO_LARGE_EXAMPLE = """
            {"error": "the batch has 5000 samples; the limit is 4096 (at /inputs/0/shape)"}""";

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

    static final String OTHER_METHOD_EXAMPLE = """
            {"error": "this endpoint does not take POST; it takes GET"}""";

    static final String NOT_FOUND_EXAMPLE = """
            {"error": "model 'resnet50' is not served here; models: notebook-simple-rnn"}""";

    private KServeApiDocs() {
    }

    /** The shape of an infer body, for the OpenAPI description only (the body is read as a stream). */
    @Schema(name = "KServeInferRequest", requiredProperties = "inputs")
    record InferRequestDocument(
            @Schema(description = "Echoed in the response") @Nullable String id,
            @Schema(description = "The model of the path, as the KServe SDK sends it; another name is refused")
            @JsonProperty("model_name") @Nullable String modelName,
            @Schema(description = "The version that serves the request (the path's, else the highest available); another is refused")
            @JsonProperty("model_version") @Nullable String modelVersion,
            @Nullable RequestParametersDocument parameters,
            @Schema(description = "x, and optionally h0 (h0/<layer name>) and lengths") List<InputDocument> inputs,
            @Schema(description = "The outputs to return; default yhat") @Nullable List<OutputDocument> outputs) {
    }

    @Schema(name = "KServeRequestParameters", description = "sequence_id, sequence_start and sequence_end are refused "
            + "(no state is kept between requests); priority, timeout and other parameters are accepted and change "
            + "nothing")
    record RequestParametersDocument(
            @Schema(description = "Every output as binary data, unless the output says otherwise")
            @JsonProperty("binary_data_output") @Nullable Boolean binaryDataOutput) {
    }

    @Schema(name = "KServeInputTensor", requiredProperties = {"name", "shape", "datatype"})
    record InputDocument(
            @Schema(description = "One of the model's inputs as GET /v2/models/{name} lists them: x, lengths, h0 "
                    + "(h0/<layer>, h0/<layer>/<part> for some models)") String name,
            @Schema(description = "As the model's metadata gives it, -1 replaced by the request's N or T",
                    example = "[1, 10, 3]") int[] shape,
            @Schema(description = "The model's datatype for this input or the other of its kind: FP32 or FP64 for "
                    + "numbers, INT32 or INT64 for lengths and token ids",
                    allowableValues = {"FP32", "FP64", "INT32", "INT64"}) String datatype,
            @Nullable InputParametersDocument parameters,
            @Schema(description = "Row-major numbers, flat or nested as shape; required unless the input is sent "
                    + "as binary data") @Nullable List<Object> data) {
    }

    @Schema(name = "KServeInputParameters", description = "shared_memory_* parameters are refused; other parameters "
            + "are ignored")
    record InputParametersDocument(
            @Schema(description = "With Inference-Header-Content-Length only: the input is this many bytes after "
                    + "the JSON instead of data; the product of its shape times 4 (FP32, INT32) or 8 (FP64, INT64)",
                    minimum = "0", example = "120")
            @JsonProperty("binary_data_size") @Nullable Long binaryDataSize) {
    }

    @Schema(name = "KServeRequestedOutput", requiredProperties = "name")
    record OutputDocument(
            @Schema(description = "One of the model's outputs as GET /v2/models/{name} lists them: yhat, hidden, "
                    + "state (hidden/<layer>[/<part>], state/<layer>[/<part>] for some models)") String name,
            @Nullable OutputParametersDocument parameters) {
    }

    @Schema(name = "KServeRequestedOutputParameters", description = "classification and shared_memory_* are "
            + "refused; other parameters are ignored")
    record OutputParametersDocument(
            @Schema(description = "true: this output as binary data after the JSON; overrides binary_data_output")
            @JsonProperty("binary_data") @Nullable Boolean binaryData) {
    }
}
