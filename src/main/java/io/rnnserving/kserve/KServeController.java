package io.rnnserving.kserve;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import io.rnnserving.engine.ForwardResult;
import io.rnnserving.inference.ServedModel;
import io.rnnserving.repository.ModelRepository;
import io.rnnserving.repository.ModelStatus;
import io.rnnserving.repository.ModelVersion;
import io.rnnserving.repository.VersionState;
import io.rnnserving.request.InvalidRequestException;
import io.rnnserving.request.ProblemKind;
import io.rnnserving.request.RequestLimits;
import io.rnnserving.system.ErrorStringAdvice;
import io.swagger.v3.oas.annotations.Hidden;
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
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.core.env.Environment;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * The KServe Open Inference Protocol v2 over REST: health, metadata and infer, each a thin adapter to the served
 * model. Bodies are read whatever their content type, as KServe clients do not all send one; the header
 * Inference-Header-Content-Length marks a body of the binary tensor data extension.
 */
@RestController
@Tag(name = "kserve", description = "KServe Open Inference Protocol v2 (REST); errors are {\"error\": \"...\"}")
class KServeController {
    /** The model repository extension, as Triton names it. */
    static final String MODEL_REPOSITORY_EXTENSION = "model_repository";

    private final ModelRepository models;
    private final RequestLimits limits;
    private final ApplicationAvailability availability;
    private final KServeMetadata.Server server;
    private final JsonMapper json;

    KServeController(ModelRepository models, RequestLimits limits, ApplicationAvailability availability,
                     Environment environment, JsonMapper json) {
        this.models = models;
        this.limits = limits;
        this.availability = availability;
        this.json = json;
        this.server = new KServeMetadata.Server("rnn-serving",
                environment.getProperty("spring.application.version", "unknown"),
                List.of(BinaryTensorData.EXTENSION, MODEL_REPOSITORY_EXTENSION));
    }

    @GetMapping(path = "/v2/health/live", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "kserveLive", summary = "Server liveness", description = "200 while the application is live, else 503.")
    @ApiResponse(responseCode = "200", description = "Live", content = @Content(
            schema = @Schema(implementation = KServeMetadata.Live.class),
            examples = @ExampleObject(value = "{\"live\": true}")))
    @ApiResponse(responseCode = "503", description = "Not live: the application is broken and should be restarted", content = @Content(
            schema = @Schema(implementation = KServeMetadata.Live.class),
            examples = @ExampleObject(value = "{\"live\": false}")))
    @ApiResponse(responseCode = "404", description = "Any other method on this path", content = @Content(
            schema = @Schema(implementation = ErrorStringAdvice.ErrorBody.class),
            examples = @ExampleObject(value = KServeApiDocs.OTHER_METHOD_EXAMPLE)))
    ResponseEntity<KServeMetadata.Live> live() {
        boolean live = availability.getLivenessState() == LivenessState.CORRECT;
        return ResponseEntity.status(live ? 200 : 503).body(new KServeMetadata.Live(live));
    }

    @GetMapping(path = "/v2/health/ready", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "kserveReady", summary = "Server readiness",
            description = "200 when the model is loaded and the application accepts traffic, else 503.")
    @ApiResponse(responseCode = "200", description = "Ready", content = @Content(
            schema = @Schema(implementation = KServeMetadata.Ready.class),
            examples = @ExampleObject(value = "{\"ready\": true}")))
    @ApiResponse(responseCode = "503", description = "Not ready: starting or shutting down", content = @Content(
            schema = @Schema(implementation = KServeMetadata.Ready.class),
            examples = @ExampleObject(value = "{\"ready\": false}")))
    @ApiResponse(responseCode = "404", description = "Any other method on this path", content = @Content(
            schema = @Schema(implementation = ErrorStringAdvice.ErrorBody.class),
            examples = @ExampleObject(value = KServeApiDocs.OTHER_METHOD_EXAMPLE)))
    ResponseEntity<KServeMetadata.Ready> ready() {
        boolean ready = isReady();
        return ResponseEntity.status(ready ? 200 : 503).body(new KServeMetadata.Ready(ready));
    }

    @GetMapping(path = "/v2", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "kserveServerMetadata", summary = "Server metadata",
            description = "The server's name, version and protocol extensions: binary_tensor_data.")
    @ApiResponse(responseCode = "200", description = "Server metadata", content = @Content(
            schema = @Schema(implementation = KServeMetadata.Server.class),
            examples = @ExampleObject(value = KServeApiDocs.SERVER_METADATA_EXAMPLE)))
    @ApiResponse(responseCode = "404", description = "Any other method on this path", content = @Content(
            schema = @Schema(implementation = ErrorStringAdvice.ErrorBody.class),
            examples = @ExampleObject(value = KServeApiDocs.OTHER_METHOD_EXAMPLE)))
    KServeMetadata.Server serverMetadata() {
        return server;
    }

    @GetMapping(path = {"/v2/models/{name}", "/v2/models/{name}/versions/{version}"},
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "kserveModelMetadata", summary = "Model metadata", description = KServeApiDocs.METADATA_DESCRIPTION)
    @ApiResponse(responseCode = "200", description = "The model's input and output tensors", content = @Content(
            schema = @Schema(implementation = KServeMetadata.Model.class),
            examples = @ExampleObject(value = KServeApiDocs.MODEL_METADATA_EXAMPLE)))
    @ApiResponse(responseCode = "404", description = "No model of that name is served", content = @Content(
            schema = @Schema(implementation = ErrorStringAdvice.ErrorBody.class),
            examples = @ExampleObject(value = KServeApiDocs.NOT_FOUND_EXAMPLE)))
    KServeMetadata.Model modelMetadata(@PathVariable String name,
                                       @PathVariable(required = false) @Nullable String version) {
        try (ModelVersion.Lease lease = lease(name, version)) {
            List<String> versions = models.model(name).versions().stream()
                    .filter(v -> v.state() == VersionState.AVAILABLE).map(v -> Long.toString(v.version())).toList();
            return KServeMetadata.of(name, versions, lease.served().model());
        }
    }

