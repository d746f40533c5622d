package io.rnnserving.modelinfo;

import io.rnnserving.problem.ProblemDocument;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;

/** The OpenAPI description of GET /model and GET /models..., kept apart so that the controller reads as what it does. */
@Tag(name = "model", description = "The served models")
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

    @Operation(operationId = "listModels", summary = "Every model and the state of each version",
            description = ModelInfoApiDocs.MODELS_DESCRIPTION)
    @ApiResponse(responseCode = "200", description = "The models by name, each version lowest first", content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = ModelsDocument.class),
            examples = @ExampleObject(name = "default model", value = ModelInfoApiDocs.MODELS_EXAMPLE)))
    @ApiResponse(responseCode = "406", description = "The Accept header rules out application/json",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDocument.class),
                    examples = @ExampleObject(name = "not acceptable", value = ModelInfoApiDocs.MODELS_NOT_ACCEPTABLE_EXAMPLE)))
    ModelsDocument models();

    @Operation(operationId = "describeModelByName", summary = "Describe a model of the repository",
            description = "What GET /model shows, for the highest AVAILABLE version of the model named, plus the version.")
    @ApiResponse(responseCode = "200", description = "The model's summary", content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = ModelSummary.class),
            examples = @ExampleObject(name = "default model", value = ModelInfoApiDocs.VERSION_RESPONSE_EXAMPLE)))
    @ApiResponse(responseCode = "404", description = "No such model is served; the detail names the models",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDocument.class),
                    examples = @ExampleObject(name = "unknown model", value = ModelInfoApiDocs.UNKNOWN_MODEL_EXAMPLE)))
    ModelSummary model(@Parameter(description = "The model's name in the repository") String name);

    @Operation(operationId = "describeModelVersion", summary = "Describe one version of a model",
            description = "What GET /model shows, for the version named (it must be AVAILABLE), plus the version.")
    @ApiResponse(responseCode = "200", description = "The version's summary", content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = ModelSummary.class),
            examples = @ExampleObject(name = "default model", value = ModelInfoApiDocs.VERSION_RESPONSE_EXAMPLE)))
    @ApiResponse(responseCode = "404", description = "No such model, or that version is not AVAILABLE",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDocument.class),
                    examples = @ExampleObject(name = "unknown version", value = ModelInfoApiDocs.UNKNOWN_VERSION_EXAMPLE)))
    ModelSummary model(@Parameter(description = "The model's name in the repository") String name,
                       @Parameter(description = "A positive integer") String version);
}
