package io.rnnserving.modelinfo;

import io.rnnserving.problem.ProblemDocument;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;

/** The OpenAPI description of GET /model, kept apart so that the controller reads as what it does. */
@Tag(name = "model", description = "The served model")
interface ModelInfoApi {

    @Operation(operationId = "describeModel", summary = "Describe the served model", description = ModelInfoApiDocs.DESCRIPTION)
    @ApiResponse(responseCode = "200", description = "The served model's summary", content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = ModelSummary.class),
            examples = @ExampleObject(name = "default model", value = ModelInfoApiDocs.RESPONSE_EXAMPLE)))
    @ApiResponse(responseCode = "406", description = "The Accept header rules out application/json",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDocument.class),
                    examples = @ExampleObject(name = "not acceptable", value = ModelInfoApiDocs.NOT_ACCEPTABLE_EXAMPLE)))
    @ApiResponse(responseCode = "500", description = "The service failed; the error is logged",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDocument.class),
                    examples = @ExampleObject(name = "internal error", value = ModelInfoApiDocs.INTERNAL_ERROR_EXAMPLE)))
    ModelSummary model();
}
