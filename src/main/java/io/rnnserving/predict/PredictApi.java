package io.rnnserving.predict;

import java.io.IOException;

import io.rnnserving.problem.ProblemDocument;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

/** The OpenAPI description of POST /predict and /models/{name}[/versions/{version}]/predict, kept apart so that the controller reads as what it does. */
@Tag(name = "predict", description = "The service's own JSON protocol")
interface PredictApi {

    @Operation(operationId = "predict", summary = "Predict a batch of sequences", description = PredictApiDocs.DESCRIPTION,
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
                    mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = PredictApiDocs.PredictRequestDocument.class),
                    // the spec sorts keys and Swagger UI prefills the first example: "one sequence" must sort first
                    examples = {
                        @ExampleObject(name = "one sequence", value = PredictApiDocs.REQUEST_EXAMPLE),
                        @ExampleObject(name = "trace and state", value = PredictApiDocs.REQUEST_TRACE_EXAMPLE),
                        @ExampleObject(name = "streaming: the next chunk", value = PredictApiDocs.REQUEST_STREAM_EXAMPLE),
                        @ExampleObject(name = PredictApiDocs.LSTM_MODEL + ": its state as h and c",
                                description = "Another model: Input(5, 3) → LSTM(4) → Dense(2) (lstm.keras of the test "
                                        + "fixtures); steps 3 to 5 from the state steps 1 and 2 returned",
                                value = PredictApiDocs.REQUEST_LSTM_STATE_EXAMPLE)})))
    @ApiResponse(responseCode = "200", description = "The model's outputs", content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = PredictResponse.class),
            examples = {
                @ExampleObject(name = "one sequence", value = PredictApiDocs.RESPONSE_EXAMPLE),
                @ExampleObject(name = "trace and state", value = PredictApiDocs.RESPONSE_TRACE_EXAMPLE),
                @ExampleObject(name = "streaming: the next chunk", value = PredictApiDocs.RESPONSE_STREAM_EXAMPLE),
                @ExampleObject(name = PredictApiDocs.LSTM_MODEL + ": its state as h and c",
                        value = PredictApiDocs.RESPONSE_LSTM_STATE_EXAMPLE)}))
    @ApiResponse(responseCode = "400", description = "The body is not a valid request for this model",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDocument.class),
                    examples = {
                        @ExampleObject(name = "wrong feature count", value = PredictApiDocs.PROBLEM_EXAMPLE),
                        @ExampleObject(name = "unknown field", value = PredictApiDocs.UNKNOWN_FIELD_EXAMPLE)}))
    @ApiResponse(responseCode = "406", description = "The Accept header rules out application/json",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDocument.class),
                    examples = @ExampleObject(name = "not acceptable", value = PredictApiDocs.NOT_ACCEPTABLE_EXAMPLE)))
    @ApiResponse(responseCode = "413", description = PredictApiDocs.TOO_LARGE_DESCRIPTION,
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDocument.class),
                    examples = {
                        @ExampleObject(name = "too many samples", value = PredictApiDocs.BATCH_TOO_LARGE_EXAMPLE),
                        @ExampleObject(name = "too large for the memory budget",
                                value = PredictApiDocs.MEMORY_TOO_LARGE_EXAMPLE)}))
    @ApiResponse(responseCode = "415", description = "The body is not application/json",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDocument.class),
                    examples = @ExampleObject(name = "not JSON",
                            value = PredictApiDocs.UNSUPPORTED_MEDIA_TYPE_EXAMPLE)))
    @ApiResponse(responseCode = "503", description = PredictApiDocs.BUSY_DESCRIPTION,
            headers = @Header(name = HttpHeaders.RETRY_AFTER, description = "Seconds to wait before trying again",
                    schema = @Schema(types = "integer")),
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDocument.class),
                    examples = {
                        @ExampleObject(name = "memory budget busy", value = PredictApiDocs.MEMORY_BUSY_EXAMPLE),
                        @ExampleObject(name = "queue timeout", value = PredictApiDocs.QUEUE_TIMEOUT_EXAMPLE)}))
    @ApiResponse(responseCode = "500", description = "The service failed; the error is logged",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDocument.class),
                    examples = @ExampleObject(name = "internal error", value = PredictApiDocs.INTERNAL_ERROR_EXAMPLE)))
    PredictResponse predict(HttpServletRequest request) throws IOException;

    @Operation(operationId = "predictModel", summary = "Predict with a model of the repository",
            description = PredictApiDocs.MODEL_DESCRIPTION,
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
                    mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = PredictApiDocs.PredictRequestDocument.class),
                    examples = @ExampleObject(name = "one sequence", value = PredictApiDocs.REQUEST_EXAMPLE))))
    @ApiResponse(responseCode = "200", description = "The outputs of the model's highest AVAILABLE version",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = PredictResponse.class),
                    examples = @ExampleObject(name = "one sequence", value = PredictApiDocs.RESPONSE_EXAMPLE)))
    @ApiResponse(responseCode = "400", description = "The body is not a valid request for this model",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDocument.class),
                    examples = @ExampleObject(name = "wrong feature count", value = PredictApiDocs.PROBLEM_EXAMPLE)))
    @ApiResponse(responseCode = "404", description = "No such model is served; the detail names the models",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDocument.class),
                    examples = @ExampleObject(name = "unknown model", value = PredictApiDocs.UNKNOWN_MODEL_EXAMPLE)))
    @ApiResponse(responseCode = "413", description = PredictApiDocs.TOO_LARGE_DESCRIPTION,
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDocument.class),
                    examples = {
                        @ExampleObject(name = "too many samples", value = PredictApiDocs.BATCH_TOO_LARGE_EXAMPLE),
                        @ExampleObject(name = "too large for the memory budget",
                                value = PredictApiDocs.MEMORY_TOO_LARGE_EXAMPLE)}))
    @ApiResponse(responseCode = "503", description = PredictApiDocs.BUSY_DESCRIPTION,
            headers = @Header(name = HttpHeaders.RETRY_AFTER, description = "Seconds to wait before trying again",
                    schema = @Schema(types = "integer")),
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDocument.class),
                    examples = {
                        @ExampleObject(name = "memory budget busy", value = PredictApiDocs.MEMORY_BUSY_EXAMPLE),
                        @ExampleObject(name = "queue timeout", value = PredictApiDocs.QUEUE_TIMEOUT_EXAMPLE)}))
    PredictResponse predictModel(@Parameter(description = "The model's name in the repository") String name,
                                 HttpServletRequest request) throws IOException;

    @Operation(operationId = "predictModelVersion", summary = "Predict with one version of a model",
            description = "The same request and answer as POST /predict, on the version named; it must be AVAILABLE.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
                    mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = PredictApiDocs.PredictRequestDocument.class),
                    examples = @ExampleObject(name = "one sequence", value = PredictApiDocs.REQUEST_EXAMPLE))))
    @ApiResponse(responseCode = "200", description = "The outputs of that version", content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = PredictResponse.class),
            examples = @ExampleObject(name = "one sequence", value = PredictApiDocs.RESPONSE_EXAMPLE)))
    @ApiResponse(responseCode = "400", description = "The body is not a valid request for this model",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDocument.class),
                    examples = @ExampleObject(name = "wrong feature count", value = PredictApiDocs.PROBLEM_EXAMPLE)))
    @ApiResponse(responseCode = "404", description = "No such model, or that version is not AVAILABLE; the detail "
            + "names the AVAILABLE versions", content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDocument.class),
                    examples = @ExampleObject(name = "unknown version", value = PredictApiDocs.UNKNOWN_VERSION_EXAMPLE)))
    @ApiResponse(responseCode = "413", description = PredictApiDocs.TOO_LARGE_DESCRIPTION,
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDocument.class),
                    examples = {
                        @ExampleObject(name = "too many samples", value = PredictApiDocs.BATCH_TOO_LARGE_EXAMPLE),
                        @ExampleObject(name = "too large for the memory budget",
                                value = PredictApiDocs.MEMORY_TOO_LARGE_EXAMPLE)}))
    @ApiResponse(responseCode = "503", description = PredictApiDocs.BUSY_DESCRIPTION,
            headers = @Header(name = HttpHeaders.RETRY_AFTER, description = "Seconds to wait before trying again",
                    schema = @Schema(types = "integer")),
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDocument.class),
                    examples = {
                        @ExampleObject(name = "memory budget busy", value = PredictApiDocs.MEMORY_BUSY_EXAMPLE),
                        @ExampleObject(name = "queue timeout", value = PredictApiDocs.QUEUE_TIMEOUT_EXAMPLE)}))
    PredictResponse predictModelVersion(@Parameter(description = "The model's name in the repository") String name,
                                        @Parameter(description = "A positive integer") String version,
                                        HttpServletRequest request) throws IOException;
}
