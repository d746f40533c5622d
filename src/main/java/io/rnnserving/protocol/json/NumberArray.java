package io.rnnserving.protocol.json;

import java.util.Arrays;

import io.rnnserving.engine.InputValues;
import io.rnnserving.engine.Precision;
import io.rnnserving.problem.InvalidRequestException;
import io.rnnserving.problem.ProblemKind;
import io.rnnserving.serving.RequestLimits;
import tools.jackson.core.JsonToken;

/**
 * A JSON array of numbers nested to any depth (a flat list is depth one), read as a stream into one row-major run
 * of values with its shape. Every array at one depth must have as many elements as the first one there.
 *
 * @param values row-major, at least {@link #size()} long (a reader's spare capacity follows), in the precision asked
 * @param shape  the length of the arrays at each depth, outermost first
 */
public record NumberArray(InputValues values, int[] shape) {

    public long size() {
        long size = 1;
        for (int length : shape) {
            size *= length;
        }
        return size;
    }

    /**
     * Reads the array at the current token.
     *
     * @param pointer   the JSON pointer of that array, for problems
     * @param precision what to store the numbers as ({@link InputValues})
     * @param expected  how many numbers the array should hold (a shape given before it, the sample before), or -1
     *                  for an array that is the rest of the body: then the room is estimated from the samples read
     *                  (the arrays one level in) and the bytes left; either way it grows when that runs out
     * @throws InvalidRequestException for a value that is not an array of numbers, a ragged or empty array, or more
     *                                 numbers than {@link RequestLimits#maxValues()}
     */
    public static NumberArray read(JsonBodyReader json, String pointer, RequestLimits limits, Precision precision,
                                   long expected) {
        json.require(JsonToken.START_ARRAY, () -> pointer, "expected an array of numbers");
        long start = json.bytesRead();
        json.next();
        return readOpened(json, pointer, limits, precision, expected, start);
    }

    /**
     * Like {@link #read}, for an array whose opening bracket is read and whose first element is the current token.
     *
     * @param start where the array started in the body ({@link JsonBodyReader#bytesRead()} at its opening bracket)
     */
    public static NumberArray readOpened(JsonBodyReader json, String pointer, RequestLimits limits, Precision precision,
                                         long expected, long start) {
        int slots = limits.maxNestingDepth() + 1;
        int[] lengths = new int[slots];
        int[] index = new int[slots];
        Arrays.fill(lengths, -1);
        // a shape given before the data sizes it, but a shape is only a claim: never more room than the limit or
        // than the body's bytes left could fill
        long bytesLeft = json.bytesLeft();
        boolean sized = expected >= 0 && bytesLeft >= 0;
        NumberBuffer values = new NumberBuffer(precision, sized
                ? (int) Math.min(expected, Math.min(limits.maxValues(), bytesLeft / 2 + 1)) : 1024);
        int leafDepth = -1;
        int depth = 0;
        JsonToken token = json.current();
        while (true) {
            if (token == JsonToken.END_ARRAY) {
                int count = index[depth];
                if (count == 0) {
                    throw new InvalidRequestException(ProblemKind.WRONG_SHAPE, pointerAt(pointer, index, depth),
                            "an empty array is not a tensor");
                }
                if (lengths[depth] < 0) {
                    lengths[depth] = count;
                } else if (count != lengths[depth]) {
                    throw new InvalidRequestException(ProblemKind.WRONG_SHAPE, pointerAt(pointer, index, depth),
                            "this array has " + count + " elements but the first one at its depth has "
                                    + lengths[depth] + "; a tensor is rectangular");
                }
                if (depth == 1 && !sized) {
                    // each sample read re-estimates the room from the samples so far
                    values.reserveForRest(json.bytesRead() - start, json.bytesLeft(), limits.maxValues());
                }
                depth--;
                if (depth < 0) {
                    break;
                }
                index[depth]++;
            } else if (token == JsonToken.START_ARRAY) {
                if ((leafDepth >= 0 && depth >= leafDepth) || depth + 1 >= slots) {
                    throw new InvalidRequestException(ProblemKind.WRONG_SHAPE, pointerAt(pointer, index, depth + 1),
                            "expected a number, found an array");
                }
                depth++;
                index[depth] = 0;
            } else {
                if (leafDepth < 0) {
                    leafDepth = depth;
                } else if (depth != leafDepth) {
                    throw new InvalidRequestException(ProblemKind.WRONG_SHAPE, pointerAt(pointer, index, depth + 1),
                            "expected an array, found " + json.describe(token) + "; a tensor is rectangular");
                }
                int at = depth;
                values.add(json.number(() -> pointerAt(pointer, index, at + 1)));
                if (values.size() > limits.maxValues()) {
                    throw new InvalidRequestException(ProblemKind.BATCH_TOO_LARGE, pointer,
                            "the tensor has more than " + limits.maxValues() + " numbers, the limit");
                }
                index[depth]++;
            }
            token = json.next();
        }
        return new NumberArray(values.values(), Arrays.copyOf(lengths, leafDepth + 1));
    }

    /** The pointer of the element {@code index[depth - 1]} of the array open at {@code depth - 1}, and so on up. */
    private static String pointerAt(String pointer, int[] index, int depth) {
        StringBuilder at = new StringBuilder(pointer);
        for (int d = 0; d < depth; d++) {
            at.append('/').append(index[d]);
        }
        return at.toString();
    }
}
