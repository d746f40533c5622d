package io.rnnserving.ui;

import io.rnnserving.request.ProblemDocument;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.LivenessState;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * GET / for API clients: the liveness answer KServe's V1 protocol gives at its root, {@code {"status": "alive"}}.
 * A browser, which asks for text/html first, gets the trace page instead ({@link TracePageController}).
 */
@RestController
@Tag(name = "health", description = "Liveness at the root, as KServe's V1 protocol answers it")
class RootLivenessController {
    static final String ALIVE_EXAMPLE = "{\"status\": \"alive\"}";
    static final String NOT_ALIVE_EXAMPLE = "{\"status\": \"not alive\"}";
    static final String NOT_ACCEPTABLE_EXAMPLE = """
            {"type": "urn:rnn-serving:problem:not-acceptable", "title": "Not acceptable", "status": 406,
             "detail": "this endpoint answers application/json (errors as application/problem+json)",
             "instance": "/"}""";

    private final ApplicationAvailability availability;

    RootLivenessController(ApplicationAvailability availability) {
        this.availability = availability;
    }

    @GetMapping(path = "/", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "rootLiveness", summary = "Server liveness at the root (KServe V1)",
            description = "200 `{\"status\": \"alive\"}` while the application is live, as a KServe V1 model server "
                    + "answers at its root; 503 when it is broken and should be restarted. A request that prefers "
                    + "text/html (a browser) gets the trace page instead, unless `rnn-serving.ui.enabled` is false.")
    @ApiResponse(responseCode = "200", description = "Live", content = @Content(
            schema = @Schema(implementation = Liveness.class), examples = @ExampleObject(value = ALIVE_EXAMPLE)))
    @ApiResponse(responseCode = "503", description = "Not live: the application is broken and should be restarted",
            content = @Content(schema = @Schema(implementation = Liveness.class),
                    examples = @ExampleObject(value = NOT_ALIVE_EXAMPLE)))
    @ApiResponse(responseCode = "406", description = "The Accept header rules out application/json",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDocument.class),
                    examples = @ExampleObject(name = "not acceptable", value = NOT_ACCEPTABLE_EXAMPLE)))
    ResponseEntity<Liveness> live() {
        boolean live = availability.getLivenessState() == LivenessState.CORRECT;
        return ResponseEntity.status(live ? 200 : 503).body(new Liveness(live ? "alive" : "not alive"));
    }

    /** KServe V1's liveness body. */
    record Liveness(@Schema(description = "alive, or not alive", examples = {"alive", "not alive"}) String status) {
    }
}
