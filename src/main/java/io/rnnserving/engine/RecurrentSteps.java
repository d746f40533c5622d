package io.rnnserving.engine;

import java.util.List;

import org.jspecify.annotations.Nullable;

/** What SimpleRNN, LSTM and GRU share: which row a step reads, whether it is active, and how a layer reports. */
final class RecurrentSteps {
    /** Computes the activations a float32 layer takes in double (all but tanh, sigmoid, relu, linear). */
    private static final StepKernel DOUBLE_ACTIVATIONS = new ScalarStepKernel("plain Java");

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

    /**
     * {@link #activate} in float32: tanh through the float kernel, sigmoid as {@link #activateGate}, relu and linear
     * in float; any other activation computed in double on the float values and rounded back to float (within an
     * ulp or two of Keras' float32).
     */
    static void activate(Activation activation, float[] values, int start, int width, FloatStepKernel kernel) {
        switch (activation) {
            case LINEAR -> {
            }
            case TANH -> kernel.tanhInPlace(values, start, start + width);
            case SIGMOID -> activateGate(activation, values, start, width, kernel);
            case RELU -> {
                for (int i = start; i < start + width; i++) {
                    values[i] = values[i] > 0 ? values[i] : 0.0f;
                }
            }
            default -> {
                double[] wide = new double[width];
                for (int j = 0; j < width; j++) {
                    wide[j] = values[start + j];
                }
                activate(activation, wide, 0, width, DOUBLE_ACTIVATIONS);
                for (int j = 0; j < width; j++) {
                    values[start + j] = (float) wide[j];
                }
            }
        }
    }

    /**
     * {@link #activate} for float32 gates: sigmoid as {@code 0.5 + 0.5·tanh(x/2)} in float with the float kernel's
     * tanh, as Eigen (TensorFlow's CPU math) computes it; the same bits on every kernel.
     */
    static void activateGate(Activation activation, float[] values, int start, int width, FloatStepKernel kernel) {
        if (activation != Activation.SIGMOID) {
            activate(activation, values, start, width, kernel);
            return;
        }
        int end = start + width;
        for (int i = start; i < end; i++) {
            values[i] *= 0.5f;
        }
        kernel.tanhInPlace(values, start, end);
        for (int i = start; i < end; i++) {
            values[i] = 0.5f + 0.5f * values[i];
        }
    }

    /** Copies rows [0, rows) of a float slice's state, widened, into the batch-wide array from sample {@code from}. */
    static void copyRows(float[] slice, double[] batch, int from, int rows, int units) {
        widen(slice, 0, batch, from * units, rows * units);
    }

    /** Stores the float slice's state after step s, widened, into the N×T×M array. */
    static void storeStep(float[] state, double @Nullable [] sequence, int from, int rows, int s, int steps,
                          int units) {
        if (sequence == null) {
            return;
        }
        for (int r = 0; r < rows; r++) {
            widen(state, r * units, sequence, ((from + r) * steps + s) * units, units);
        }
    }

    static void widen(float[] from, int fromOffset, double[] to, int toOffset, int count) {
        for (int i = 0; i < count; i++) {
            to[toOffset + i] = from[fromOffset + i];
        }
    }

    /** Rows [from, to) of an N×M state, narrowed to float (zeros when there is none). */
    static float[] initialRows(double @Nullable [] initial, int from, int rows, int units) {
        float[] state = new float[rows * units];
        if (initial != null) {
            for (int i = 0; i < rows * units; i++) {
                state[i] = (float) initial[from * units + i];
            }
        }
        return state;
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
