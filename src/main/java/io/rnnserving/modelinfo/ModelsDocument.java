package io.rnnserving.modelinfo;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.rnnserving.repository.ModelStatus;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/** GET /models: every model of the repository and the state of each of its versions. */
record ModelsDocument(List<Model> models) {

    @Schema(name = "RepositoryModel")
    record Model(String name, List<Version> versions) {
    }

    @Schema(name = "RepositoryModelVersion")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Version(long version,
                   @Schema(allowableValues = {"LOADING", "AVAILABLE", "UNLOADING", "END", "FAILED"}) String state,
                   @Schema(description = "Why the version FAILED, in one line; absent otherwise") @Nullable String reason) {
    }

    static ModelsDocument of(List<ModelStatus> models) {
        return new ModelsDocument(models.stream().map(model -> new Model(model.name(), model.versions().stream()
                .map(v -> new Version(v.version(), v.state().name(), v.reason())).toList())).toList());
    }
}