    @GetMapping(path = {"/v2/models/{name}/ready", "/v2/models/{name}/versions/{version}/ready"},
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "kserveModelReady", summary = "Model readiness", description = "200 when the model is loaded and can answer, else 503.")
    @ApiResponse(responseCode = "200", description = "Ready", content = @Content(
            schema = @Schema(implementation = KServeMetadata.ModelReady.class),
            examples = @ExampleObject(value = "{\"name\": \"notebook-simple-rnn\", \"ready\": true}")))
    @ApiResponse(responseCode = "404", description = "No model of that name is served", content = @Content(
            schema = @Schema(implementation = ErrorStringAdvice.ErrorBody.class),
            examples = @ExampleObject(value = KServeApiDocs.NOT_FOUND_EXAMPLE)))
    ResponseEntity<KServeMetadata.ModelReady> modelReady(@PathVariable String name,
                                                         @PathVariable(required = false) @Nullable String version) {
        ModelStatus model = models.model(name);
        boolean available = model.versions().stream().anyMatch(v -> v.state() == VersionState.AVAILABLE
                && (version == null || Long.toString(v.version()).equals(version)));
        boolean ready = available && isReady();
        return ResponseEntity.status(ready ? 200 : 503).body(new KServeMetadata.ModelReady(name, ready));
    }

    @PostMapping(path = {"/v2/models/{name}/infer", "/v2/models/{name}/versions/{version}/infer"},
            produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_OCTET_STREAM_VALUE})
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
                    examples = @ExampleObject(name = "binary FP32 x, binary yhat",
                            summary = "The JSON, then 120 bytes: x's 30 float32 values",
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
                    examples = @ExampleObject(name = "binary FP32 x, binary yhat",
                            summary = "The JSON, then 8 bytes: yhat's 2 float32 values",
                            value = KServeApiDocs.BINARY_INFER_RESPONSE_EXAMPLE))})
    @ApiResponse(responseCode = "400", description = "The body is not a valid request for this model",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = ErrorStringAdvice.ErrorBody.class),
                    examples = {
                        @ExampleObject(name = "JSON", value = KServeApiDocs.BAD_REQUEST_EXAMPLE),
                        @ExampleObject(name = "binary", value = KServeApiDocs.BAD_BINARY_REQUEST_EXAMPLE)}))
    @ApiResponse(responseCode = "404", description = "No model of that name is served", content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE,
            schema = @Schema(implementation = ErrorStringAdvice.ErrorBody.class),
            examples = @ExampleObject(value = KServeApiDocs.NOT_FOUND_EXAMPLE)))
    @ApiResponse(responseCode = "413", description = "The body or the batch is larger than the configured limits",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = ErrorStringAdvice.ErrorBody.class),
                    examples = @ExampleObject(value = KServeApiDocs.TOO_LARGE_EXAMPLE)))
    ResponseEntity<?> infer(@PathVariable String name, @PathVariable(required = false) @Nullable String version,
                            HttpServletRequest request) throws IOException {
        try (ModelVersion.Lease lease = lease(name, version)) {
            return infer(lease, request);
        }
    }

    /** The whole request, read to the answer, on the one version leased. */
    private ResponseEntity<?> infer(ModelVersion.Lease lease, HttpServletRequest request) throws IOException {
        ServedModel model = lease.served();
        long contentLength = request.getContentLengthLong();
        limits.checkDeclaredBodySize(contentLength);
        String jsonLength = request.getHeader(BinaryTensorData.HEADER);
        InferRequest parsed;
        try (InputStream body = request.getInputStream()) {
            InferRequestReader reader = new InferRequestReader(model.model(), limits);
            parsed = jsonLength == null ? reader.read(body) : reader.readWithBinaryData(body,
                    BinaryTensorData.jsonLength(jsonLength, contentLength), contentLength);
        }
        ForwardResult result = model.predict("kserve", parsed.batch(), parsed.initialStates(), parsed.needsTrace());
        InferResponse response = InferResponse.of(lease.model(), Long.toString(lease.version()), model.model(), parsed,
                result);
        if (parsed.binaryOutputs().isEmpty()) {
            // set rather than negotiated: the mapping also produces octet-stream, which the JSON is not written as
            return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(response);
        }
        BinaryInferResponse binary = BinaryInferResponse.of(response, parsed.binaryOutputs(), json);
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_OCTET_STREAM)
                .header(BinaryTensorData.HEADER, Integer.toString(binary.jsonLength()))
                .body(binary.body());
    }

    /** Anything else under /v2 answers in the protocol's error format rather than the service's problem+json. */
    @Hidden
    @RequestMapping("/v2/**")
    void unknown(HttpServletRequest request) {
        throw new InvalidRequestException(ProblemKind.NOT_FOUND, null, "no such endpoint: " + request.getMethod()
                + " " + request.getRequestURI());
    }

    private boolean isReady() {
        return availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC && models.ready();
    }

    /** The version a request runs on: the one named, else the highest AVAILABLE one. */
    private ModelVersion.Lease lease(String name, @Nullable String version) {
        return version == null ? models.acquireLatest(name) : models.acquire(name, version);
    }
}
