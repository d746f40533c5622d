package io.rnnserving.serving;

/**
 * Where, in the caller's own wire format, the parts of the model input were read: the binder puts these JSON pointers
 * (RFC 6901) into its problems, so that each protocol's client is shown a place in the body it sent.
 */
public interface WirePointers {

    /** The sequences as a whole (their shape, their count). */
    String x();

    default String sample(int sample) {
        return x() + "/" + sample;
    }

    default String step(int sample, int step) {
        return sample(sample) + "/" + step;
    }

    /** One value of x at a step, such as a token id (one number a step). */
    default String value(int sample, int step) {
        return step(sample, step);
    }

    /** The per-sample lengths as a whole. */
    String lengths();

    default String length(int sample) {
        return lengths() + "/" + sample;
    }

    /** Pointers for a body that nests x and lengths as JSON arrays at these places. */
    static WirePointers nested(String x, String lengths) {
        return new Nested(x, lengths);
    }

    record Nested(String x, String lengths) implements WirePointers {
    }
}
