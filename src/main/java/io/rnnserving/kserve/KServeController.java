package io.rnnserving.kserve;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import io.rnnserving.engine.ForwardResult;
import io.rnnserving.serving.ServedModel;
import io.rnnserving.problem.AllowedMethods;
import io.rnnserving.problem.InvalidRequestException;
import io.rnnserving.problem.ProblemKind;
import io.rnnserving.repository.ModelRepository;
import io.rnnserving.repository.ModelNotFoundException;
import io.rnnserving.repository.ModelVersion;
import io.rnnserving.repository.VersionState;
import io.rnnserving.repository.VersionStatus;
import io.rnnserving.serving.BoundRequest;
import io.rnnserving.serving.RequestBinder;
import io.rnnserving.serving.RequestLimits;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
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
    /** The model repository extension, as Triton names it. */
    static final String MODEL_REPOSITORY_EXTENSION = "model_repository";

    private final ModelRepository models;
    private final RequestLimits limits;
    private final InferResponseWriter writer;
    private final ApplicationAvailability availability;
    private final KServeMetadata.Server server;
    private final AllowedMethods allowedMethods;

    KServeController(ModelRepository models, RequestLimits limits, InferResponseWriter writer,
                     ApplicationAvailability availability, Environment environment, AllowedMethods allowedMethods) {
        this.models = models;
        this.allowedMethods = allowedMethods;
        this.limits = limits;
        this.writer = writer;
        this.availability = availability;
        this.server = new KServeMetadata.Server("rnn-serving",
                environment.getProperty("spring.application.version", "unknown"),
                List.of(BinaryTensorData.EXTENSION, MODEL_REPOSITORY_EXTENSION));
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
    @GetMapping(path = {"/v2/models/{name}", "/v2/models/{name}/versions/{version}"},
            produces = MediaType.APPLICATION_JSON_VALUE)
    public KServeMetadata.Model modelMetadata(@PathVariable String name,
                                              @PathVariable(required = false) @Nullable String version) {
        try (ModelVersion.Lease lease = lease(name, version)) {
            List<String> versions = models.model(name).versions().stream()
                    .filter(v -> v.state() == VersionState.AVAILABLE).map(v -> Long.toString(v.version())).toList();
            return KServeMetadata.of(name, versions, lease.served().model());
        }
    }

    @Override
    @GetMapping(path = {"/v2/models/{name}/ready", "/v2/models/{name}/versions/{version}/ready"},
            produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<KServeMetadata.ModelReady> modelReady(@PathVariable String name,
                                                                @PathVariable(required = false) @Nullable String version) {
        List<VersionStatus> versions = models.model(name).versions();
        if (version != null && versions.stream().noneMatch(v -> Long.toString(v.version()).equals(version))) {
            // not ready would say it may become ready: a version the model never had is not found
            throw new ModelNotFoundException("model '" + name + "' has no version '" + version + "'");
        }
        boolean available = versions.stream().anyMatch(v -> v.state() == VersionState.AVAILABLE
                && (version == null || Long.toString(v.version()).equals(version)));
        boolean ready = available && isReady();
        return ResponseEntity.status(ready ? 200 : 503).body(new KServeMetadata.ModelReady(name, ready));
    }

    @Override
    @PostMapping(path = {"/v2/models/{name}/infer", "/v2/models/{name}/versions/{version}/infer"},
            produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_OCTET_STREAM_VALUE})
    public ResponseEntity<?> infer(@PathVariable String name, @PathVariable(required = false) @Nullable String version,
                                   HttpServletRequest request) throws IOException {
        try (ModelVersion.Lease lease = lease(name, version)) {
            ServedModel model = lease.served();
            InferRequest decoded = decode(model, name, lease.version(), request);
            BoundRequest bound = new RequestBinder(model.model(), limits).bind(decoded.input(), decoded.at());
            ForwardResult result = model.run("kserve", bound);
            return writer.write(name, lease.version(), model.model(), decoded, result);
        }
    }

    private InferRequest decode(ServedModel model, String name, long version, HttpServletRequest request)
            throws IOException {
        long contentLength = request.getContentLengthLong();
        limits.checkDeclaredBodySize(contentLength);
        String jsonLength = request.getHeader(BinaryTensorData.HEADER);
        InferRequestReader reader = new InferRequestReader(model.model(), limits, name, Long.toString(version));
        try (InputStream body = request.getInputStream()) {
            return jsonLength == null ? reader.read(body, contentLength) : reader.readWithBinaryData(body,
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
        return availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC && models.ready();
    }

    /** The version a request runs on: the one named, else the highest AVAILABLE one. */
    private ModelVersion.Lease lease(String name, @Nullable String version) {
        return version == null ? models.acquireLatest(name) : models.acquire(name, version);
    }
}
