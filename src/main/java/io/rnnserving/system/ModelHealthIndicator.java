package io.rnnserving.system;

import io.rnnserving.serving.ServedModel;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/** Part of readiness: the model is loaded and passed its self-check forward pass (done when it was created). */
@Component("model")
class ModelHealthIndicator implements HealthIndicator {
    private final ServedModel model;

    ModelHealthIndicator(ServedModel model) {
        this.model = model;
    }

    @Override
    public Health health() {
        return Health.up()
                .withDetail("name", model.model().name())
                .withDetail("parameters", model.model().parameterCount())
                .build();
    }
}
