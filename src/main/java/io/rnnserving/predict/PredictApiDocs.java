package io.rnnserving.predict;

import java.util.Map;

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

    static final String REQUEST_EXAMPLE = """
            {"x": [[[0.1, 0.2, 0.3], [0.4, 0.5, 0.6], [0.7, 0.8, 0.9], [1.0, 1.1, 1.2], [1.3, 1.4, 1.5],
                    [1.6, 1.7, 1.8], [1.9, 2.0, 2.1], [2.2, 2.3, 2.4], [2.5, 2.6, 2.7], [2.8, 2.9, 3.0]]]}""";

    static final String REQUEST_TRACE_EXAMPLE = """
            {"x": [[[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]], [[0.7, 0.8, 0.9]]], "trace": true, "returnState": true}""";

    static final String RESPONSE_EXAMPLE = """
            {"yhat": [[0.0, 0.0]]}""";

    static final String PROBLEM_EXAMPLE = """
            {"type": "urn:rnn-serving:problem:wrong-shape", "title": "Wrong shape", "status": 400,
             "detail": "timestep 4 of sample 1 has 2 features; the model takes 3", "instance": "/predict",
             "pointer": "/x/1/4"}""";

    private PredictApiDocs() {
    }

    /** The shape of a POST /predict body, for the OpenAPI description only (the body is read as a stream). */
    @Schema(name = "PredictRequest", requiredProperties = "x")
    record PredictRequestDocument(
            @Schema(description = "N×T×D numbers; samples may differ in T") double[][][] x,
            @Schema(description = "Each sample's valid length in a padded x (N integers, 1 to its T)") int @Nullable [] lengths,
            @Schema(description = "Initial state: N×M for a model with one recurrent layer, else an object of N×M "
                    + "arrays keyed by recurrent layer name; default zeros",
                    oneOf = {double[][].class, Map.class}) @Nullable Object h0,
            @Schema(description = "Also return the hidden state after every step", defaultValue = "false") boolean trace,
            @Schema(description = "Also return the final state of every recurrent layer", defaultValue = "false")
            boolean returnState) {
    }
}
