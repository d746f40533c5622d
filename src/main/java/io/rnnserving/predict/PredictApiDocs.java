package io.rnnserving.predict;

import java.util.HashMap;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/** The OpenAPI description of POST /predict: texts and examples with real numbers from the default model. */
final class PredictApiDocs {
    static final String DESCRIPTION = """
            Runs a batch of N sequences through the model in one call. `x` is N×T×D: each sample a list of \
            timesteps, each timestep D numbers. Samples may have different lengths (a ragged batch); each sample's \
            output comes from its own last step. A padded `x` may instead give each sample's length in `lengths`. \
            `h0` sets the initial state (default zeros); with `returnState` the final state comes back as `state`, \
            ready to feed in as the next chunk's `h0`. With `trace` the answer also carries the hidden state after \
            every step.""";

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
             "h0": [[-0.030985134770244494, -0.4209910463819907, 0.561516172334304, 0.44470214490714716,
                     -0.04041381312441737],
                    [0.03924128509967712, -0.4787861064030269, 0.7037140002844339, 0.4431685217464178,
                     0.11162786160678267]],
             "returnState": true}""";

    /** What the service answers to {@link #REQUEST_STREAM_EXAMPLE}: the same yhat as both streams sent whole. */
    static final String RESPONSE_STREAM_EXAMPLE = """
            {"yhat": [[-0.1613086764789662, 0.2981602210704337], [-0.1946116875242657, -0.02334065938010499]],
             "state": [[-0.19174308047685965, -0.7281235009592048, 0.9606825534501194, 0.9622470237343791,
                        -0.4944296821585201],
                       [-0.06649928102604602, -0.8248222709126289, 0.9867702578765645, 0.9269248503539844,
                        -0.2120619733218253]]}""";

    /** What the service answers to {@link #REQUEST_EXAMPLE} (numpy and Keras agree: src/test/resources/reference). */
    static final String RESPONSE_EXAMPLE = """
            {"yhat": [[-0.2278387881434021, 0.23407788654377812]]}""";

    /** What the service answers to {@link #REQUEST_TRACE_EXAMPLE}. */
    static final String RESPONSE_TRACE_EXAMPLE = """
            {"yhat": [[-0.10853775483616132, -0.10902353505770743], [-0.19554453188391377, -0.2549305650216186]],
             "hidden": [[[-0.028311386175065862, -0.16218320128390415, 0.141822462512023, 0.14636007592589517,
                          0.07230342173531595],
                         [-0.030985134770244494, -0.4209910463819907, 0.561516172334304, 0.44470214490714716,
                          -0.04041381312441737]],
                        [[0.03924128509967712, -0.4787861064030269, 0.7037140002844339, 0.4431685217464178,
                          0.11162786160678267]]],
             "state": [[-0.030985134770244494, -0.4209910463819907, 0.561516172334304, 0.44470214490714716,
                        -0.04041381312441737],
                       [0.03924128509967712, -0.4787861064030269, 0.7037140002844339, 0.4431685217464178,
                        0.11162786160678267]]}""";

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

    /** Initial states of a stacked model: an N×M array per recurrent layer name. */
    @Schema(name = "StatesByLayer", description = "An N×M initial state per recurrent layer name")
    static final class StatesByLayer extends HashMap<String, double[][]> {
    }

    /** The shape of a POST /predict body, for the OpenAPI description only (the body is read as a stream). */
    @Schema(name = "PredictRequest", requiredProperties = "x")
    record PredictRequestDocument(
            @Schema(description = "N×T×D numbers; samples may differ in T") double[][][] x,
            @Schema(description = "Each sample's valid length in a padded x (N integers, 1 to its T)") int @Nullable [] lengths,
            @Schema(description = "Initial state: N×M for a model with one recurrent layer, else an object of N×M "
                    + "arrays keyed by recurrent layer name; default zeros",
                    oneOf = {double[][].class, StatesByLayer.class}) @Nullable Object h0,
            @Schema(description = "Also return the hidden state after every step", defaultValue = "false") boolean trace,
            @Schema(description = "Also return the final state of every recurrent layer", defaultValue = "false")
            boolean returnState) {
    }
}
