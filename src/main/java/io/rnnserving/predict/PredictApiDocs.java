package io.rnnserving.predict;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/** The OpenAPI description of POST /predict: texts and examples with real numbers from the default model. */
final class PredictApiDocs {
    static final String DESCRIPTION = """
            Runs a batch of N sequences through the model in one call. `x` is N×T×D: each sample a list of \
            timesteps, each timestep D numbers; for a model that starts with an Embedding, N×T token ids (whole \
            numbers in its vocabulary, one per step). Samples may have different lengths (a ragged batch); each \
            sample's output comes from its own last step. A padded `x` may instead give each sample's length in \
            `lengths`. `h0` sets the initial state (default zeros): N×M for a layer whose state is one part \
            (SimpleRNN, GRU), an object of its parts `{"h": N×M, "c": N×M}` for an LSTM; keyed by layer name for a \
            model with several recurrent layers. A Bidirectional layer takes no `h0`: its backward direction reads \
            each sequence from its end, so it cannot continue a stream. With `returnState` the final state comes back \
            as `state` in the same form, ready to feed in as the next chunk's `h0`. With `trace` the answer also \
            carries the hidden state h after every step (`hidden`, or `hiddenByLayer` for several recurrent layers or \
            a Bidirectional one, whose directions are `<layer>/forward` and `<layer>/backward`) and an LSTM's cell \
            state c beside it (`cell`, `cellByLayer`), in the order the layer took the steps (last step first for \
            go_backwards and a backward direction).""";

    static final String MODEL_DESCRIPTION = """
            The same request and answer as POST /predict, on the highest AVAILABLE version of the model named. The \
            request runs entirely on that version, even when a newer one is swapped in meanwhile.""";

    static final String UNKNOWN_MODEL_EXAMPLE = """
            {"type": "urn:rnn-serving:problem:not-found", "title": "Not found", "status": 404,
             "detail": "model 'fraud' is not served here; models: notebook-simple-rnn",
             "instance": "/models/fraud/predict"}""";

    static final String UNKNOWN_VERSION_EXAMPLE = """
            {"type": "urn:rnn-serving:problem:not-found", "title": "Not found", "status": 404,
             "detail": "model 'notebook-simple-rnn' version 7 is not served; AVAILABLE versions: 1",
             "instance": "/models/notebook-simple-rnn/versions/7/predict"}""";

    static final String REQUEST_EXAMPLE = """
            {"x": [[[0.1, 0.2, 0.3], [0.4, 0.5, 0.6], [0.7, 0.8, 0.9], [1.0, 1.1, 1.2], [1.3, 1.4, 1.5],
                    [1.6, 1.7, 1.8], [1.9, 2.0, 2.1], [2.2, 2.3, 2.4], [2.5, 2.6, 2.7], [2.8, 2.9, 3.0]]]}""";

    static final String REQUEST_TRACE_EXAMPLE = """
            {"x": [[[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]], [[0.7, 0.8, 0.9]]], "trace": true, "returnState": true}""";

    /** The next chunk of {@link #REQUEST_TRACE_EXAMPLE}'s two streams: its state as h0, padded with lengths. */
    static final String REQUEST_STREAM_EXAMPLE = """
            {"x": [[[1.0, 1.1, 1.2], [1.3, 1.4, 1.5]], [[1.6, 1.7, 1.8], [0.0, 0.0, 0.0]]], "lengths": [2, 1],
             "h0": [[-0.030985136, -0.42099103, 0.56151617, 0.44470215,
                     -0.04041381],
                    [0.039241284, -0.4787861, 0.703714, 0.44316852,
                     0.11162786]],
             "returnState": true}""";

    /** What the service answers to {@link #REQUEST_STREAM_EXAMPLE}: the same yhat as both streams sent whole. */
    static final String RESPONSE_STREAM_EXAMPLE = """
            {"yhat": [[-0.16130868, 0.29816023], [-0.19461168, -0.02334066]],
             "state": [[-0.19174308, -0.7281235, 0.9606826, 0.962247,
                        -0.49442968],
                       [-0.06649928, -0.82482225, 0.9867703, 0.9269248,
                        -0.21206197]]}""";

