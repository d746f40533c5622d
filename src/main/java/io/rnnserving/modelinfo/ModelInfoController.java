package io.rnnserving.modelinfo;

import io.rnnserving.repository.ModelRepository;
import io.rnnserving.repository.ModelVersion;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * GET /model and the repository's /models: each served model as Keras' {@code model.summary()} shows it, and every
 * model with the state of each version.
 */
@RestController
class ModelInfoController implements ModelInfoApi {
    private final ModelRepository models;

    ModelInfoController(ModelRepository models) {
        this.models = models;
    }

    @Override
    @GetMapping(path = "/model", produces = MediaType.APPLICATION_JSON_VALUE)
    public ModelSummary model() {
        try (ModelVersion.Lease lease = models.acquireDefault()) {
            return ModelSummary.of(lease.model(), lease.served().loaded(), null);
        }
    }

    @Override
    @GetMapping(path = "/models", produces = MediaType.APPLICATION_JSON_VALUE)
    public ModelsDocument models() {
        return ModelsDocument.of(models.models());
    }

    @Override
    @GetMapping(path = "/models/{name}", produces = MediaType.APPLICATION_JSON_VALUE)
    public ModelSummary model(@PathVariable String name) {
        try (ModelVersion.Lease lease = models.acquireLatest(name)) {
            return ModelSummary.of(lease.model(), lease.served().loaded(), lease.version());
        }
    }

    @Override
    @GetMapping(path = "/models/{name}/versions/{version}", produces = MediaType.APPLICATION_JSON_VALUE)
    public ModelSummary model(@PathVariable String name, @PathVariable String version) {
        try (ModelVersion.Lease lease = models.acquire(name, version)) {
            return ModelSummary.of(lease.model(), lease.served().loaded(), lease.version());
        }
    }
}
