package io.rnnserving.problem;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * The shape of an {@code application/problem+json} error body, for the OpenAPI description only: Spring writes a
 * {@link org.springframework.http.ProblemDetail} with its extra members flattened, which its own class does not
 * describe.
 */
@Schema(name = "Problem", requiredProperties = {"type", "title", "status", "detail"},
        description = "An error as RFC 9457 problem details: one stable type per kind of problem, a fixed title, "
                + "a human detail, and for input errors the JSON pointer of the first offending place")
public record ProblemDocument(
        @Schema(description = "The kind of problem; stable, one per kind (see ProblemKind)", format = "uri")
        String type,
        @Schema(description = "The fixed title of this kind of problem") String title,
        @Schema(description = "The HTTP status") int status,
        @Schema(description = "What was wrong with this request") String detail,
        @Schema(description = "The path of the request", format = "uri-reference") @Nullable String instance,
        @Schema(description = "For input errors: the JSON pointer (RFC 6901) of the first offending place in the body")
        @Nullable String pointer) {
}
