package io.rnnserving.predict;

import java.io.IOException;
import java.io.InputStream;

import io.rnnserving.engine.ForwardResult;
import io.rnnserving.repository.ModelRepository;
import io.rnnserving.repository.ModelVersion;
import io.rnnserving.serving.BoundRequest;
import io.rnnserving.serving.RequestBinder;
import io.rnnserving.serving.RequestLimits;
import io.rnnserving.serving.ServedModel;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * POST /predict and the model repository's /models/{name}[/versions/{version}]/predict: the service's own JSON
 * protocol. A request runs entirely on the one model version it leases.
 */
@RestController
class PredictController implements PredictApi {
    private final ModelRepository models;
    private final RequestLimits limits;

    PredictController(ModelRepository models, RequestLimits limits) {
        this.models = models;
        this.limits = limits;
    }

    @Override
    @PostMapping(path = "/predict", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    public PredictResponse predict(HttpServletRequest request) throws IOException {
        try (ModelVersion.Lease lease = models.acquireDefault()) {
            return predict(lease.served(), request);
        }
    }

    @Override
    @PostMapping(path = "/models/{name}/predict", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    public PredictResponse predictModel(@PathVariable String name, HttpServletRequest request) throws IOException {
        try (ModelVersion.Lease lease = models.acquireLatest(name)) {
            return predict(lease.served(), request);
        }
    }

    @Override
    @PostMapping(path = "/models/{name}/versions/{version}/predict", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    public PredictResponse predictModelVersion(@PathVariable String name, @PathVariable String version,
                                               HttpServletRequest request) throws IOException {
        try (ModelVersion.Lease lease = models.acquire(name, version)) {
            return predict(lease.served(), request);
        }
    }

    private PredictResponse predict(ServedModel model, HttpServletRequest request) throws IOException {
        RequestBinder binder = new RequestBinder(model.model(), limits);
        PredictRequest decoded = decode(binder, request);
        BoundRequest bound = binder.bind(decoded.input(), PredictRequestReader.POINTERS);
        ForwardResult result = model.run("predict", bound);
        return PredictResponse.of(result, model.model(), bound.recordStates(), decoded.returnState());
    }

    private PredictRequest decode(RequestBinder binder, HttpServletRequest request) throws IOException {
        limits.checkDeclaredBodySize(request.getContentLengthLong());
        try (InputStream body = request.getInputStream()) {
            return new PredictRequestReader(binder, limits).read(body, request.getContentLengthLong());
        }
    }
}
