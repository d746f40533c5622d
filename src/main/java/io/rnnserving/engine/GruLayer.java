package io.rnnserving.engine;

import java.util.List;

import org.ejml.data.DMatrixRMaj;
import org.jspecify.annotations.Nullable;

/**
 * Keras' {@code GRU}, gates in Keras' order z, r, h: {@code z = ra(x·W_z + b_z + h·U_z + b'_z)}, r likewise,
 * candidate {@code ĥ = act(x·W_h + b_h + r·(h·U_h + b'_h))} with {@code reset_after=True} (Keras 3 and TF2's
 * default; b' is the second bias row) or {@code act(x·W_h + b_h + (r·h)·U_h)} with {@code reset_after=False}
 * (Keras 1 and 2), then {@code h_t = z·h + (1 − z)·ĥ}. Its state is one part, {@code h}.
 */
public final class GruLayer implements RecurrentLayer, Recurrence {
    private static final List<String> PARTS = List.of("h");

    private final String name;
    private final DMatrixRMaj kernel;
    /** reset_after: all of U (M×3M); otherwise U's z and r columns (M×2M). */
    private final DMatrixRMaj recurrentGates;
    /** reset_after=False only: U's h columns (M×M), applied to r·h. */
    private final @Nullable DMatrixRMaj recurrentCandidate;
    private final double @Nullable [] inputBias;
    private final double @Nullable [] recurrentBias;
    private final boolean resetAfter;
    private final Activation activation;
    private final Activation recurrentActivation;
    private final boolean returnSequences;
    private final boolean goBackwards;
    private final boolean stateful;
    /** The weights in float32, for float32 models. */
    private final float[] kernel32;
    private final float[] recurrentGates32;
    private final float @Nullable [] recurrentCandidate32;
    private final float @Nullable [] inputBias32;
    private final float @Nullable [] recurrentBias32;

    private GruLayer(String name, DMatrixRMaj kernel, DMatrixRMaj recurrentGates,
                     @Nullable DMatrixRMaj recurrentCandidate, double @Nullable [] inputBias,
                     double @Nullable [] recurrentBias, boolean resetAfter, Activation activation,
                     Activation recurrentActivation, boolean returnSequences, boolean goBackwards, boolean stateful) {
        this.name = name;
        this.kernel = kernel;
        this.recurrentGates = recurrentGates;
        this.recurrentCandidate = recurrentCandidate;
        this.inputBias = inputBias;
        this.recurrentBias = recurrentBias;
        this.resetAfter = resetAfter;
        this.activation = activation;
        this.recurrentActivation = recurrentActivation;
        this.returnSequences = returnSequences;
        this.goBackwards = goBackwards;
        this.stateful = stateful;
        this.kernel32 = Matrices.narrowed(kernel.data);
        this.recurrentGates32 = Matrices.narrowed(recurrentGates.data);
        this.recurrentCandidate32 = Matrices.narrowed(recurrentCandidate == null ? null : recurrentCandidate.data);
        this.inputBias32 = Matrices.narrowed(inputBias);
        this.recurrentBias32 = Matrices.narrowed(recurrentBias);
    }

