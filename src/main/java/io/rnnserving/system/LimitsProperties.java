package io.rnnserving.system;

import io.rnnserving.serving.RequestLimits;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/** Request limits ({@code rnn-serving.limits.*}); a request beyond them is refused before any inference. */
@ConfigurationProperties("rnn-serving.limits")
@Validated
public record LimitsProperties(
        @DefaultValue("32MB") DataSize maxBodySize,
        @DefaultValue("4096") @Min(1) int maxSamples,
        @DefaultValue("10000") @Min(1) int maxSteps,
        @DefaultValue("4000000") @Min(1) long maxValues,
        @DefaultValue("32") @Min(4) int maxNestingDepth) {

    public RequestLimits toRequestLimits() {
        return new RequestLimits(maxBodySize.toBytes(), maxSamples, maxSteps, maxValues, maxNestingDepth);
    }
}
