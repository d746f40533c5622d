package io.rnnserving.kserve;

import java.util.List;

import io.rnnserving.repository.ModelRepository;
import io.rnnserving.repository.ModelStatus;
import io.rnnserving.problem.InvalidRequestException;
import io.rnnserving.problem.ProblemKind;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The model repository extension: the index of every model version and its state, and load and unload of a model.
 * Load and unload are guarded by the management token (see {@code system.ManagementSecurity}).
 */
@RestController
class KServeRepositoryController implements KServeRepositoryApi {
    private final ModelRepository models;

    KServeRepositoryController(ModelRepository models) {
        this.models = models;
    }

    @Override
    @PostMapping(path = "/v2/repository/index", produces = MediaType.APPLICATION_JSON_VALUE)
    public List<KServeRepository.IndexEntry> index(
            @RequestBody(required = false) KServeRepository.@Nullable IndexRequest request) {
        boolean onlyReady = request != null && Boolean.TRUE.equals(request.ready());
        return KServeRepository.index(models.models(), onlyReady);
    }

    @Override
    @PostMapping(path = "/v2/repository/models/{name}/load", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Void> load(@PathVariable String name) {
        ModelStatus status = models.load(name);
        if (!status.available()) {
            throw new InvalidRequestException(ProblemKind.BAD_REQUEST, null, "failed to load '" + name + "': "
                    + String.join("; ", status.versions().stream()
                    .filter(v -> v.reason() != null).map(v -> "version " + v.version() + ": " + v.reason()).toList()));
        }
        return ResponseEntity.ok().build();
    }

    @Override
    @PostMapping(path = "/v2/repository/models/{name}/unload", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Void> unload(@PathVariable String name) {
        models.unload(name);
        return ResponseEntity.ok().build();
    }
}
