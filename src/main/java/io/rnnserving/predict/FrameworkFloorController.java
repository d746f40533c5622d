package io.rnnserving.predict;

import java.io.IOException;
import java.io.InputStream;

import io.rnnserving.repository.ModelRepository;
import io.rnnserving.repository.ModelVersion;
import io.rnnserving.serving.RequestBinder;
import io.rnnserving.serving.RequestLimits;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * POST /bench/floor: reads a /predict body exactly as /predict does, skips the model and answers a constant.
 * What Spring and the JSON layer cost before inference, for bench/run.sh; off unless
 * {@code rnn-serving.bench.floor-endpoint=true}.
 */
@Hidden
@RestController
@ConditionalOnProperty(name = "rnn-serving.bench.floor-endpoint", havingValue = "true")
class FrameworkFloorController {
    private static final String CONSTANT = "{\"yhat\":[[0.0]]}";

    private final ModelRepository models;
    private final RequestLimits limits;

    FrameworkFloorController(ModelRepository models, RequestLimits limits) {
        this.models = models;
        this.limits = limits;
    }

    @PostMapping(path = "/bench/floor", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    String floor(HttpServletRequest request) throws IOException {
        try (ModelVersion.Lease lease = models.acquireDefault(); InputStream body = request.getInputStream()) {
            RequestBinder binder = new RequestBinder(lease.served().model(), limits);
            binder.bind(new PredictRequestReader(binder, limits).read(body, request.getContentLengthLong()).input(),
                    PredictRequestReader.POINTERS);
        }
        return CONSTANT;
    }
}
