package io.rnnserving.serving;

import java.util.List;

import io.rnnserving.engine.InputValues;
import org.jspecify.annotations.Nullable;

/**
 * What a protocol adapter decoded from its body, in no protocol's terms and not yet checked against the model: the
 * binder checks it once for every protocol.
 *
 * @param lengths       each sample's length, or null for every sample's own number of steps
 * @param states        initial states, at most one per layer and part
 * @param recordStates  the answer needs every recurrent layer's state after each step
 */
public record ModelInput(Sequences x, int @Nullable [] lengths, List<StateInput> states, boolean recordStates) {

    /** The sequences as sent: either a tensor with its shape, or samples back to back with their numbers of steps. */
    public sealed interface Sequences {
    }

    /**
     * @param values row-major, at least as many as the shape holds, best in {@link RequestBinder#inputPrecision()}
     *               (others are converted)
     * @param shape  as sent; the model takes [N, T, D]
     */
    public record Tensor(InputValues values, int[] shape) implements Sequences {
    }

    /**
     * Samples of {@code features} numbers a step (already checked with {@link RequestBinder#checkFeatures}), back
     * to back, best in {@link RequestBinder#inputPrecision()} (others are converted).
     */
    public record Ragged(InputValues values, int[] stepsPerSample, int features) implements Sequences {
    }

    /**
     * One initial state matrix as sent.
     *
     * @param layer         the recurrent layer it is for, or null for "the model's only recurrent layer"; when the model
     *                      has one recurrent layer, a name that is no layer but one of its state parts names that part
     * @param part          which part of the layer's state ({@code h}, or {@code c} of an LSTM), or null for "the
     *                      layer's only part"
     * @param values        row-major
     * @param shape         as sent; a state part is N×units
     * @param pointer       where the matrix was read, in the caller's wire format
     * @param parentPointer where what holds it was read (the same as pointer for a matrix given on its own)
     */
    public record StateInput(@Nullable String layer, @Nullable String part, double[] values, int[] shape,
                             String pointer, String parentPointer) {
    }
}
