package io.rnnserving.engine;

import java.util.List;

import org.jspecify.annotations.Nullable;

/** What SimpleRNN, LSTM and GRU share: which row a step reads, whether it is active, and how a layer reports. */
final class RecurrentSteps {
    private RecurrentSteps() {
    }

    /** Where step s (in the order the layer takes steps) of sample n starts; a padded step reads row 0. */
    static int inputRow(int n, int s, int steps, int features, int[] lengths, boolean backwards) {
        if (s >= lengths[n]) {
            return n * steps * features; // computed, then discarded: the state carries over
        }
        int t = backwards ? lengths[n] - 1 - s : s;
        return (n * steps + t) * features;
    }

    /** False for padding and for steps a mask hides: the state carries over them unchanged. */
    static boolean active(int n, int s, int steps, int[] lengths, boolean @Nullable [] mask, boolean backwards) {
        return s < lengths[n] && (mask == null || mask[n * steps + (backwards ? lengths[n] - 1 - s : s)]);
    }

    /** Applies an activation to one row's slice: tanh through the step kernel, row-wise ones over the slice. */
    static void activate(Activation activation, double[] values, int start, int width, StepKernel kernel) {
        if (activation == Activation.TANH) {
            kernel.tanhInPlace(values, start, start + width);
        } else if (activation.rowWise()) {
            activation.applyToRow(values, start, width);
        } else {
            activation.applyInPlace(values, start, width);
        }
    }

    /**
     * {@link #activate} for the gates of LSTM and GRU, where sigmoid is most of the element-wise work: computed as
     * {@code 0.5 + 0.5·tanh(x/2)} through the step kernel (within a few ulp of Keras' definition, far faster than
     * {@link Math#exp}; the same bits on every kernel).
     */
    static void activateGate(Activation activation, double[] values, int start, int width, StepKernel kernel) {
        if (activation != Activation.SIGMOID) {
            activate(activation, values, start, width, kernel);
            return;
        }
        int end = start + width;
        for (int i = start; i < end; i++) {
            values[i] *= 0.5;
        }
        kernel.tanhInPlace(values, start, end);
        for (int i = start; i < end; i++) {
            values[i] = 0.5 + 0.5 * values[i];
        }
    }

    static void refuseGlu(String name, String kerasClass, Activation... activations) {
        for (Activation activation : activations) {
            if (activation == Activation.GLU) {
                throw new IllegalArgumentException(name + " (" + kerasClass + "): glu halves its input, so it cannot "
                        + "be a recurrent activation (Keras fails on it too)");
            }
        }
    }

    /** A one-direction layer standing alone: runs it with the call's state and reports what it computed. */
    static Tensor forward(RecurrentLayer layer, Recurrence recurrence, Tensor input, ForwardContext context) {
        List<String> parts = layer.stateParts();
        Recurrence.Run run = recurrence.run(input, context.initialStates(layer.name(), parts), layer.returnSequences(),
                context.recordStates(), false, context.execution());
        context.record(layer.name(), parts, run.traces(), run.finalStates());
        return layer.returnSequences()
                ? Tensor.sequences(run.outputs(), input.samples(), input.steps(), layer.units(), input.lengths(),
                input.mask())
                : Tensor.vectors(run.finalStates()[0], input.samples(), layer.units());
    }

    /** Copies rows [0, rows) of a slice's state into the batch-wide array from sample {@code from}. */
    static void copyRows(double[] slice, double[] batch, int from, int rows, int units) {
        System.arraycopy(slice, 0, batch, from * units, rows * units);
    }

    /** Stores the slice's state after step s into the N×T×M array. */
    static void storeStep(double[] state, double @Nullable [] sequence, int from, int rows, int s, int steps,
                          int units) {
        if (sequence == null) {
            return;
        }
        for (int r = 0; r < rows; r++) {
            System.arraycopy(state, r * units, sequence, ((from + r) * steps + s) * units, units);
        }
    }
}
