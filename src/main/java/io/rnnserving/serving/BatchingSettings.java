package io.rnnserving.serving;

import java.time.Duration;

/**
 * How concurrent requests for one model version are coalesced.
 *
 * @param maxSamples   at most this many samples in one engine call; a larger request runs alone
 * @param maxDelay     how long an engine call may wait for more requests before it starts; zero starts it at once
 * @param queueTimeout a request not started within this time is refused
 */
public record BatchingSettings(int maxSamples, Duration maxDelay, Duration queueTimeout) {

    public static final BatchingSettings DEFAULTS = new BatchingSettings(256, Duration.ZERO, Duration.ofSeconds(5));

    public BatchingSettings {
        if (maxSamples < 1) {
            throw new IllegalArgumentException("max-samples must be at least 1, got " + maxSamples);
        }
        if (maxDelay.isNegative() || queueTimeout.isNegative() || queueTimeout.isZero()) {
            throw new IllegalArgumentException("max-delay must be zero or more and queue-timeout more than zero; got "
                    + maxDelay + " and " + queueTimeout);
        }
    }
}
