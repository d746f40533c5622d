package io.rnnserving.engine;

import org.ejml.data.DMatrixRMaj;
import org.jspecify.annotations.Nullable;

/**
 * Keras' {@code SimpleRNN}: {@code h_t = act(x_t·W_x + b + h_{t-1}·W_h)} from {@code h_0} (zeros unless
 * given), all samples of a batch advancing together.
 */
public final class SimpleRnnLayer implements RecurrentLayer, Recurrence {
    /** Below this many units (EJML's own switch to its small-matrix kernels) results are EJML's bit for bit. */
    public static final int SMALL_UNITS = 15;

    private final String name;
    private final DMatrixRMaj kernel;
    private final DMatrixRMaj recurrentKernel;
    private final double @Nullable [] bias;
    private final Activation activation;
    private final boolean returnSequences;
    private final boolean goBackwards;
    private final boolean stateful;
    /** The weights in float32, for float32 models. */
    private final float[] kernel32;
    private final float[] recurrentKernel32;
    private final float @Nullable [] bias32;

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
        this.kernel32 = Matrices.narrowed(kernel.data);
        this.recurrentKernel32 = Matrices.narrowed(recurrentKernel.data);
        this.bias32 = Matrices.narrowed(bias);
    }

    /**
     * Builds the layer from Keras' weights: {@code kernel} D×M, {@code recurrentKernel} M×M, {@code bias} M or
     * null for {@code use_bias=False}. The arrays are copied.
     */
    public static SimpleRnnLayer of(String name, double[][] kernel, double[][] recurrentKernel, double @Nullable [] bias,
                                    Activation activation, boolean returnSequences, boolean goBackwards, boolean stateful) {
        RecurrentSteps.refuseGlu(name, "SimpleRNN", activation);
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

    @Override
    public java.util.List<String> stateParts() {
        return java.util.List.of("h");
    }

    @Override
    public int units() {
        return kernel.numCols;
    }

    @Override
    public int inputFeatures() {
        return kernel.numRows;
    }

    public Activation activation() {
        return activation;
    }

    @Override
    public boolean returnSequences() {
        return returnSequences;
    }

    @Override
    public boolean goBackwards() {
        return goBackwards;
    }

    @Override
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
        return RecurrentSteps.forward(this, this, input, context);
    }

    @Override
    public Run run(Tensor input, double @Nullable [][] initial, boolean keepOutputs, boolean keepTraces,
                   boolean zeroMaskedOutputs, Execution execution) {
        int samples = input.samples();
        int steps = input.steps();
        int units = units();
        double[] finalState = new double[samples * units];
        double[] trace = keepTraces || (keepOutputs && !zeroMaskedOutputs) ? new double[samples * steps * units] : null;
        double[] outputs = keepOutputs ? (zeroMaskedOutputs ? new double[samples * steps * units] : trace) : null;
        double[] h0 = initial == null ? null : initial[0];
        long workPerSample = (long) steps * units * (units + inputFeatures());
        if (execution.float32()) {
            float[] x = input.floatValues();
            SampleSlices.forEach(execution.threads(), samples, workPerSample,
                    (from, to) -> runSamplesFloat(input, x, from, to, h0, finalState, trace,
                            zeroMaskedOutputs ? outputs : null, execution.floatKernel()));
        } else {
            SampleSlices.forEach(execution.threads(), samples, workPerSample,
                    (from, to) -> runSamples(input, from, to, h0, finalState, trace,
                            zeroMaskedOutputs ? outputs : null, execution.kernel()));
        }
        return new Run(outputs, new double[][] {finalState},
                keepTraces ? new StateSequence[] {new StateSequence(trace, samples, steps, units, input.lengths())} : null);
    }

    /**
     * Runs samples [from, to) through every step: {@code next = x_t·W + b + state·U}, then the activation. Writes
     * only those samples' rows of finalState, states (the state after each step) and zeroedOutputs (the same, but
     * zeros where a mask hid the step).
     */
    private void runSamples(Tensor input, int from, int to, double @Nullable [] initial, double[] finalState,
                            double @Nullable [] states, double @Nullable [] zeroedOutputs, StepKernel step) {
        int steps = input.steps();
        int features = input.width();
        int units = units();
        int[] lengths = input.lengths();
        boolean[] mask = input.mask();
        double[] x = input.values();
        double[] w = kernel.data;
        double[] u = recurrentKernel.data;
        int rows = to - from;

        double[] state = new double[rows * units];
        if (initial != null) {
            System.arraycopy(initial, from * units, state, 0, rows * units);
        }
        double[] next = new double[rows * units];
        int[] inputStarts = new int[rows];
        int[] stateStarts = new int[rows];
        for (int r = 0; r < rows; r++) {
            stateStarts[r] = r * units;
        }
        for (int s = 0; s < steps; s++) {
            java.util.Arrays.fill(next, 0.0);
            if (units < SMALL_UNITS) {
                // the default model's size: EJML's order and Math.tanh, so its outputs stay those documented
                for (int r = 0; r < rows; r++) {
                    int c0 = r * units;
                    int row = RecurrentSteps.inputRow(from + r, s, steps, features, lengths, goBackwards);
                    RowProducts.addRowTimes(x, row, features, w, units, next, c0);
                    addBias(next, c0);
                    RowProducts.addRowTimesSmall(state, c0, units, u, units, next, c0);
                    activation.applyToRow(next, c0, units);
                }
            } else {
                for (int r = 0; r < rows; r++) {
                    inputStarts[r] = RecurrentSteps.inputRow(from + r, s, steps, features, lengths, goBackwards);
                }
                step.addProducts(x, inputStarts, rows, features, w, units, next);
                for (int r = 0; r < rows; r++) {
                    addBias(next, r * units);
                }
                step.addProducts(state, stateStarts, rows, units, u, units, next);
                for (int r = 0; r < rows; r++) {
                    RecurrentSteps.activate(activation, next, r * units, units, step);
                }
            }
            for (int r = 0; r < rows; r++) {
                if (!RecurrentSteps.active(from + r, s, steps, lengths, mask, goBackwards)) {
                    // a masked or padded step carries the state (and, in sequences, the output) over unchanged
                    System.arraycopy(state, r * units, next, r * units, units);
                }
            }
            double[] previous = state;
            state = next;
            next = previous;
            RecurrentSteps.storeStep(state, states, from, rows, s, steps, units);
            if (zeroedOutputs != null) {
                for (int r = 0; r < rows; r++) {
                    if (RecurrentSteps.active(from + r, s, steps, lengths, mask, goBackwards)) {
                        System.arraycopy(state, r * units, zeroedOutputs, ((from + r) * steps + s) * units, units);
                    }
                }
            }
        }
        System.arraycopy(state, 0, finalState, from * units, rows * units);
    }

    /**
     * {@link #runSamples} in float32, on the float kernel for every size, reading the narrowed input x, with Keras'
     * roundings: {@code (x·W + b) + h·U}, each product computed from zero.
     */
    private void runSamplesFloat(Tensor input, float[] x, int from, int to, double @Nullable [] initial,
                                 double[] finalState, double @Nullable [] states, double @Nullable [] zeroedOutputs,
                                 FloatStepKernel step) {
        int steps = input.steps();
        int features = input.width();
        int units = units();
        int[] lengths = input.lengths();
        boolean[] mask = input.mask();
        int rows = to - from;

        float[] state = RecurrentSteps.initialRows(initial, from, rows, units);
        float[] next = new float[rows * units];
        int[] inputStarts = new int[rows];
        int[] stateStarts = new int[rows];
        for (int r = 0; r < rows; r++) {
            stateStarts[r] = r * units;
        }
        // tanh, the usual activation, is applied by the kernel to each tile's rows while they are in cache
        boolean tanhInKernel = activation == Activation.TANH;
        for (int s = 0; s < steps; s++) {
            for (int r = 0; r < rows; r++) {
                inputStarts[r] = RecurrentSteps.inputRow(from + r, s, steps, features, lengths, goBackwards);
            }
            // Keras' order of roundings: (x·W + b) + h·U, each product computed from zero
            step.products(x, inputStarts, rows, features, kernel32, units, bias32, 0, false, next);
            step.products(state, stateStarts, rows, units, recurrentKernel32, units, next, units, tanhInKernel, next);
            for (int r = 0; r < rows; r++) {
                if (!tanhInKernel) {
                    RecurrentSteps.activate(activation, next, r * units, units, step);
                }
                if (!RecurrentSteps.active(from + r, s, steps, lengths, mask, goBackwards)) {
                    System.arraycopy(state, r * units, next, r * units, units);
                }
            }
            float[] previous = state;
            state = next;
            next = previous;
            RecurrentSteps.storeStep(state, states, from, rows, s, steps, units);
            if (zeroedOutputs != null) {
                for (int r = 0; r < rows; r++) {
                    if (RecurrentSteps.active(from + r, s, steps, lengths, mask, goBackwards)) {
                        RecurrentSteps.widen(state, r * units, zeroedOutputs, ((from + r) * steps + s) * units, units);
                    }
                }
            }
        }
        RecurrentSteps.copyRows(state, finalState, from, rows, units);
    }

    private void addBias(double[] rows, int offset) {
        if (bias != null) {
            for (int j = 0; j < bias.length; j++) {
                rows[offset + j] += bias[j];
            }
        }
    }
}
