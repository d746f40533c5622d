package io.rnnserving.repository;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Counts what the repository does to each model: versions loaded, versions that failed to load, versions unloaded. */
final class RepositoryMeters {
    private final MeterRegistry registry;

    RepositoryMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    MeterRegistry registry() {
        return registry;
    }

    void loaded(String model, long version) {
        counter("rnn.model.loads", "Model versions loaded and swapped in", model, version).increment();
    }

    void failed(String model, long version) {
        counter("rnn.model.load.failures", "Model versions that could not be served", model, version).increment();
    }

    void unloaded(String model, long version) {
        counter("rnn.model.unloads", "Model versions released once nothing used them", model, version).increment();
    }

    private Counter counter(String name, String description, String model, long version) {
        return Counter.builder(name).description(description)
                .tag("model", model).tag("version", Long.toString(version))
                .register(registry);
    }
}
