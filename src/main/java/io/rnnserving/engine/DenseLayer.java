package io.rnnserving.engine;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.jspecify.annotations.Nullable;

/** Keras' {@code Dense}: {@code act(x·W + b)}, applied at every timestep when given sequences. */
public final class DenseLayer implements Layer {
    private final String name;
    private final DMatrixRMaj kernel;
    private final double @Nullable [] bias;
    private final Activation activation;
    /** The weights in float32, for float32 models. */
    private final float[] kernel32;
    private final float @Nullable [] bias32;

    private DenseLayer(String name, DMatrixRMaj kernel, double @Nullable [] bias, Activation activation) {
        this.name = name;
        this.kernel = kernel;
        this.bias = bias;
        this.activation = activation;
        this.kernel32 = Matrices.narrowed(kernel.data);
        this.bias32 = Matrices.narrowed(bias);
    }

    /** {@code kernel} F×K, {@code bias} K or null for {@code use_bias=False}; the arrays are copied. */
    public static DenseLayer of(String name, double[][] kernel, double @Nullable [] bias, Activation activation) {
        DMatrixRMaj w = Matrices.of(name + ".kernel", kernel);
        if (bias != null && bias.length != w.numCols) {
            throw new IllegalArgumentException(name + ".bias has " + bias.length + " values but the Dense has "
                    + w.numCols + " units");
        }
        return new DenseLayer(name, w, bias == null ? null : bias.clone(), activation);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String kerasClass() {
        return "Dense";
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

    public boolean usesBias() {
        return bias != null;
    }

    @Override
    public long parameterCount() {
        return (long) kernel.getNumElements() + (bias == null ? 0 : bias.length);
    }

    @Override
    public int outputWidth(int inputWidth) {
        return activation.outputWidth(units());
    }

    @Override
    public Tensor forward(Tensor input, ForwardContext context) {
        if (context.execution().float32()) {
            return forwardFloat(input, context.execution().floatKernel());
        }
        int rows = input.rows();
        DMatrixRMaj out = new DMatrixRMaj(rows, units());
        CommonOps_DDRM.mult(DMatrixRMaj.wrap(rows, input.width(), input.values()), kernel, out);
        if (bias != null) {
            addRowVector(out.data, bias);
        }
        return input.withValues(activation.transformRows(out.data, rows, units()), activation.outputWidth(units()));
    }

    /**
     * {@code x·W + b} in float32 on the float kernel (each output an fma chain in ascending k, then the bias); the
     * activation in double on those floats, which the model rounds back to float (within an ulp of Keras' float32).
     */
    private Tensor forwardFloat(Tensor input, FloatStepKernel step) {
        int rows = input.rows();
        int width = input.width();
        int units = units();
        float[] x = input.floatValues();
        float[] out = new float[rows * units];
        int[] starts = new int[rows];
        for (int r = 0; r < rows; r++) {
            starts[r] = r * width;
        }
        step.products(x, starts, rows, width, kernel32, units, null, 0, false, out);
        double[] wide = new double[out.length];
        for (int i = 0; i < out.length; i++) {
            wide[i] = bias32 == null ? out[i] : out[i] + bias32[i % units];
        }
        return input.withValues(activation.transformRows(wide, rows, units), activation.outputWidth(units));
    }

    private static void addRowVector(double[] rows, double[] vector) {
        int width = vector.length;
        for (int start = 0; start < rows.length; start += width) {
            for (int j = 0; j < width; j++) {
                rows[start + j] += vector[j];
            }
        }
    }
}
