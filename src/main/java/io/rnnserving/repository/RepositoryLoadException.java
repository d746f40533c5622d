package io.rnnserving.repository;

import java.util.List;

import io.rnnserving.loading.ModelLoadException;

/** At startup, some model of the repository has no version that loads: one line per failure. */
public class RepositoryLoadException extends ModelLoadException {
    private final String location;
    private final List<String> failures;

    public RepositoryLoadException(String location, List<String> failures) {
        super(location + ": " + String.join("; ", failures));
        this.location = location;
        this.failures = List.copyOf(failures);
    }

    public String location() {
        return location;
    }

    /** One line each: the model, the version and why it cannot be served. */
    public List<String> failures() {
        return failures;
    }
}
