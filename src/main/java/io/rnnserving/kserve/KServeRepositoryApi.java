package io.rnnserving.kserve;

import java.util.List;

import io.rnnserving.problem.ErrorStringAdvice;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** The OpenAPI description of the model repository extension, kept apart so that the controller reads as what it does. */
@Tag(name = "kserve", description = "KServe Open Inference Protocol v2 (REST); errors are {\"error\": \"...\"}")
interface KServeRepositoryApi {

    @Operation(operationId = "kserveRepositoryIndex", summary = "Repository index",
            description = KServeRepositoryApiDocs.INDEX_DESCRIPTION,
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = false, content = @Content(
                    mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = KServeRepository.IndexRequest.class),
                    examples = {
                        @ExampleObject(name = "every version", value = "{}"),
                        @ExampleObject(name = "ready versions", value = "{\"ready\": true}")})))
    @ApiResponse(responseCode = "200", description = "Every model version and its state", content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE,
            array = @ArraySchema(schema = @Schema(implementation = KServeRepository.IndexEntry.class)),
            examples = {
                @ExampleObject(name = "every version", value = KServeRepositoryApiDocs.INDEX_EXAMPLE),
                @ExampleObject(name = "ready versions", value = KServeRepositoryApiDocs.INDEX_EXAMPLE)}))
    @ApiResponse(responseCode = "400", description = "The body is not an index request", content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE,
            schema = @Schema(implementation = ErrorStringAdvice.ErrorBody.class),
            examples = @ExampleObject(value = KServeRepositoryApiDocs.BAD_INDEX_REQUEST_EXAMPLE)))
    List<KServeRepository.IndexEntry> index(KServeRepository.@Nullable IndexRequest request);

    @Operation(operationId = "kserveRepositoryLoad", summary = "Load a model",
            description = KServeRepositoryApiDocs.LOAD_DESCRIPTION,
            security = @SecurityRequirement(name = KServeRepositoryApiDocs.MANAGEMENT_TOKEN))
    @ApiResponse(responseCode = "200", description = "Loaded: some version of the model is AVAILABLE")
    @ApiResponse(responseCode = "400", description = "No version of the model could be served; the error says why",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = ErrorStringAdvice.ErrorBody.class),
                    examples = @ExampleObject(value = KServeRepositoryApiDocs.LOAD_FAILED_EXAMPLE)))
    @ApiResponse(responseCode = "401", description = "No Authorization: Bearer header, or a wrong token",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = ErrorStringAdvice.ErrorBody.class),
                    examples = @ExampleObject(value = KServeRepositoryApiDocs.UNAUTHORIZED_EXAMPLE)))
    @ApiResponse(responseCode = "403", description = "No management token is configured", content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE,
            schema = @Schema(implementation = ErrorStringAdvice.ErrorBody.class),
            examples = @ExampleObject(value = KServeRepositoryApiDocs.FORBIDDEN_EXAMPLE)))
    @ApiResponse(responseCode = "404", description = "The repository has no model of that name", content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE,
            schema = @Schema(implementation = ErrorStringAdvice.ErrorBody.class),
            examples = @ExampleObject(value = KServeRepositoryApiDocs.NO_SUCH_MODEL_EXAMPLE)))
    ResponseEntity<Void> load(@Parameter(description = "The model's name in the repository") String name);

    @Operation(operationId = "kserveRepositoryUnload", summary = "Unload a model",
            description = KServeRepositoryApiDocs.UNLOAD_DESCRIPTION,
            security = @SecurityRequirement(name = KServeRepositoryApiDocs.MANAGEMENT_TOKEN))
    @ApiResponse(responseCode = "200", description = "Unloaded: no new request is given the model")
    @ApiResponse(responseCode = "401", description = "No Authorization: Bearer header, or a wrong token",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = ErrorStringAdvice.ErrorBody.class),
                    examples = @ExampleObject(value = KServeRepositoryApiDocs.UNAUTHORIZED_EXAMPLE)))
    @ApiResponse(responseCode = "403", description = "No management token is configured", content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE,
            schema = @Schema(implementation = ErrorStringAdvice.ErrorBody.class),
            examples = @ExampleObject(value = KServeRepositoryApiDocs.FORBIDDEN_EXAMPLE)))
    @ApiResponse(responseCode = "404", description = "No model of that name is known", content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE,
            schema = @Schema(implementation = ErrorStringAdvice.ErrorBody.class),
            examples = @ExampleObject(value = KServeRepositoryApiDocs.NOT_SERVED_EXAMPLE)))
    ResponseEntity<Void> unload(@Parameter(description = "The model's name in the repository") String name);
}
