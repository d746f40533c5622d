package io.rnnserving.kserve;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import io.rnnserving.engine.ForwardResult;
import io.rnnserving.serving.ServedModel;
import io.rnnserving.problem.AllowedMethods;
import io.rnnserving.problem.InvalidRequestException;
import io.rnnserving.problem.ProblemKind;
import io.rnnserving.serving.BoundRequest;
import io.rnnserving.serving.RequestBinder;
import io.rnnserving.serving.RequestLimits;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.core.env.Environment;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The KServe Open Inference Protocol v2 over REST: health, metadata and infer, each a thin adapter to the served
 * model. Bodies are read whatever their content type, as KServe clients do not all send one; the header
 * Inference-Header-Content-Length marks a body of the binary tensor data extension.
 */
@RestController
class KServeController implements KServeApi {
    private final ServedModel model;
    private final RequestBinder binder;
    private final RequestLimits limits;
    private final InferRequestReader reader;
    private final InferResponseWriter writer;
    private final ApplicationAvailability availability;
    private final KServeMetadata.Server server;
    private final KServeMetadata.Model metadata;
    private final AllowedMethods allowedMethods;

    KServeController(ServedModel model, RequestBinder binder, RequestLimits limits, InferResponseWriter writer,
                     ApplicationAvailability availability, Environment environment, AllowedMethods allowedMethods) {
        this.allowedMethods = allowedMethods;
        this.model = model;
        this.binder = binder;
        this.limits = limits;
        this.reader = new InferRequestReader(model.model(), limits);
        this.writer = writer;
        this.availability = availability;
        this.server = new KServeMetadata.Server("rnn-serving",
                environment.getProperty("spring.application.version", "unknown"),
                List.of(BinaryTensorData.EXTENSION));
        this.metadata = KServeMetadata.of(model.model());
    }

    @Override
    @GetMapping(path = "/v2/health/live", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<KServeMetadata.Live> live() {
        boolean live = availability.getLivenessState() == LivenessState.CORRECT;
        return ResponseEntity.status(live ? 200 : 503).body(new KServeMetadata.Live(live));
    }

    @Override
    @GetMapping(path = "/v2/health/ready", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<KServeMetadata.Ready> ready() {
        boolean ready = isReady();
        return ResponseEntity.status(ready ? 200 : 503).body(new KServeMetadata.Ready(ready));
    }

    @Override
    @GetMapping(path = "/v2", produces = MediaType.APPLICATION_JSON_VALUE)
    public KServeMetadata.Server serverMetadata() {
        return server;
    }

    @Override
    @GetMapping(path = "/v2/models/{name}", produces = MediaType.APPLICATION_JSON_VALUE)
    public KServeMetadata.Model modelMetadata(@PathVariable String name) {
        requireModel(name);
        return metadata;
    }

    @Override
    @GetMapping(path = "/v2/models/{name}/ready", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<KServeMetadata.ModelReady> modelReady(@PathVariable String name) {
        requireModel(name);
        boolean ready = isReady();
        return ResponseEntity.status(ready ? 200 : 503).body(new KServeMetadata.ModelReady(name, ready));
    }

    @Override
    @PostMapping(path = "/v2/models/{name}/infer",
            produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_OCTET_STREAM_VALUE})
    public ResponseEntity<?> infer(@PathVariable String name, HttpServletRequest request) throws IOException {
        requireModel(name);
        InferRequest decoded = decode(request);
        BoundRequest bound = binder.bind(decoded.input(), decoded.at());
        ForwardResult result = model.run("kserve", bound);
        return writer.write(model.model(), decoded, result);
    }

    private InferRequest decode(HttpServletRequest request) throws IOException {
        long contentLength = request.getContentLengthLong();
        limits.checkDeclaredBodySize(contentLength);
        String jsonLength = request.getHeader(BinaryTensorData.HEADER);
        try (InputStream body = request.getInputStream()) {
            return jsonLength == null ? reader.read(body) : reader.readWithBinaryData(body,
                    BinaryTensorData.jsonLength(jsonLength, contentLength), contentLength);
        }
    }

    /** Anything else under /v2 answers in the protocol's error format rather than the service's problem+json. */
    @Hidden
    @RequestMapping("/v2/**")
    void unknown(HttpServletRequest request) throws HttpRequestMethodNotSupportedException {
        allowedMethods.refuseOtherMethod(request);
        throw new InvalidRequestException(ProblemKind.NOT_FOUND, null, "no such endpoint: " + request.getMethod()
                + " " + request.getRequestURI());
    }

    private boolean isReady() {
        return availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC;
    }

    private void requireModel(String name) {
        if (!name.equals(model.model().name())) {
            throw new InvalidRequestException(ProblemKind.NOT_FOUND, null,
                    "model '" + name + "' is not served here; the served model is '" + model.model().name() + "'");
        }
    }
}
