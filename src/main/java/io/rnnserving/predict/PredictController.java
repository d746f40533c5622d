package io.rnnserving.predict;

import java.io.IOException;
import java.io.InputStream;

import io.rnnserving.engine.ForwardResult;
import io.rnnserving.inference.ServedModel;
import io.rnnserving.repository.ModelRepository;
import io.rnnserving.repository.ModelVersion;
import io.rnnserving.request.ProblemDocument;
import io.rnnserving.request.RequestLimits;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** POST /predict: the service's own JSON protocol. */
@RestController
@Tag(name = "predict", description = "The service's own JSON protocol")
class PredictController {
    private final ModelRepository models;
    private final RequestLimits limits;

    PredictController(ModelRepository models, RequestLimits limits) {
        this.models = models;
        this.limits = limits;
    }

    @PostMapping(path = "/predict", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "predict", summary = "Predict a batch of sequences", description = PredictApiDocs.DESCRIPTION,
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
                    mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = PredictApiDocs.PredictRequestDocument.class),
                    // the spec sorts keys and Swagger UI prefills the first example: "one sequence" must sort first
                    examples = {
                        @ExampleObject(name = "one sequence", value = PredictApiDocs.REQUEST_EXAMPLE),
                        @ExampleObject(name = "trace and state", value = PredictApiDocs.REQUEST_TRACE_EXAMPLE),
                        @ExampleObject(name = "streaming: the next chunk", value = PredictApiDocs.REQUEST_STREAM_EXAMPLE)})))
    @ApiResponse(responseCode = "200", description = "The model's outputs", content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = PredictResponse.class),
            examples = {
                @ExampleObject(name = "one sequence", value = PredictApiDocs.RESPONSE_EXAMPLE),
                @ExampleObject(name = "trace and state", value = PredictApiDocs.RESPONSE_TRACE_EXAMPLE),
                @ExampleObject(name = "streaming: the next chunk", value = PredictApiDocs.RESPONSE_STREAM_EXAMPLE)}))
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
    @ApiResponse(responseCode = "413", description = "The body or the batch is larger than the configured limits",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDocument.class),
                    examples = @ExampleObject(name = "too many samples", value = PredictApiDocs.BATCH_TOO_LARGE_EXAMPLE)))
    @ApiResponse(responseCode = "415", description = "The body is not application/json",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDocument.class),
                    examples = @ExampleObject(name = "not JSON",
                            value = PredictApiDocs.UNSUPPORTED_MEDIA_TYPE_EXAMPLE)))
    @ApiResponse(responseCode = "500", description = "The service failed; the error is logged",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDocument.class),
                    examples = @ExampleObject(name = "internal error", value = PredictApiDocs.INTERNAL_ERROR_EXAMPLE)))
    PredictResponse predict(HttpServletRequest request) throws IOException {
        try (ModelVersion.Lease lease = models.acquireDefault()) {
            return predict(lease, request);
        }
    }

    @PostMapping(path = "/models/{name}/predict", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "predictModel", summary = "Predict with a model's highest AVAILABLE version")
    PredictResponse predictModel(@PathVariable String name, HttpServletRequest request) throws IOException {
        try (ModelVersion.Lease lease = models.acquireLatest(name)) {
            return predict(lease, request);
        }
    }

    @PostMapping(path = "/models/{name}/versions/{version}/predict", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "predictModelVersion", summary = "Predict with one version of a model")
    PredictResponse predictModelVersion(@PathVariable String name, @PathVariable String version,
                                        HttpServletRequest request) throws IOException {
        try (ModelVersion.Lease lease = models.acquire(name, version)) {
            return predict(lease, request);
        }
    }

    /** The whole request, read to the answer, on the one version leased. */
    private PredictResponse predict(ModelVersion.Lease lease, HttpServletRequest request) throws IOException {
        limits.checkDeclaredBodySize(request.getContentLengthLong());
        ServedModel model = lease.served();
        PredictRequest parsed;
        try (InputStream body = request.getInputStream()) {
            parsed = new PredictRequestReader(model.model(), limits).read(body);
        }
        ForwardResult result = model.predict("predict", parsed.batch(), parsed.initialStates(), parsed.trace());
        return PredictResponse.of(result, model.model(), parsed.trace(), parsed.returnState());
    }
}
