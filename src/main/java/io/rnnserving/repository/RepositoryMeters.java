package io.rnnserving.repository;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Counts what the repository does to each model: versions loaded, versions that failed to load, versions unloaded. */
final class RepositoryMeters {
    private static final String LOADS = "Model versions loaded and swapped in";
    private static final String FAILURES = "Model versions that could not be served";
    private static final String UNLOADS = "Model versions released once nothing used them";

    private final MeterRegistry registry;

    RepositoryMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    MeterRegistry registry() {
        return registry;
    }

    /** Registers a version's three counters at 0, so that a scrape shows them before anything happens. */
    void attempting(String model, long version) {
        counter("rnn.model.loads", LOADS, model, version);
        counter("rnn.model.load.failures", FAILURES, model, version);
        counter("rnn.model.unloads", UNLOADS, model, version);
    }

    void loaded(String model, long version) {
        counter("rnn.model.loads", LOADS, model, version).increment();
    }

    void failed(String model, long version) {
        counter("rnn.model.load.failures", FAILURES, model, version).increment();
    }

    void unloaded(String model, long version) {
        counter("rnn.model.unloads", UNLOADS, model, version).increment();
    }

    private Counter counter(String name, String description, String model, long version) {
        return Counter.builder(name).description(description)
                .tag("model", model).tag("version", Long.toString(version))
                .register(registry);
    }
}
