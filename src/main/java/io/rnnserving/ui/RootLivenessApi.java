package io.rnnserving.ui;

import io.rnnserving.problem.ProblemDocument;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** The OpenAPI description of GET / for API clients, kept apart so that the controller reads as what it does. */
@Tag(name = "health", description = "Liveness at the root, as KServe's V1 protocol answers it")
interface RootLivenessApi {
    String DESCRIPTION = "200 `{\"status\": \"alive\"}` while the application is live, as a KServe V1 model server "
            + "answers at its root; 503 when it is broken and should be restarted. A request that prefers text/html "
            + "(a browser) gets the trace page instead, unless `rnn-serving.ui.enabled` is false.";
    String ALIVE_EXAMPLE = "{\"status\": \"alive\"}";
    String NOT_ALIVE_EXAMPLE = "{\"status\": \"not alive\"}";
    String NOT_ACCEPTABLE_EXAMPLE = """
            {"type": "urn:rnn-serving:problem:not-acceptable", "title": "Not acceptable", "status": 406,
             "detail": "this endpoint answers application/json (errors as application/problem+json)",
             "instance": "/"}""";

    @Operation(operationId = "rootLiveness", summary = "Server liveness at the root (KServe V1)",
            description = DESCRIPTION)
    @ApiResponse(responseCode = "200", description = "Live", content = @Content(
            schema = @Schema(implementation = Liveness.class), examples = @ExampleObject(value = ALIVE_EXAMPLE)))
    @ApiResponse(responseCode = "503", description = "Not live: the application is broken and should be restarted",
            content = @Content(schema = @Schema(implementation = Liveness.class),
                    examples = @ExampleObject(value = NOT_ALIVE_EXAMPLE)))
    @ApiResponse(responseCode = "406", description = "The Accept header rules out application/json",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDocument.class),
                    examples = @ExampleObject(name = "not acceptable", value = NOT_ACCEPTABLE_EXAMPLE)))
    ResponseEntity<Liveness> live();

    /** KServe V1's liveness body. */
    record Liveness(@Schema(description = "alive, or not alive", examples = {"alive", "not alive"}) String status) {
    }
}
