package io.rnnserving.engine;

import java.util.List;

import org.ejml.data.DMatrixRMaj;
import org.jspecify.annotations.Nullable;

/**
 * Keras' {@code LSTM}: with {@code z = x_t·W + h·U + b} split into gates i, f, c, o (Keras' order),
 * {@code c_t = ra(z_f)·c + ra(z_i)·act(z_c)} and {@code h_t = ra(z_o)·act(c_t)}, from h and c (zeros unless
 * given). Its state has two parts, {@code h} and {@code c}; its output is h.
 */
public final class LstmLayer implements RecurrentLayer, Recurrence {
    private static final List<String> PARTS = List.of("h", "c");

    private final String name;
    private final DMatrixRMaj kernel;
    private final DMatrixRMaj recurrentKernel;
    private final double @Nullable [] bias;
    private final Activation activation;
    private final Activation recurrentActivation;
    private final boolean returnSequences;
    private final boolean goBackwards;
    private final boolean stateful;
    /** The weights in float32, for float32 models. */
    private final float[] kernel32;
    private final float[] recurrentKernel32;
    private final float @Nullable [] bias32;

    private LstmLayer(String name, DMatrixRMaj kernel, DMatrixRMaj recurrentKernel, double @Nullable [] bias,
                      Activation activation, Activation recurrentActivation, boolean returnSequences,
                      boolean goBackwards, boolean stateful) {
        this.name = name;
        this.kernel = kernel;
        this.recurrentKernel = recurrentKernel;
        this.bias = bias;
        this.activation = activation;
        this.recurrentActivation = recurrentActivation;
        this.returnSequences = returnSequences;
        this.goBackwards = goBackwards;
        this.stateful = stateful;
        this.kernel32 = Matrices.narrowed(kernel.data);
        this.recurrentKernel32 = Matrices.narrowed(recurrentKernel.data);
        this.bias32 = Matrices.narrowed(bias);
    }

