package io.rnnserving.kserve;

import java.io.IOException;

import io.rnnserving.problem.ErrorStringAdvice;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
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
import org.springframework.http.ResponseEntity;

/** The OpenAPI description of the KServe v2 endpoints, kept apart so that the controller reads as what it does. */
@Tag(name = "kserve", description = "KServe Open Inference Protocol v2 (REST); errors are {\"error\": \"...\"}")
interface KServeApi {

    @Operation(operationId = "kserveLive", summary = "Server liveness", description = "200 while the application is live, else 503.")
    @ApiResponse(responseCode = "200", description = "Live", content = @Content(
            schema = @Schema(implementation = KServeMetadata.Live.class),
            examples = @ExampleObject(value = "{\"live\": true}")))
    @ApiResponse(responseCode = "503", description = "Not live: the application is broken and should be restarted", content = @Content(
            schema = @Schema(implementation = KServeMetadata.Live.class),
            examples = @ExampleObject(value = "{\"live\": false}")))
    @ApiResponse(responseCode = "405", description = "Any other method on this path; Allow lists the methods", content = @Content(
            schema = @Schema(implementation = ErrorStringAdvice.ErrorBody.class),
            examples = @ExampleObject(value = KServeApiDocs.OTHER_METHOD_EXAMPLE)))
    ResponseEntity<KServeMetadata.Live> live();

    @Operation(operationId = "kserveReady", summary = "Server readiness",
            description = "200 when the model is loaded and the application accepts traffic, else 503.")
    @ApiResponse(responseCode = "200", description = "Ready", content = @Content(
            schema = @Schema(implementation = KServeMetadata.Ready.class),
            examples = @ExampleObject(value = "{\"ready\": true}")))
    @ApiResponse(responseCode = "503", description = "Not ready: starting or shutting down", content = @Content(
            schema = @Schema(implementation = KServeMetadata.Ready.class),
            examples = @ExampleObject(value = "{\"ready\": false}")))
    @ApiResponse(responseCode = "405", description = "Any other method on this path; Allow lists the methods", content = @Content(
            schema = @Schema(implementation = ErrorStringAdvice.ErrorBody.class),
            examples = @ExampleObject(value = KServeApiDocs.OTHER_METHOD_EXAMPLE)))
    ResponseEntity<KServeMetadata.Ready> ready();

    @Operation(operationId = "kserveServerMetadata", summary = "Server metadata",
            description = "The server's name, version and protocol extensions: binary_tensor_data and model_repository.")
    @ApiResponse(responseCode = "200", description = "Server metadata", content = @Content(
            schema = @Schema(implementation = KServeMetadata.Server.class),
            examples = @ExampleObject(value = KServeApiDocs.SERVER_METADATA_EXAMPLE)))
    @ApiResponse(responseCode = "405", description = "Any other method on this path; Allow lists the methods", content = @Content(
            schema = @Schema(implementation = ErrorStringAdvice.ErrorBody.class),
            examples = @ExampleObject(value = KServeApiDocs.OTHER_METHOD_EXAMPLE)))
    KServeMetadata.Server serverMetadata();

    @Operation(operationId = "kserveModelMetadata", summary = "Model metadata", description = KServeApiDocs.METADATA_DESCRIPTION)
    @ApiResponse(responseCode = "200", description = "The model's input and output tensors", content = @Content(
            schema = @Schema(implementation = KServeMetadata.Model.class),
            examples = @ExampleObject(value = KServeApiDocs.MODEL_METADATA_EXAMPLE)))
    @ApiResponse(responseCode = "404", description = "No model of that name, or no such AVAILABLE version, is served", content = @Content(
            schema = @Schema(implementation = ErrorStringAdvice.ErrorBody.class),
            examples = @ExampleObject(value = KServeApiDocs.NOT_FOUND_EXAMPLE)))
    KServeMetadata.Model modelMetadata(String name, @Nullable String version);

    @Operation(operationId = "kserveModelReady", summary = "Model readiness", description = "200 when the model (on a version path, that version) is AVAILABLE and the server ready, else 503; 404 for a model or version it never had.")
    @ApiResponse(responseCode = "200", description = "Ready", content = @Content(
            schema = @Schema(implementation = KServeMetadata.ModelReady.class),
            examples = @ExampleObject(value = "{\"name\": \"notebook-simple-rnn\", \"ready\": true}")))
    @ApiResponse(responseCode = "404", description = "No model of that name, or no such AVAILABLE version, is served", content = @Content(
            schema = @Schema(implementation = ErrorStringAdvice.ErrorBody.class),
            examples = @ExampleObject(value = KServeApiDocs.NOT_FOUND_EXAMPLE)))
    @ApiResponse(responseCode = "503", description = "The model (or that version) is not AVAILABLE yet or any more, "
            + "or the server is not ready", content = @Content(
            schema = @Schema(implementation = KServeMetadata.ModelReady.class),
            examples = @ExampleObject(value = "{\"name\": \"notebook-simple-rnn\", \"ready\": false}")))
    ResponseEntity<KServeMetadata.ModelReady> modelReady(String name, @Nullable String version);