    /** What the service answers to {@link #REQUEST_EXAMPLE} (numpy and Keras agree: src/test/resources/reference). */
    static final String RESPONSE_EXAMPLE = """
            {"yhat": [[-0.2278387, 0.2340779]]}""";

    /** What the service answers to {@link #REQUEST_TRACE_EXAMPLE}. */
    static final String RESPONSE_TRACE_EXAMPLE = """
            {"yhat": [[-0.108537756, -0.109023534], [-0.19554453, -0.25493056]],
             "hidden": [[[-0.028311387, -0.1621832, 0.14182246, 0.14636007,
                          0.07230342],
                         [-0.030985136, -0.42099103, 0.56151617, 0.44470215,
                          -0.04041381]],
                        [[0.039241284, -0.4787861, 0.703714, 0.44316852,
                          0.11162786]]],
             "state": [[-0.030985136, -0.42099103, 0.56151617, 0.44470215,
                        -0.04041381],
                       [0.039241284, -0.4787861, 0.703714, 0.44316852,
                        0.11162786]]}""";

    /**
     * Another model: an LSTM (src/test/resources/keras/recurrent/lstm.keras, Input(5, 3) → LSTM(4) → Dense(2)). Its
     * examples' names start with {@link #LSTM_MODEL}; DocumentedExamplesTest replays them against that model.
     */
    static final String LSTM_MODEL = "with an LSTM";

    /** Steps 3 to 5 of a sequence, from the state {h, c} that steps 1 and 2 returned. */
    static final String REQUEST_LSTM_STATE_EXAMPLE = """
            {"x": [[[0.7, 0.8, 0.9], [1.0, 1.1, 1.2], [1.3, 1.4, 1.5]]],
             "h0": {"h": [[-0.3039213, -0.33046663, -0.090236194, -0.3972476]],
                    "c": [[-0.5367041, -0.66840625, -0.18248826, -0.7317141]]},
             "returnState": true}""";

    /** The whole five-step sequence's yhat, and the state after it. */
    static final String RESPONSE_LSTM_STATE_EXAMPLE = """
            {"yhat": [[-1.3416597, -0.017493393]],
             "state": {"h": [[-0.4784592, -0.54371494, -0.3968102, -0.75795144]],
                       "c": [[-0.93451715, -2.3206248, -0.76223934, -1.3793709]]}}""";

    static final String PROBLEM_EXAMPLE = """
            {"type": "urn:rnn-serving:problem:wrong-shape", "title": "Wrong shape", "status": 400,
             "detail": "timestep 4 of sample 1 has 2 features; the model takes 3", "instance": "/predict",
             "pointer": "/x/1/4"}""";

    static final String UNKNOWN_FIELD_EXAMPLE = """
            {"type": "urn:rnn-serving:problem:unknown-field", "title": "Unknown field", "status": 400,
             "detail": "unknown field 'foo'; the fields are x, lengths, h0, trace, returnState", "instance": "/predict",
             "pointer": "/foo"}""";

    static final String BATCH_TOO_LARGE_EXAMPLE = """
            {"type": "urn:rnn-serving:problem:batch-too-large", "title": "Batch too large", "status": 413,
             "detail": "the batch has 4097 samples; the limit is 4096", "instance": "/predict", "pointer": "/x"}""";

    static final String TOO_LARGE_DESCRIPTION = """
            The body or the batch is larger than the configured limits, or its working memory more than the whole \
            memory budget""";

    static final String BUSY_DESCRIPTION = """
            Busy: the memory budget stayed held by the requests in progress, or the batching queue did not start the \
            request, for longer than the configured wait; try again after Retry-After seconds""";

    static final String MEMORY_TOO_LARGE_EXAMPLE = """
            {"type": "urn:rnn-serving:problem:batch-too-large", "title": "Batch too large", "status": 413,
             "detail": "this batch and its answer needs about 300.2 MiB of working memory, more than the whole memory \
            budget of 256.0 MiB (rnn-serving.admission); send it in smaller batches", "instance": "/predict"}""";

