package io.rnnserving.tfserving;

import java.io.IOException;
import java.io.InputStream;

import io.rnnserving.engine.ForwardResult;
import io.rnnserving.problem.AllowedMethods;
import io.rnnserving.problem.InvalidRequestException;
import io.rnnserving.problem.ProblemKind;
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
    private final ServedModel model;
    private final RequestBinder binder;
    private final RequestLimits limits;
    private final PredictionRequestReader reader;
    private final TfServingMetadata.Metadata metadata;
    private final AllowedMethods allowedMethods;

    TfServingController(ServedModel model, RequestBinder binder, RequestLimits limits, AllowedMethods allowedMethods) {
        this.allowedMethods = allowedMethods;
        this.model = model;
        this.binder = binder;
        this.limits = limits;
        this.reader = new PredictionRequestReader(model.model().inputFeatures(), limits);
        this.metadata = TfServingMetadata.of(model.model());
    }

    @Override
    @PostMapping(path = {"/v1/models/{name}:predict", "/v1/models/{name}/versions/{version}:predict"},
            produces = MediaType.APPLICATION_JSON_VALUE)
    public PredictionResponse predict(@PathVariable String name,
                                      @PathVariable(required = false) @Nullable String version,
                                      HttpServletRequest request) throws IOException {
        requireServable(name, version);
        PredictionRequest decoded = decode(request);
        BoundRequest bound = binder.bind(decoded.input(), decoded.at());
        ForwardResult result = model.run("tfserving", bound);
        return PredictionResponse.of(result, decoded.rows());
    }

    @Override
    @GetMapping(path = {"/v1/models/{name:[^:]+}", "/v1/models/{name}/versions/{version:[^:]+}"},
            produces = MediaType.APPLICATION_JSON_VALUE)
    public TfServingMetadata.Status status(@PathVariable String name,
                                           @PathVariable(required = false) @Nullable String version) {
        requireServable(name, version);
        return TfServingMetadata.available();
    }

    @Override
    @GetMapping(path = {"/v1/models/{name}/metadata", "/v1/models/{name}/versions/{version}/metadata"},
            produces = MediaType.APPLICATION_JSON_VALUE)
    public TfServingMetadata.Metadata metadata(@PathVariable String name,
                                               @PathVariable(required = false) @Nullable String version) {
        requireServable(name, version);
        return metadata;
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

    private PredictionRequest decode(HttpServletRequest request) throws IOException {
        limits.checkDeclaredBodySize(request.getContentLengthLong());
        try (InputStream body = request.getInputStream()) {
            return reader.read(body);
        }
    }

    private void requireServable(String name, @Nullable String version) {
        if (!name.equals(model.model().name())) {
            throw new InvalidRequestException(ProblemKind.NOT_FOUND, null, "Servable not found for request: "
                    + (version == null ? "Latest(" + name + ")" : "Specific(" + name + ", " + version + ")")
                    + "; the served model is '" + model.model().name() + "'");
        }
        if (version != null && !version.equals(TfServingMetadata.VERSION)) {
            throw new InvalidRequestException(ProblemKind.NOT_FOUND, null, "Servable not found for request: Specific("
                    + name + ", " + version + "); the served version is " + TfServingMetadata.VERSION);
        }
    }
}