    /**
     * Builds the layer from Keras' {@code get_weights()}: {@code kernel} D×4M, {@code recurrentKernel} M×4M,
     * {@code bias} 4M or null for {@code use_bias=False}, columns in gate order i, f, c, o. The arrays are copied.
     */
    public static LstmLayer of(String name, double[][] kernel, double[][] recurrentKernel, double @Nullable [] bias,
                               Activation activation, Activation recurrentActivation, boolean returnSequences,
                               boolean goBackwards, boolean stateful) {
        RecurrentSteps.refuseGlu(name, "LSTM", activation, recurrentActivation);
        DMatrixRMaj w = Matrices.of(name + ".kernel", kernel);
        DMatrixRMaj u = Matrices.of(name + ".recurrentKernel", recurrentKernel);
        int units = u.numRows;
        if (u.numCols != 4 * units) {
            throw new IllegalArgumentException(name + ".recurrentKernel is " + u.numRows + "×" + u.numCols
                    + " but an LSTM's is M×4M (gates i, f, c, o)");
        }
        if (w.numCols != 4 * units) {
            throw new IllegalArgumentException(name + ".kernel is " + w.numRows + "×" + w.numCols + " but the LSTM has "
                    + units + " units, so it must be D×" + 4 * units);
        }
        if (bias != null && bias.length != 4 * units) {
            throw new IllegalArgumentException(name + ".bias has " + bias.length + " values but the LSTM has " + units
                    + " units, so it needs " + 4 * units);
        }
        return new LstmLayer(name, w, u, bias == null ? null : bias.clone(), activation, recurrentActivation,
                returnSequences, goBackwards, stateful);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String kerasClass() {
        return "LSTM";
    }

    @Override
    public int units() {
        return recurrentKernel.numRows;
    }

    @Override
    public int inputFeatures() {
        return kernel.numRows;
    }

    public Activation activation() {
        return activation;
    }

    public Activation recurrentActivation() {
        return recurrentActivation;
    }

    public boolean usesBias() {
        return bias != null;
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
        int size = samples * steps * units;
        double[] finalH = new double[samples * units];
        double[] finalC = new double[samples * units];
        double[] traceH = keepTraces || (keepOutputs && !zeroMaskedOutputs) ? new double[size] : null;
        double[] traceC = keepTraces ? new double[size] : null;
        double[] outputs = keepOutputs ? (zeroMaskedOutputs ? new double[size] : traceH) : null;
        long workPerSample = (long) steps * 4 * units * (units + inputFeatures());
        if (execution.float32()) {
            float[] x = input.floatValues();
            SampleSlices.forEach(execution.threads(), samples, workPerSample, (from, to) -> runSamplesFloat(input, x,
                    from, to, initial, finalH, finalC, traceH, traceC, zeroMaskedOutputs ? outputs : null,
                    execution.floatKernel()));
        } else {
            SampleSlices.forEach(execution.threads(), samples, workPerSample, (from, to) -> runSamples(input, from,
                    to, initial, finalH, finalC, traceH, traceC, zeroMaskedOutputs ? outputs : null,
                    execution.kernel()));
        }
        StateSequence[] traces = keepTraces ? new StateSequence[] {
                new StateSequence(traceH, samples, steps, units, input.lengths()),
                new StateSequence(traceC, samples, steps, units, input.lengths())} : null;
        return new Run(outputs, new double[][] {finalH, finalC}, traces);
    }

    private void runSamples(Tensor input, int from, int to, double @Nullable [][] initial, double[] finalH,
                            double[] finalC, double @Nullable [] traceH, double @Nullable [] traceC,
                            double @Nullable [] zeroedOutputs, StepKernel step) {
        int steps = input.steps();
        int features = input.width();
        int units = units();
        int gates = 4 * units;
        int[] lengths = input.lengths();
        boolean[] mask = input.mask();
        int rows = to - from;

        double[] h = new double[rows * units];
        double[] c = new double[rows * units];
        if (initial != null) {
            System.arraycopy(initial[0], from * units, h, 0, rows * units);
            System.arraycopy(initial[1], from * units, c, 0, rows * units);
        }
        double[] nextH = new double[rows * units];
        double[] nextC = new double[rows * units];
        double[] z = new double[rows * gates];
        int[] inputStarts = new int[rows];
        int[] stateStarts = new int[rows];
        for (int r = 0; r < rows; r++) {
            stateStarts[r] = r * units;
        }
        for (int s = 0; s < steps; s++) {
            java.util.Arrays.fill(z, 0.0);
            for (int r = 0; r < rows; r++) {
                inputStarts[r] = RecurrentSteps.inputRow(from + r, s, steps, features, lengths, goBackwards);
            }
            step.addProducts(input.values(), inputStarts, rows, features, kernel.data, gates, z);
            step.addProducts(h, stateStarts, rows, units, recurrentKernel.data, gates, z);
            for (int r = 0; r < rows; r++) {
                int zr = r * gates;
                int sr = r * units;
                if (bias != null) {
                    for (int j = 0; j < gates; j++) {
                        z[zr + j] += bias[j];
                    }
                }
                RecurrentSteps.activateGate(recurrentActivation, z, zr, units, step);
                RecurrentSteps.activateGate(recurrentActivation, z, zr + units, units, step);
                RecurrentSteps.activate(activation, z, zr + 2 * units, units, step);
                RecurrentSteps.activateGate(recurrentActivation, z, zr + 3 * units, units, step);
                for (int j = 0; j < units; j++) {
                    nextC[sr + j] = z[zr + units + j] * c[sr + j] + z[zr + j] * z[zr + 2 * units + j];
                }
                System.arraycopy(nextC, sr, nextH, sr, units);
                RecurrentSteps.activate(activation, nextH, sr, units, step);
                for (int j = 0; j < units; j++) {
                    nextH[sr + j] = z[zr + 3 * units + j] * nextH[sr + j];
                }
                boolean active = RecurrentSteps.active(from + r, s, steps, lengths, mask, goBackwards);
                if (!active) {
                    System.arraycopy(h, sr, nextH, sr, units);
                    System.arraycopy(c, sr, nextC, sr, units);
                } else if (zeroedOutputs != null) {
                    System.arraycopy(nextH, sr, zeroedOutputs, ((from + r) * steps + s) * units, units);
                }
            }
            double[] swap = h;
            h = nextH;
            nextH = swap;
            swap = c;
            c = nextC;
            nextC = swap;
            RecurrentSteps.storeStep(h, traceH, from, rows, s, steps, units);
            RecurrentSteps.storeStep(c, traceC, from, rows, s, steps, units);
        }
        RecurrentSteps.copyRows(h, finalH, from, rows, units);
        RecurrentSteps.copyRows(c, finalC, from, rows, units);
    }

    /** {@link #runSamples} in float32 on the float kernel, reading the narrowed input x. */
    private void runSamplesFloat(Tensor input, float[] x, int from, int to, double @Nullable [][] initial,
                                 double[] finalH, double[] finalC, double @Nullable [] traceH,
                                 double @Nullable [] traceC, double @Nullable [] zeroedOutputs, FloatStepKernel step) {
        int steps = input.steps();
        int features = input.width();
        int units = units();
        int gates = 4 * units;
        int[] lengths = input.lengths();
        boolean[] mask = input.mask();
        int rows = to - from;

        float[] h = RecurrentSteps.initialRows(initial == null ? null : initial[0], from, rows, units);
        float[] c = RecurrentSteps.initialRows(initial == null ? null : initial[1], from, rows, units);
        float[] nextH = new float[rows * units];
        float[] nextC = new float[rows * units];
        float[] z = new float[rows * gates];
        int[] inputStarts = new int[rows];
        int[] stateStarts = new int[rows];
        for (int r = 0; r < rows; r++) {
            stateStarts[r] = r * units;
        }
        for (int s = 0; s < steps; s++) {
            for (int r = 0; r < rows; r++) {
                inputStarts[r] = RecurrentSteps.inputRow(from + r, s, steps, features, lengths, goBackwards);
            }
            // Keras' order of roundings: x·W + h·U, then + b, each product computed from zero
            step.products(x, inputStarts, rows, features, kernel32, gates, null, 0, false, z);
            step.products(h, stateStarts, rows, units, recurrentKernel32, gates, z, gates, false, z);
            for (int r = 0; r < rows; r++) {
                int zr = r * gates;
                int sr = r * units;
                if (bias32 != null) {
                    for (int j = 0; j < gates; j++) {
                        z[zr + j] += bias32[j];
                    }
                }
                RecurrentSteps.activateGate(recurrentActivation, z, zr, units, step);
                RecurrentSteps.activateGate(recurrentActivation, z, zr + units, units, step);
                RecurrentSteps.activate(activation, z, zr + 2 * units, units, step);
                RecurrentSteps.activateGate(recurrentActivation, z, zr + 3 * units, units, step);
                for (int j = 0; j < units; j++) {
                    nextC[sr + j] = z[zr + units + j] * c[sr + j] + z[zr + j] * z[zr + 2 * units + j];
                }
                System.arraycopy(nextC, sr, nextH, sr, units);
                RecurrentSteps.activate(activation, nextH, sr, units, step);
                for (int j = 0; j < units; j++) {
                    nextH[sr + j] = z[zr + 3 * units + j] * nextH[sr + j];
                }
                boolean active = RecurrentSteps.active(from + r, s, steps, lengths, mask, goBackwards);
                if (!active) {
                    System.arraycopy(h, sr, nextH, sr, units);
                    System.arraycopy(c, sr, nextC, sr, units);
                } else if (zeroedOutputs != null) {
                    RecurrentSteps.widen(nextH, sr, zeroedOutputs, ((from + r) * steps + s) * units, units);
                }
            }
            float[] swap = h;
            h = nextH;
            nextH = swap;
            swap = c;
            c = nextC;
            nextC = swap;
            RecurrentSteps.storeStep(h, traceH, from, rows, s, steps, units);
            RecurrentSteps.storeStep(c, traceC, from, rows, s, steps, units);
        }
        RecurrentSteps.copyRows(h, finalH, from, rows, units);
        RecurrentSteps.copyRows(c, finalC, from, rows, units);
    }
}
