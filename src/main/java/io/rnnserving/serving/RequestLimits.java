package io.rnnserving.serving;

import io.rnnserving.problem.InvalidRequestException;
import io.rnnserving.problem.ProblemKind;

/**
 * How much one request may ask for; beyond these a request is refused with 413 before any inference.
 *
 * @param maxBodyBytes   request body size
 * @param maxSamples     N
 * @param maxSteps       T (of the longest sample)
 * @param maxValues      N×T×D numbers in x
 * @param maxNestingDepth JSON nesting depth
 */
public record RequestLimits(long maxBodyBytes, int maxSamples, int maxSteps, long maxValues, int maxNestingDepth) {

    public static final RequestLimits DEFAULTS = new RequestLimits(32L * 1024 * 1024, 4096, 10_000, 4_000_000, 32);

    /** Refuses a body whose declared length (-1 when not declared) is over the limit, before reading any of it. */
    public void checkDeclaredBodySize(long contentLength) {
        if (contentLength > maxBodyBytes) {
            throw new InvalidRequestException(ProblemKind.BODY_TOO_LARGE, null,
                    "the request body is " + contentLength + " bytes; the limit is " + maxBodyBytes);
        }
    }

    /** Refuses a batch over the limits; {@code pointer} is where the caller's body gives it. */
    public void checkBatch(int samples, int longestSteps, long values, String pointer) {
        if (samples > maxSamples) {
            throw new InvalidRequestException(ProblemKind.BATCH_TOO_LARGE, pointer,
                    "the batch has " + samples + " samples; the limit is " + maxSamples);
        }
        if (longestSteps > maxSteps) {
            throw new InvalidRequestException(ProblemKind.BATCH_TOO_LARGE, pointer,
                    "a sequence has " + longestSteps + " steps; the limit is " + maxSteps);
        }
        if (values > maxValues) {
            throw new InvalidRequestException(ProblemKind.BATCH_TOO_LARGE, pointer,
                    "the batch has " + values + " numbers; the limit is " + maxValues);
        }
    }
}
