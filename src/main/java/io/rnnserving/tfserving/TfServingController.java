package io.rnnserving.tfserving;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

import io.rnnserving.engine.ForwardResult;
import io.rnnserving.inference.ServedModel;
import io.rnnserving.repository.ModelNotFoundException;
import io.rnnserving.repository.ModelRepository;
import io.rnnserving.repository.ModelVersion;
import io.rnnserving.repository.VersionStatus;
import io.rnnserving.request.InvalidRequestException;
import io.rnnserving.request.ProblemKind;
import io.rnnserving.request.RequestLimits;
import io.rnnserving.system.ErrorStringAdvice;
import io.rnnserving.tfserving.PredictionRequestReader.PredictionRequest;
import io.swagger.v3.oas.annotations.Hidden;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * TensorFlow Serving's REST API (predict, model status, model metadata) for the served model as version "1", so
 * that a TF Serving client works by changing only the host. Bodies are read whatever their content type, as
 * {@code curl -d} sends none of JSON.
 */
@RestController
@Tag(name = "tfserving", description = "TensorFlow Serving REST API; errors are {\"error\": \"...\"}")
class TfServingController {
    private final ModelRepository models;
    private final RequestLimits limits;

    TfServingController(ModelRepository models, RequestLimits limits) {
        this.models = models;
        this.limits = limits;
    }

    @PostMapping(path = {"/v1/models/{name}:predict", "/v1/models/{name}/versions/{version}:predict"},
            produces = MediaType.APPLICATION_JSON_VALUE)
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
                @ExampleObject(name = "columnar format", value = TfServingApiDocs.OUTPUTS_EXAMPLE)}))
    @ApiResponse(responseCode = "400", description = "The body is not a valid request for this model",
            content = @Content(schema = @Schema(implementation = ErrorStringAdvice.ErrorBody.class),
                    examples = @ExampleObject(value = TfServingApiDocs.BAD_REQUEST_EXAMPLE)))
    @ApiResponse(responseCode = "404", description = "No such model or version", content = @Content(
            schema = @Schema(implementation = ErrorStringAdvice.ErrorBody.class),
            examples = @ExampleObject(value = TfServingApiDocs.NOT_FOUND_EXAMPLE)))
    @ApiResponse(responseCode = "413", description = "The body or the batch is larger than the configured limits",
            content = @Content(schema = @Schema(implementation = ErrorStringAdvice.ErrorBody.class),
                    examples = @ExampleObject(value = TfServingApiDocs.TOO_LARGE_EXAMPLE)))
    PredictionResponse predict(@PathVariable String name, @PathVariable(required = false) @Nullable String version,
                               HttpServletRequest request) throws IOException {
        try (ModelVersion.Lease lease = servable(name, version)) {
            ServedModel model = lease.served();
            limits.checkDeclaredBodySize(request.getContentLengthLong());
            PredictionRequest parsed;
            try (InputStream body = request.getInputStream()) {
                parsed = new PredictionRequestReader(model.model(), limits).read(body);
            }
            ForwardResult result = model.predict("tfserving", parsed.batch(), Map.of(), false);
            return PredictionResponse.of(result, parsed.rows());
        }
    }

    @GetMapping(path = {"/v1/models/{name}", "/v1/models/{name}/versions/{version}"},
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "tfServingStatus", summary = "Model status", description = "Every version of the model with its state (LOADING, AVAILABLE, UNLOADING, END; a version that failed to load is END with its error), highest first; on a version path, that version only.")
    @ApiResponse(responseCode = "200", description = "Status", content = @Content(
            schema = @Schema(implementation = TfServingMetadata.Status.class),
            examples = @ExampleObject(value = TfServingApiDocs.STATUS_EXAMPLE)))
    @ApiResponse(responseCode = "404", description = "No such model or version", content = @Content(
            schema = @Schema(implementation = ErrorStringAdvice.ErrorBody.class),
            examples = @ExampleObject(value = TfServingApiDocs.NOT_FOUND_EXAMPLE)))
    TfServingMetadata.Status status(@PathVariable String name, @PathVariable(required = false) @Nullable String version) {
        try {
            List<VersionStatus> versions = models.model(name).versions();
            if (version != null) {
                versions = versions.stream().filter(v -> Long.toString(v.version()).equals(version)).toList();
                if (versions.isEmpty()) {
                    throw new ModelNotFoundException("model '" + name + "' has no version " + version);
                }
            }
            return TfServingMetadata.status(versions);
        } catch (ModelNotFoundException e) {
            throw servableNotFound(name, version, e);
        }
    }

    @GetMapping(path = {"/v1/models/{name}/metadata", "/v1/models/{name}/versions/{version}/metadata"},
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "tfServingMetadata", summary = "Model metadata", description = TfServingApiDocs.METADATA_DESCRIPTION)
    @ApiResponse(responseCode = "200", description = "The serving_default signature", content = @Content(
            schema = @Schema(implementation = TfServingMetadata.Metadata.class),
            examples = @ExampleObject(value = TfServingApiDocs.METADATA_EXAMPLE)))
    @ApiResponse(responseCode = "404", description = "No such model or version", content = @Content(
            schema = @Schema(implementation = ErrorStringAdvice.ErrorBody.class),
            examples = @ExampleObject(value = TfServingApiDocs.NOT_FOUND_EXAMPLE)))
    TfServingMetadata.Metadata metadata(@PathVariable String name,
                                        @PathVariable(required = false) @Nullable String version) {
        try (ModelVersion.Lease lease = servable(name, version)) {
            return TfServingMetadata.of(name, lease.version(), lease.served().model());
        }
    }

    /** Anything else under /v1 (another verb such as :classify, another path) answers in the protocol's format. */
    @Hidden
    @RequestMapping("/v1/**")
    void unknown(HttpServletRequest request) {
        String path = request.getRequestURI();
        String hint = path.contains(":") ? "; only :predict is served" : "";
        throw new InvalidRequestException(ProblemKind.NOT_FOUND, null,
                "no such endpoint: " + request.getMethod() + " " + path + hint);
    }

    /** The version a request runs on: the one named, else the highest AVAILABLE one. */
    private ModelVersion.Lease servable(String name, @Nullable String version) {
        try {
            return version == null ? models.acquireLatest(name) : models.acquire(name, version);
        } catch (ModelNotFoundException e) {
            throw servableNotFound(name, version, e);
        }
    }

    /** In TF Serving's words, then what is served instead. */
    private static InvalidRequestException servableNotFound(String name, @Nullable String version,
                                                            ModelNotFoundException e) {
        return new InvalidRequestException(ProblemKind.NOT_FOUND, null, "Servable not found for request: "
                + (version == null ? "Latest(" + name + ")" : "Specific(" + name + ", " + version + ")") + "; "
                + e.getMessage());
    }
}
