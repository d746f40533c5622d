package io.rnnserving.system;

import java.time.Duration;

import io.rnnserving.serving.MemoryBudget;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Admission by memory ({@code rnn-serving.admission.*}): the share of the maximum heap that the working memory of
 * requests in progress may take (or a fixed budget instead), and how long a request waits for its share before a 503.
 */
@ConfigurationProperties("rnn-serving.admission")
@Validated
public record AdmissionProperties(
        @DefaultValue("0.5") @DecimalMin("0.05") @DecimalMax("0.9") double heapShare,
        @DefaultValue("5s") Duration maxWait,
        @Nullable DataSize budget) {

    public MemoryBudget toBudget() {
        return new MemoryBudget(budget != null ? budget.toBytes()
                : (long) (Runtime.getRuntime().maxMemory() * heapShare), maxWait);
    }
}