    /**
     * Builds the layer from Keras' {@code get_weights()}: {@code kernel} D×3M, {@code recurrentKernel} M×3M, columns
     * in gate order z, r, h; {@code bias} as rows, 2×3M (input bias, recurrent bias) with {@code resetAfter}, 1×3M
     * (Keras' 3M vector) without, or null for {@code use_bias=False}. The arrays are copied.
     */
    public static GruLayer of(String name, double[][] kernel, double[][] recurrentKernel, double @Nullable [][] bias,
                              boolean resetAfter, Activation activation, Activation recurrentActivation,
                              boolean returnSequences, boolean goBackwards, boolean stateful) {
        RecurrentSteps.refuseGlu(name, "GRU", activation, recurrentActivation);
        DMatrixRMaj w = Matrices.of(name + ".kernel", kernel);
        DMatrixRMaj u = Matrices.of(name + ".recurrentKernel", recurrentKernel);
        int units = u.numRows;
        if (u.numCols != 3 * units) {
            throw new IllegalArgumentException(name + ".recurrentKernel is " + u.numRows + "×" + u.numCols
                    + " but a GRU's is M×3M (gates z, r, h)");
        }
        if (w.numCols != 3 * units) {
            throw new IllegalArgumentException(name + ".kernel is " + w.numRows + "×" + w.numCols + " but the GRU has "
                    + units + " units, so it must be D×" + 3 * units);
        }
        double[] inputBias = null;
        double[] recurrentBias = null;
        if (bias != null) {
            int rows = resetAfter ? 2 : 1;
            if (bias.length != rows || bias[0].length != 3 * units || bias[rows - 1].length != 3 * units) {
                throw new IllegalArgumentException(name + ".bias must be " + rows + "×" + 3 * units + " for a GRU of "
                        + units + " units with reset_after=" + (resetAfter ? "True" : "False") + "; it has "
                        + bias.length + " rows of " + bias[0].length);
            }
            inputBias = bias[0].clone();
            recurrentBias = resetAfter ? bias[1].clone() : null;
        }
        DMatrixRMaj gates = u;
        DMatrixRMaj candidate = null;
        if (!resetAfter) {
            gates = new DMatrixRMaj(units, 2 * units);
            candidate = new DMatrixRMaj(units, units);
            for (int i = 0; i < units; i++) {
                System.arraycopy(u.data, i * 3 * units, gates.data, i * 2 * units, 2 * units);
                System.arraycopy(u.data, i * 3 * units + 2 * units, candidate.data, i * units, units);
            }
        }
        return new GruLayer(name, w, gates, candidate, inputBias, recurrentBias, resetAfter, activation,
                recurrentActivation, returnSequences, goBackwards, stateful);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String kerasClass() {
        return "GRU";
    }

    @Override
    public int units() {
        return recurrentGates.numRows;
    }

    @Override
    public int inputFeatures() {
        return kernel.numRows;
    }

    public boolean resetAfter() {
        return resetAfter;
    }

    public Activation activation() {
        return activation;
    }

    public Activation recurrentActivation() {
        return recurrentActivation;
    }

    public boolean usesBias() {
        return inputBias != null;
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

    @Override
    public List<String> stateParts() {
        return PARTS;
    }

    /** D·3M + M·3M + 3M, plus another 3M for reset_after's second bias row, as model.summary() counts. */
    @Override
    public long parameterCount() {
        int units = units();
        long biases = inputBias == null ? 0 : (resetAfter ? 6L : 3L) * units;
        return (long) kernel.getNumElements() + 3L * units * units + biases;
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
        int size = samples * steps * units;
        double[] finalH = new double[samples * units];
        double[] trace = keepTraces || (keepOutputs && !zeroMaskedOutputs) ? new double[size] : null;
        double[] outputs = keepOutputs ? (zeroMaskedOutputs ? new double[size] : trace) : null;
        double[] h0 = initial == null ? null : initial[0];
        long workPerSample = (long) steps * 3 * units * (units + inputFeatures());
        if (execution.float32()) {
            float[] x = input.floatValues();
            SampleSlices.forEach(execution.threads(), samples, workPerSample, (from, to) -> runSamplesFloat(input, x,
                    from, to, h0, finalH, trace, zeroMaskedOutputs ? outputs : null, execution.floatKernel()));
        } else {
            SampleSlices.forEach(execution.threads(), samples, workPerSample, (from, to) -> runSamples(input, from,
                    to, h0, finalH, trace, zeroMaskedOutputs ? outputs : null, execution.kernel()));
        }
        return new Run(outputs, new double[][] {finalH},
                keepTraces ? new StateSequence[] {new StateSequence(trace, samples, steps, units, input.lengths())} : null);
    }

    private void runSamples(Tensor input, int from, int to, double @Nullable [] initial, double[] finalH,
                            double @Nullable [] trace, double @Nullable [] zeroedOutputs, StepKernel step) {
        int steps = input.steps();
        int features = input.width();
        int units = units();
        int gates = 3 * units;
        int recurrentWidth = recurrentGates.numCols;
        int[] lengths = input.lengths();
        boolean[] mask = input.mask();
        int rows = to - from;

        double[] h = new double[rows * units];
        if (initial != null) {
            System.arraycopy(initial, from * units, h, 0, rows * units);
        }
        double[] next = new double[rows * units];
        double[] zx = new double[rows * gates];
        double[] zh = new double[rows * recurrentWidth];
        double[] resetState = resetAfter ? null : new double[rows * units];
        double[] candidate = resetAfter ? null : new double[rows * units];
        int[] inputStarts = new int[rows];
        int[] stateStarts = new int[rows];
        for (int r = 0; r < rows; r++) {
            stateStarts[r] = r * units;
        }
        for (int s = 0; s < steps; s++) {
            java.util.Arrays.fill(zx, 0.0);
            java.util.Arrays.fill(zh, 0.0);
            for (int r = 0; r < rows; r++) {
                inputStarts[r] = RecurrentSteps.inputRow(from + r, s, steps, features, lengths, goBackwards);
            }
            step.addProducts(input.values(), inputStarts, rows, features, kernel.data, gates, zx);
            step.addProducts(h, stateStarts, rows, units, recurrentGates.data, recurrentWidth, zh);
            for (int r = 0; r < rows; r++) {
                int xr = r * gates;
                int hr = r * recurrentWidth;
                if (inputBias != null) {
                    for (int j = 0; j < gates; j++) {
                        zx[xr + j] += inputBias[j];
                    }
                }
                if (recurrentBias != null) {
                    for (int j = 0; j < gates; j++) {
                        zh[hr + j] += recurrentBias[j];
                    }
                }
                // z and r: input part plus recurrent part, then the recurrent activation (into zx)
                for (int j = 0; j < 2 * units; j++) {
                    zx[xr + j] += zh[hr + j];
                }
                RecurrentSteps.activateGate(recurrentActivation, zx, xr, units, step);
                RecurrentSteps.activateGate(recurrentActivation, zx, xr + units, units, step);
                if (resetAfter) {
                    for (int j = 0; j < units; j++) {
                        zx[xr + 2 * units + j] += zx[xr + units + j] * zh[hr + 2 * units + j];
                    }
                } else {
                    for (int j = 0; j < units; j++) {
                        resetState[r * units + j] = zx[xr + units + j] * h[r * units + j];
                    }
                }
            }
            if (!resetAfter) {
                java.util.Arrays.fill(candidate, 0.0);
                step.addProducts(resetState, stateStarts, rows, units, recurrentCandidate.data, units, candidate);
                for (int r = 0; r < rows; r++) {
                    for (int j = 0; j < units; j++) {
                        zx[r * gates + 2 * units + j] += candidate[r * units + j];
                    }
                }
            }
            for (int r = 0; r < rows; r++) {
                int xr = r * gates;
                int sr = r * units;
                RecurrentSteps.activate(activation, zx, xr + 2 * units, units, step);
                if (RecurrentSteps.active(from + r, s, steps, lengths, mask, goBackwards)) {
                    for (int j = 0; j < units; j++) {
                        double z = zx[xr + j];
                        next[sr + j] = z * h[sr + j] + (1.0 - z) * zx[xr + 2 * units + j];
                    }
                    if (zeroedOutputs != null) {
                        System.arraycopy(next, sr, zeroedOutputs, ((from + r) * steps + s) * units, units);
                    }
                } else {
                    System.arraycopy(h, sr, next, sr, units);
                }
            }
            double[] swap = h;
            h = next;
            next = swap;
            RecurrentSteps.storeStep(h, trace, from, rows, s, steps, units);
        }
        RecurrentSteps.copyRows(h, finalH, from, rows, units);
    }

    /** {@link #runSamples} in float32 on the float kernel, reading the narrowed input x. */
    private void runSamplesFloat(Tensor input, float[] x, int from, int to, double @Nullable [] initial,
                                 double[] finalH, double @Nullable [] trace, double @Nullable [] zeroedOutputs,
                                 FloatStepKernel step) {
        int steps = input.steps();
        int features = input.width();
        int units = units();
        int gates = 3 * units;
        int recurrentWidth = recurrentGates.numCols;
        int[] lengths = input.lengths();
        boolean[] mask = input.mask();
        int rows = to - from;

        float[] h = RecurrentSteps.initialRows(initial, from, rows, units);
        float[] next = new float[rows * units];
        float[] zx = new float[rows * gates];
        float[] zh = new float[rows * recurrentWidth];
        float[] resetState = resetAfter ? null : new float[rows * units];
        float[] candidate = resetAfter ? null : new float[rows * units];
        int[] inputStarts = new int[rows];
        int[] stateStarts = new int[rows];
        for (int r = 0; r < rows; r++) {
            stateStarts[r] = r * units;
        }
        for (int s = 0; s < steps; s++) {
            for (int r = 0; r < rows; r++) {
                inputStarts[r] = RecurrentSteps.inputRow(from + r, s, steps, features, lengths, goBackwards);
            }
            // each product from zero, then its own bias: x·W + b_x and h·U + b_h
            step.products(x, inputStarts, rows, features, kernel32, gates, inputBias32, 0, false, zx);
            step.products(h, stateStarts, rows, units, recurrentGates32, recurrentWidth, recurrentBias32, 0, false, zh);
            for (int r = 0; r < rows; r++) {
                int xr = r * gates;
                int hr = r * recurrentWidth;
                for (int j = 0; j < 2 * units; j++) {
                    zx[xr + j] += zh[hr + j];
                }
                RecurrentSteps.activateGate(recurrentActivation, zx, xr, units, step);
                RecurrentSteps.activateGate(recurrentActivation, zx, xr + units, units, step);
                if (resetAfter) {
                    for (int j = 0; j < units; j++) {
                        zx[xr + 2 * units + j] += zx[xr + units + j] * zh[hr + 2 * units + j];
                    }
                } else {
                    for (int j = 0; j < units; j++) {
                        resetState[r * units + j] = zx[xr + units + j] * h[r * units + j];
                    }
                }
            }
            if (!resetAfter) {
                step.products(resetState, stateStarts, rows, units, recurrentCandidate32, units, null, 0, false,
                        candidate);
                for (int r = 0; r < rows; r++) {
                    for (int j = 0; j < units; j++) {
                        zx[r * gates + 2 * units + j] += candidate[r * units + j];
                    }
                }
            }
            for (int r = 0; r < rows; r++) {
                int xr = r * gates;
                int sr = r * units;
                RecurrentSteps.activate(activation, zx, xr + 2 * units, units, step);
                if (RecurrentSteps.active(from + r, s, steps, lengths, mask, goBackwards)) {
                    for (int j = 0; j < units; j++) {
                        float z = zx[xr + j];
                        next[sr + j] = z * h[sr + j] + (1.0f - z) * zx[xr + 2 * units + j];
                    }
                    if (zeroedOutputs != null) {
                        RecurrentSteps.widen(next, sr, zeroedOutputs, ((from + r) * steps + s) * units, units);
                    }
                } else {
                    System.arraycopy(h, sr, next, sr, units);
                }
            }
            float[] swap = h;
            h = next;
            next = swap;
            RecurrentSteps.storeStep(h, trace, from, rows, s, steps, units);
        }
        RecurrentSteps.copyRows(h, finalH, from, rows, units);
    }
}
