package io.rnnserving.system;

import io.rnnserving.repository.ModelRepository;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/** Part of readiness: every model of the repository has a version that loaded and passed its self-check. */
@Component("model")
class ModelHealthIndicator implements HealthIndicator {
    private final ModelRepository repository;

    ModelHealthIndicator(ModelRepository repository) {
        this.repository = repository;
    }

    @Override
    public Health health() {
        return (repository.ready() ? Health.up() : Health.outOfService())
                .withDetail("models", repository.models())
                .build();
    }
}