    static final String MEMORY_BUSY_EXAMPLE = """
            {"type": "urn:rnn-serving:problem:service-unavailable", "title": "Service unavailable", "status": 503,
             "detail": "this batch and its answer needs about 120.4 MiB of working memory, and the requests in \
            progress hold the memory budget for longer than 5000 ms; retry later", "instance": "/predict"}""";

    static final String QUEUE_TIMEOUT_EXAMPLE = """
            {"type": "urn:rnn-serving:problem:service-unavailable", "title": "Service unavailable", "status": 503,
             "detail": "the request waited 5003 ms for the engine, longer than the queue timeout; it was not run",
             "instance": "/predict"}""";

    static final String UNSUPPORTED_MEDIA_TYPE_EXAMPLE = """
            {"type": "urn:rnn-serving:problem:unsupported-media-type", "title": "Unsupported media type",
             "status": 415, "detail": "the body must be application/json", "instance": "/predict"}""";

    static final String NOT_ACCEPTABLE_EXAMPLE = """
            {"type": "urn:rnn-serving:problem:not-acceptable", "title": "Not acceptable", "status": 406,
             "detail": "this endpoint answers application/json (errors as application/problem+json)",
             "instance": "/predict"}""";

    static final String INTERNAL_ERROR_EXAMPLE = """
            {"type": "urn:rnn-serving:problem:internal-error", "title": "Internal error", "status": 500,
             "detail": "the service failed to answer this request; it has been logged", "instance": "/predict"}""";

    private PredictApiDocs() {
    }

    /**
     * Initial states by recurrent layer name, each an N×M array or an object of parts; for a model whose one recurrent
     * layer is an LSTM, its parts themselves. Left open in the schema: its values are of two shapes.
     */
    @Schema(name = "StatesByLayer", description = "Per recurrent layer name, an N×M state (a layer of one part: "
            + "SimpleRNN, GRU) or an object of its parts (an LSTM: {\"h\": N×M, \"c\": N×M}); for a model whose one "
            + "recurrent layer is an LSTM, its parts themselves: {\"h\": N×M, \"c\": N×M}",
            additionalProperties = Schema.AdditionalPropertiesValue.TRUE)
    static final class StatesByLayer {
    }

    /** The shape of a POST /predict body, for the OpenAPI description only (the body is read as a stream). */
    @Schema(name = "PredictRequest", requiredProperties = "x")
    record PredictRequestDocument(
            // its oneOf of numbers and token ids is PredictSchemaRules'
            @Schema(description = "N×T×D numbers; samples may differ in T. Which form and what D is the served "
                    + "model's (GET /model: inputShape), which the schema cannot say. A model that starts with an Embedding "
                    + "takes N×T token ids instead, each step one whole number in its vocabulary: "
                    + "{\"x\": [[5, 2, 9, 6, 8], [10, 1, 4]]} answers {\"yhat\": [[0.37606844], "
                    + "[0.4213188]]} from the README's text model (Embedding(12, 4) → LSTM(4) → Dense(1, "
                    + "sigmoid)); GET /model's inputShape is then [T]") Object x,
            @Schema(description = "Each sample's valid length in a padded x (N integers, 1 to its T)") int @Nullable [] lengths,
            @Schema(description = "Initial state, default zeros: N×M for a model with one recurrent layer of one state "
                    + "part, {\"h\": N×M, \"c\": N×M} for one LSTM, else an object keyed by recurrent layer name of "
                    + "those; a Bidirectional layer takes none",
                    oneOf = {double[][].class, StatesByLayer.class}) @Nullable Object h0,
            @Schema(description = "Also return the hidden state (and an LSTM's cell state) after every step",
                    defaultValue = "false") boolean trace,
            @Schema(description = "Also return the final state of every recurrent layer", defaultValue = "false")
            boolean returnState) {
    }
}
