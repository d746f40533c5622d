package io.rnnserving.kserve;

import java.util.List;

import io.rnnserving.repository.ModelRepository;
import io.rnnserving.repository.ModelStatus;
import io.rnnserving.request.InvalidRequestException;
import io.rnnserving.request.ProblemKind;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
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
@Tag(name = "kserve", description = "KServe Open Inference Protocol v2 (REST); errors are {\"error\": \"...\"}")
class KServeRepositoryController {
    private final ModelRepository models;

    KServeRepositoryController(ModelRepository models) {
        this.models = models;
    }

    @PostMapping(path = "/v2/repository/index", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "kserveRepositoryIndex", summary = "Repository index",
            description = "Every model version of the repository and its state, in Triton's words.")
    List<KServeRepository.IndexEntry> index(@RequestBody(required = false) KServeRepository.@Nullable IndexRequest request) {
        boolean onlyReady = request != null && Boolean.TRUE.equals(request.ready());
        return KServeRepository.index(models.models(), onlyReady);
    }

    @PostMapping(path = "/v2/repository/models/{name}/load", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "kserveRepositoryLoad", summary = "Load a model",
            description = "Reads the model's versions now (failed ones again too) and serves them by its version "
                    + "policy; after an unload, polling keeps it in step again. Needs the management token.",
            security = @SecurityRequirement(name = "managementToken"))
    ResponseEntity<Void> load(@PathVariable String name) {
        ModelStatus status = models.load(name);
        if (!status.available()) {
            throw new InvalidRequestException(ProblemKind.BAD_REQUEST, null, "failed to load '" + name + "': "
                    + String.join("; ", status.versions().stream()
                    .filter(v -> v.reason() != null).map(v -> "version " + v.version() + ": " + v.reason()).toList()));
        }
        return ResponseEntity.ok().build();
    }

    @PostMapping(path = "/v2/repository/models/{name}/unload", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "kserveRepositoryUnload", summary = "Unload a model",
            description = "Stops serving every version of the model until it is loaded again; requests already "
                    + "running finish on it. Needs the management token.",
            security = @SecurityRequirement(name = "managementToken"))
    ResponseEntity<Void> unload(@PathVariable String name) {
        models.unload(name);
        return ResponseEntity.ok().build();
    }
}
