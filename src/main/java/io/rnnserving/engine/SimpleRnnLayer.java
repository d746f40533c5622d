package io.rnnserving.engine;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.jspecify.annotations.Nullable;

/**
 * Keras' {@code SimpleRNN}: {@code h_t = act(x_t·W_x + b + h_{t-1}·W_h)} from {@code h_0} (zeros unless
 * given), all samples of a batch advancing together.
 */
public final class SimpleRnnLayer implements Layer {
    private final String name;
    private final DMatrixRMaj kernel;
    private final DMatrixRMaj recurrentKernel;
    private final double @Nullable [] bias;
    private final Activation activation;
    private final boolean returnSequences;
    private final boolean goBackwards;
    private final boolean stateful;

    private SimpleRnnLayer(String name, DMatrixRMaj kernel, DMatrixRMaj recurrentKernel, double @Nullable [] bias,
                           Activation activation, boolean returnSequences, boolean goBackwards, boolean stateful) {
        this.name = name;
        this.kernel = kernel;
        this.recurrentKernel = recurrentKernel;
        this.bias = bias;
        this.activation = activation;
        this.returnSequences = returnSequences;
        this.goBackwards = goBackwards;
        this.stateful = stateful;
    }

    /**
     * Builds the layer from Keras' weights: {@code kernel} D×M, {@code recurrentKernel} M×M, {@code bias} M or
     * null for {@code use_bias=False}. The arrays are copied.
     */
    public static SimpleRnnLayer of(String name, double[][] kernel, double[][] recurrentKernel, double @Nullable [] bias,
                                    Activation activation, boolean returnSequences, boolean goBackwards, boolean stateful) {
        if (activation == Activation.SOFTMAX) {
            throw new IllegalArgumentException(name + ": softmax is not a recurrent activation");
        }
        DMatrixRMaj w = Matrices.of(name + ".kernel", kernel);
        int units = w.numCols;
        DMatrixRMaj u = Matrices.of(name + ".recurrentKernel", recurrentKernel);
        if (u.numRows != units || u.numCols != units) {
            throw new IllegalArgumentException(name + ".recurrentKernel is " + u.numRows + "×" + u.numCols
                    + " but the SimpleRNN has " + units + " units (kernel is " + w.numRows + "×" + units + ")");
        }
        if (bias != null && bias.length != units) {
            throw new IllegalArgumentException(name + ".bias has " + bias.length + " values but the SimpleRNN has "
                    + units + " units");
        }
        return new SimpleRnnLayer(name, w, u, bias == null ? null : bias.clone(), activation, returnSequences,
                goBackwards, stateful);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String kerasClass() {
        return "SimpleRNN";
    }

    public int units() {
        return kernel.numCols;
    }

    public int inputFeatures() {
        return kernel.numRows;
    }

    public Activation activation() {
        return activation;
    }

    public boolean returnSequences() {
        return returnSequences;
    }

    public boolean goBackwards() {
        return goBackwards;
    }

    public boolean stateful() {
        return stateful;
    }

    public boolean usesBias() {
        return bias != null;
    }

    @Override
    public long parameterCount() {
        return (long) kernel.getNumElements() + recurrentKernel.getNumElements() + (bias == null ? 0 : bias.length);
    }

    @Override
    public int outputWidth(int inputWidth) {
        return units();
    }

    @Override
    public Tensor forward(Tensor input, ForwardContext context) {
        int samples = input.samples();
        int steps = input.steps();
        int features = input.width();
        int units = units();
        int[] lengths = input.lengths();
        boolean[] mask = input.mask();

        // Inputs in the order the layer consumes them (step s of sample n is its own step s, or len-1-s going
        // backwards), so that one product projects every step and each step's rows are contiguous.
        double[] ordered = new double[steps * samples * features];
        for (int n = 0; n < samples; n++) {
            for (int s = 0; s < lengths[n]; s++) {
                int t = goBackwards ? lengths[n] - 1 - s : s;
                System.arraycopy(input.values(), (n * steps + t) * features, ordered, (s * samples + n) * features,
                        features);
            }
        }
        DMatrixRMaj projected = new DMatrixRMaj(steps * samples, units);
        CommonOps_DDRM.mult(DMatrixRMaj.wrap(steps * samples, features, ordered), kernel, projected);
        if (bias != null) {
            addRowVector(projected.data, bias);
        }

        DMatrixRMaj state = new DMatrixRMaj(samples, units);
        double[] initial = context.initialState(name);
        if (initial != null) {
            System.arraycopy(initial, 0, state.data, 0, samples * units);
        }
        DMatrixRMaj next = new DMatrixRMaj(samples, units);
        double[] outputs = returnSequences || context.recordStates() ? new double[samples * steps * units] : null;

        for (int s = 0; s < steps; s++) {
            System.arraycopy(projected.data, s * samples * units, next.data, 0, samples * units);
            CommonOps_DDRM.multAdd(state, recurrentKernel, next);
            activation.applyToRows(next.data, samples, units);
            for (int n = 0; n < samples; n++) {
                boolean active = s < lengths[n]
                        && (mask == null || mask[n * steps + (goBackwards ? lengths[n] - 1 - s : s)]);
                if (!active) {
                    // a masked or padded step carries the state (and, in sequences, the output) over unchanged
                    System.arraycopy(state.data, n * units, next.data, n * units, units);
                }
            }
            DMatrixRMaj previous = state;
            state = next;
            next = previous;
            if (outputs != null) {
                for (int n = 0; n < samples; n++) {
                    System.arraycopy(state.data, n * units, outputs, (n * steps + s) * units, units);
                }
            }
        }

        context.record(name, context.recordStates() ? new StateSequence(outputs, samples, steps, units, lengths) : null,
                state.data);
        return returnSequences
                ? Tensor.sequences(outputs, samples, steps, units, lengths, mask)
                : Tensor.vectors(state.data, samples, units);
    }

    static void addRowVector(double[] rows, double[] vector) {
        int width = vector.length;
        for (int start = 0; start < rows.length; start += width) {
            for (int j = 0; j < width; j++) {
                rows[start + j] += vector[j];
            }
        }
    }
}
