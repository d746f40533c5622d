package io.rnnserving.tfserving;

import java.io.IOException;

import io.rnnserving.problem.ErrorStringAdvice;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

/** The OpenAPI description of the TF Serving endpoints, kept apart so that the controller reads as what it does. */
@Tag(name = "tfserving", description = "TensorFlow Serving REST API; errors are {\"error\": \"...\"}")
interface TfServingApi {

    @Operation(operationId = "tfServingPredict", summary = "Predict", description = TfServingApiDocs.PREDICT_DESCRIPTION,
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
                    mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = TfServingApiDocs.PredictRequestDocument.class),
                    examples = {
                        @ExampleObject(name = "row format", value = TfServingApiDocs.INSTANCES_EXAMPLE),
                        @ExampleObject(name = "row format, named input", value = TfServingApiDocs.NAMED_INSTANCES_EXAMPLE),
                        @ExampleObject(name = "columnar format", value = TfServingApiDocs.INPUTS_EXAMPLE)})))
    @ApiResponse(responseCode = "200", description = "predictions (row format) or outputs (columnar)", content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = PredictionResponse.class),
            examples = {
                @ExampleObject(name = "row format", value = TfServingApiDocs.PREDICTIONS_EXAMPLE),
                @ExampleObject(name = "row format, named input", value = TfServingApiDocs.NAMED_PREDICTIONS_EXAMPLE),
                @ExampleObject(name = "columnar format", value = TfServingApiDocs.OUTPUTS_EXAMPLE)}))
    @ApiResponse(responseCode = "400", description = "The body is not a valid request for this model",
            content = @Content(schema = @Schema(implementation = ErrorStringAdvice.ErrorBody.class),
                    examples = @ExampleObject(value = TfServingApiDocs.BAD_REQUEST_EXAMPLE)))
    @ApiResponse(responseCode = "404", description = "No such model or version", content = @Content(
            schema = @Schema(implementation = ErrorStringAdvice.ErrorBody.class),
            examples = @ExampleObject(value = TfServingApiDocs.NOT_FOUND_EXAMPLE)))
    @ApiResponse(responseCode = "413", description = TfServingApiDocs.TOO_LARGE_DESCRIPTION,
            content = @Content(schema = @Schema(implementation = ErrorStringAdvice.ErrorBody.class),
                    examples = {
                        @ExampleObject(name = "too many samples", value = TfServingApiDocs.TOO_LARGE_EXAMPLE),
                        @ExampleObject(name = "too large for the memory budget",
                                value = TfServingApiDocs.MEMORY_TOO_LARGE_EXAMPLE)}))
    @ApiResponse(responseCode = "503", description = TfServingApiDocs.BUSY_DESCRIPTION,
            headers = @Header(name = HttpHeaders.RETRY_AFTER, description = "Seconds to wait before trying again",
                    schema = @Schema(types = "integer")),
            content = @Content(schema = @Schema(implementation = ErrorStringAdvice.ErrorBody.class),
                    examples = {
                        @ExampleObject(name = "memory budget busy", value = TfServingApiDocs.MEMORY_BUSY_EXAMPLE),
                        @ExampleObject(name = "queue timeout", value = TfServingApiDocs.QUEUE_TIMEOUT_EXAMPLE)}))
    PredictionResponse predict(String name, @Nullable String version,
                               HttpServletRequest request) throws IOException;
    @Operation(operationId = "tfServingStatus", summary = "Model status", description = "Every version of the model with its state (LOADING, AVAILABLE, UNLOADING, END; a version that failed to load is END with its error, as TF Serving shows one), highest first; on a version path, that version only.")
    @ApiResponse(responseCode = "200", description = "Status", content = @Content(
            schema = @Schema(implementation = TfServingMetadata.Status.class),
            examples = @ExampleObject(value = TfServingApiDocs.STATUS_EXAMPLE)))
    @ApiResponse(responseCode = "404", description = "No such model or version", content = @Content(
            schema = @Schema(implementation = ErrorStringAdvice.ErrorBody.class),
            examples = @ExampleObject(value = TfServingApiDocs.NOT_FOUND_EXAMPLE)))
    TfServingMetadata.Status status(String name, @Nullable String version);
    @Operation(operationId = "tfServingMetadata", summary = "Model metadata", description = TfServingApiDocs.METADATA_DESCRIPTION)
    @ApiResponse(responseCode = "200", description = "The serving_default signature", content = @Content(
            schema = @Schema(implementation = TfServingMetadata.Metadata.class),
            examples = @ExampleObject(value = TfServingApiDocs.METADATA_EXAMPLE)))
    @ApiResponse(responseCode = "404", description = "No such model or version", content = @Content(
            schema = @Schema(implementation = ErrorStringAdvice.ErrorBody.class),
            examples = @ExampleObject(value = TfServingApiDocs.NOT_FOUND_EXAMPLE)))
    TfServingMetadata.Metadata metadata(String name,
                                        @Nullable String version);
}