    @Operation(operationId = "kserveInfer", summary = "Infer", description = KServeApiDocs.INFER_DESCRIPTION,
            parameters = @Parameter(in = ParameterIn.HEADER, name = BinaryTensorData.HEADER, required = false,
                    description = KServeApiDocs.HEADER_DESCRIPTION, example = "160",
                    schema = @Schema(types = "integer", format = "int64", minimum = "0")),
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = {
                @Content(
                    mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = KServeApiDocs.InferRequestDocument.class),
                    examples = {
                        @ExampleObject(name = "flat FP32", value = KServeApiDocs.INFER_EXAMPLE),
                        @ExampleObject(name = "nested FP64, h0, lengths, state",
                                value = KServeApiDocs.INFER_STATE_EXAMPLE)}),
                @Content(
                    mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE,
                    schema = @Schema(types = "string", format = "binary",
                            description = KServeApiDocs.BINARY_BODY_DESCRIPTION),
                    examples = @ExampleObject(name = "binary yhat",
                            summary = "All JSON, yhat asked as binary data (inputs as bytes after the JSON need the "
                                    + "header)",
                            value = KServeApiDocs.BINARY_INFER_EXAMPLE))}))
    @ApiResponse(responseCode = "200", description = KServeApiDocs.INFER_RESPONSE_DESCRIPTION,
            headers = @Header(name = BinaryTensorData.HEADER, description = "With application/octet-stream only: "
                    + "the length in bytes of the JSON at the start of the body",
                    schema = @Schema(types = "integer", format = "int64")),
            content = {
                @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = InferResponse.class),
                    examples = {
                        @ExampleObject(name = "flat FP32", value = KServeApiDocs.INFER_RESPONSE_EXAMPLE),
                        @ExampleObject(name = "nested FP64, h0, lengths, state",
                                value = KServeApiDocs.INFER_STATE_RESPONSE_EXAMPLE)}),
                @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE,
                    schema = @Schema(types = "string", format = "binary",
                            description = KServeApiDocs.BINARY_RESPONSE_DESCRIPTION),
                    examples = @ExampleObject(name = "binary yhat",
                            summary = "The JSON, then 8 bytes: yhat's 2 float32 values",
                            value = KServeApiDocs.BINARY_INFER_RESPONSE_EXAMPLE))})
    @ApiResponse(responseCode = "400", description = "The body is not a valid request for this model",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = ErrorStringAdvice.ErrorBody.class),
                    examples = {
                        @ExampleObject(name = "JSON", value = KServeApiDocs.BAD_REQUEST_EXAMPLE),
                        @ExampleObject(name = "binary", value = KServeApiDocs.BAD_BINARY_REQUEST_EXAMPLE)}))
    @ApiResponse(responseCode = "404", description = "No model of that name, or no such AVAILABLE version, is served", content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE,
            schema = @Schema(implementation = ErrorStringAdvice.ErrorBody.class),
            examples = @ExampleObject(value = KServeApiDocs.NOT_FOUND_EXAMPLE)))
    @ApiResponse(responseCode = "413", description = KServeApiDocs.TOO_LARGE_DESCRIPTION,
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = ErrorStringAdvice.ErrorBody.class),
                    examples = {
                        @ExampleObject(name = "too many samples", value = KServeApiDocs.TOO_LARGE_EXAMPLE),
                        @ExampleObject(name = "too large for the memory budget",
                                value = KServeApiDocs.MEMORY_TOO_LARGE_EXAMPLE)}))
    @ApiResponse(responseCode = "503", description = KServeApiDocs.BUSY_DESCRIPTION,
            headers = @Header(name = HttpHeaders.RETRY_AFTER, description = "Seconds to wait before trying again",
                    schema = @Schema(types = "integer")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = ErrorStringAdvice.ErrorBody.class),
                    examples = {
                        @ExampleObject(name = "memory budget busy", value = KServeApiDocs.MEMORY_BUSY_EXAMPLE),
                        @ExampleObject(name = "queue timeout", value = KServeApiDocs.QUEUE_TIMEOUT_EXAMPLE)}))
    ResponseEntity<?> infer(String name, @Nullable String version, HttpServletRequest request) throws IOException;
}
