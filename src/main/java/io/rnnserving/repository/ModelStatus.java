package io.rnnserving.repository;

import java.util.List;

/** A model of the repository and its versions, lowest version first. */
public record ModelStatus(String name, List<VersionStatus> versions) {

    /** Whether some version answers requests. */
    public boolean available() {
        return versions.stream().anyMatch(v -> v.state() == VersionState.AVAILABLE);
    }
}
