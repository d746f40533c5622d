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

    private DenseLayer(String name, DMatrixRMaj kernel, double @Nullable [] bias, Activation activation) {
        this.name = name;
        this.kernel = kernel;
        this.bias = bias;
        this.activation = activation;
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
        int rows = input.rows();
        DMatrixRMaj out = new DMatrixRMaj(rows, units());
        CommonOps_DDRM.mult(DMatrixRMaj.wrap(rows, input.width(), input.values()), kernel, out);
        if (bias != null) {
            addRowVector(out.data, bias);
        }
        return input.withValues(activation.transformRows(out.data, rows, units()), activation.outputWidth(units()));
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
