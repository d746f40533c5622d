package io.rnnserving.serving;

import java.time.Duration;

/** A request waited for the engine longer than the queue timeout and was not run: the service is overloaded. */
public final class QueueTimeoutException extends RuntimeException {
    private final Duration retryAfter;

    public QueueTimeoutException(Duration waited, Duration retryAfter) {
        super("the request waited " + waited.toMillis() + " ms for the engine, longer than the queue timeout; "
                + "it was not run");
        this.retryAfter = retryAfter;
    }

    /** When a client may try again: the queue timeout, in whole seconds, at least one. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
