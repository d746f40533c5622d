package io.rnnserving.system;

import java.time.Duration;

import io.rnnserving.serving.BatchingSettings;
import jakarta.validation.constraints.Min;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Dynamic batching ({@code rnn-serving.batching.*}): concurrent requests for a model coalesced into one engine call.
 *
 * @param enabled      off runs every request on its own, for comparison
 * @param maxSamples   at most this many samples in one engine call; a larger request runs alone
 * @param maxDelay     how long an engine call may wait for more requests before it starts (Triton's
 *                     max_queue_delay_microseconds); 0 starts it at once
 * @param queueTimeout a request not started within this time gets 503 with Retry-After
 */
@ConfigurationProperties("rnn-serving.batching")
@Validated
public record BatchingProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("256") @Min(1) int maxSamples,
        @DefaultValue("0ms") Duration maxDelay,
        @DefaultValue("5s") Duration queueTimeout) {

    /** The batcher's settings, or null when batching is off. */
    public @Nullable BatchingSettings toSettings() {
        return enabled ? new BatchingSettings(maxSamples, maxDelay, queueTimeout) : null;
    }
}
