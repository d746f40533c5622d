package io.rnnserving.tfserving;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import io.rnnserving.engine.ForwardResult;
import io.rnnserving.problem.AllowedMethods;
import io.rnnserving.problem.InvalidRequestException;
import io.rnnserving.problem.ProblemKind;
import io.rnnserving.repository.ModelNotFoundException;
import io.rnnserving.repository.ModelRepository;
import io.rnnserving.repository.ModelVersion;
import io.rnnserving.repository.VersionStatus;
import io.rnnserving.serving.BoundRequest;
import io.rnnserving.serving.RequestBinder;
import io.rnnserving.serving.RequestLimits;
import io.rnnserving.serving.ServedModel;
import io.rnnserving.tfserving.PredictionRequestReader.PredictionRequest;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.web.HttpRequestMethodNotSupportedException;
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
class TfServingController implements TfServingApi {
    private final ModelRepository models;
    private final RequestLimits limits;
    private final AllowedMethods allowedMethods;

    TfServingController(ModelRepository models, RequestLimits limits, AllowedMethods allowedMethods) {
        this.models = models;
        this.allowedMethods = allowedMethods;
        this.limits = limits;
    }

    @Override
    @PostMapping(path = {"/v1/models/{name}:predict", "/v1/models/{name}/versions/{version}:predict"},
            produces = MediaType.APPLICATION_JSON_VALUE)
    public PredictionResponse predict(@PathVariable String name,
                                      @PathVariable(required = false) @Nullable String version,
                                      HttpServletRequest request) throws IOException {
        try (ModelVersion.Lease lease = servable(name, version)) {
            ServedModel model = lease.served();
            PredictionRequest decoded = decode(model, request);
            BoundRequest bound = new RequestBinder(model.model(), limits).bind(decoded.input(), decoded.at());
            ForwardResult result = model.run("tfserving", bound);
            return PredictionResponse.of(result, decoded.rows(), model.model().precision());
        }
    }

    @Override
    @GetMapping(path = {"/v1/models/{name:[^:]+}", "/v1/models/{name}/versions/{version:[^:]+}"},
            produces = MediaType.APPLICATION_JSON_VALUE)
    public TfServingMetadata.Status status(@PathVariable String name,
                                           @PathVariable(required = false) @Nullable String version) {
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

    @Override
    @GetMapping(path = {"/v1/models/{name}/metadata", "/v1/models/{name}/versions/{version}/metadata"},
            produces = MediaType.APPLICATION_JSON_VALUE)
    public TfServingMetadata.Metadata metadata(@PathVariable String name,
                                               @PathVariable(required = false) @Nullable String version) {
        try (ModelVersion.Lease lease = servable(name, version)) {
            return TfServingMetadata.of(name, lease.version(), lease.served().model());
        }
    }

    /** Anything else under /v1 (another verb such as :classify, another path) answers in the protocol's format. */
    @Hidden
    @RequestMapping("/v1/**")
    void unknown(HttpServletRequest request) throws HttpRequestMethodNotSupportedException {
        allowedMethods.refuseOtherMethod(request);
        String path = request.getRequestURI();
        String hint = path.contains(":") ? "; only :predict is served" : "";
        throw new InvalidRequestException(ProblemKind.NOT_FOUND, null,
                "no such endpoint: " + request.getMethod() + " " + path + hint);
    }

    private PredictionRequest decode(ServedModel model, HttpServletRequest request) throws IOException {
        limits.checkDeclaredBodySize(request.getContentLengthLong());
        try (InputStream body = request.getInputStream()) {
            return new PredictionRequestReader(model.model().inputFeatures(), model.model().inputPrecision(), limits)
                    .read(body, request.getContentLengthLong());
        }
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
