package io.rnnserving.problem;

import org.jspecify.annotations.Nullable;

/**
 * A request this service refuses, with the kind of problem, a human explanation and, for input errors,
 * the JSON pointer of the first offending place.
 */
public class InvalidRequestException extends RuntimeException {
    private final ProblemKind kind;
    private final @Nullable String pointer;

    public InvalidRequestException(ProblemKind kind, @Nullable String pointer, String detail) {
        super(detail, null, false, false);
        this.kind = kind;
        this.pointer = pointer;
    }

    public ProblemKind kind() {
        return kind;
    }

    public @Nullable String pointer() {
        return pointer;
    }

    public String detail() {
        return getMessage();
    }
}
