package io.rnnserving.predict;

import java.io.IOException;
import java.io.InputStream;

import io.rnnserving.engine.ForwardResult;
import io.rnnserving.serving.BoundRequest;
import io.rnnserving.serving.RequestBinder;
import io.rnnserving.serving.RequestLimits;
import io.rnnserving.serving.ServedModel;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** POST /predict: the service's own JSON protocol. */
@RestController
class PredictController implements PredictApi {
    private final ServedModel model;
    private final RequestBinder binder;
    private final RequestLimits limits;
    private final PredictRequestReader reader;

    PredictController(ServedModel model, RequestBinder binder, RequestLimits limits) {
        this.model = model;
        this.binder = binder;
        this.limits = limits;
        this.reader = new PredictRequestReader(binder, limits);
    }

    @Override
    @PostMapping(path = "/predict", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    public PredictResponse predict(HttpServletRequest request) throws IOException {
        PredictRequest decoded = decode(request);
        BoundRequest bound = binder.bind(decoded.input(), PredictRequestReader.POINTERS);
        ForwardResult result = model.run("predict", bound);
        return PredictResponse.of(result, model.model(), bound.recordStates(), decoded.returnState());
    }

    private PredictRequest decode(HttpServletRequest request) throws IOException {
        limits.checkDeclaredBodySize(request.getContentLengthLong());
        try (InputStream body = request.getInputStream()) {
            return reader.read(body);
        }
    }
}
