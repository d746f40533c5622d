package io.rnnserving.kserve;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.rnnserving.repository.ModelStatus;
import io.rnnserving.repository.VersionStatus;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/** The documents of the model repository extension (Triton's {@code model_repository}). */
final class KServeRepository {
    private KServeRepository() {
    }

    /** @param ready true: only versions ready for inference */
    @Schema(name = "KServeRepositoryIndexRequest")
    record IndexRequest(@Nullable Boolean ready) {
    }

    /**
     * One model version of the index, in Triton's words: READY, LOADING, UNLOADING, or UNAVAILABLE with a reason
     * (ended, failed to load, or unloaded on request).
     */
    @Schema(name = "KServeRepositoryIndexEntry")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record IndexEntry(String name, @Nullable String version,
                      @Schema(allowableValues = {"READY", "LOADING", "UNLOADING", "UNAVAILABLE"}) String state,
                      String reason) {
    }

    static List<IndexEntry> index(List<ModelStatus> models, boolean onlyReady) {
        List<IndexEntry> entries = new ArrayList<>();
        for (ModelStatus model : models) {
            if (model.versions().isEmpty() && !onlyReady) {
                entries.add(new IndexEntry(model.name(), null, "UNAVAILABLE", "no version to serve"));
            }
            for (VersionStatus version : model.versions()) {
                IndexEntry entry = entry(model.name(), version);
                if (!onlyReady || entry.state().equals("READY")) {
                    entries.add(entry);
                }
            }
        }
        return entries;
    }

    private static IndexEntry entry(String name, VersionStatus version) {
        String number = Long.toString(version.version());
        return switch (version.state()) {
            case AVAILABLE -> new IndexEntry(name, number, "READY", "");
            case LOADING -> new IndexEntry(name, number, "LOADING", "");
            case UNLOADING -> new IndexEntry(name, number, "UNLOADING", "");
            case END -> new IndexEntry(name, number, "UNAVAILABLE", "unloaded");
            case FAILED -> new IndexEntry(name, number, "UNAVAILABLE", String.valueOf(version.reason()));
        };
    }
}
