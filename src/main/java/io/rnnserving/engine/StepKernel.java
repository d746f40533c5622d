package io.rnnserving.engine;

/**
 * The arithmetic of a recurrent step over a block of rows: the two products and tanh. Every kernel gives the same
 * bits, whatever row, column or lane a value falls in, so a sample's answer does not depend on its batch nor on
 * whether the JVM could run SIMD.
 */
interface StepKernel {
    /** The module that holds the Vector API; the SIMD kernel is used when the JVM was started with it. */
    String VECTOR_MODULE = "jdk.incubator.vector";

    /**
     * {@code c[r,:] += a[r,:]·B}, B row-major inner×cols. Rows of c are contiguous (stride cols); rows of a start
     * wherever {@code aRowStarts} says, so a step reads its input rows straight out of the batch. Each element sums
     * its products in ascending k onto c, a multiply then an add (no fused multiply-add), as {@link RowProducts}.
     */
    void addProducts(double[] a, int[] aRowStarts, int rows, int inner, double[] b, int cols, double[] c);

    /** {@link Tanh#of} on values [from, to). */
    void tanhInPlace(double[] values, int from, int to);

    /** One line for the logs: which kernel runs and why. */
    String description();

    /** Rows the kernel computes together; rows past the last whole tile cost more each (1: no tiles). */
    int tileRows();

    /**
     * The SIMD kernel when the Vector API module is in the boot layer ({@code --add-modules jdk.incubator.vector})
     * and {@code vector} is true, else the scalar one.
     */
    static StepKernel select(boolean vector) {
        if (!vector) {
            return new ScalarStepKernel("scalar step kernel (rnn-serving.engine.vector=false)");
        }
        if (ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty()) {
            return new ScalarStepKernel(
                    "scalar step kernel (start the JVM with --add-modules " + VECTOR_MODULE + " for SIMD)");
        }
        try {
            return new VectorStepKernel();
        } catch (LinkageError e) {
            return new ScalarStepKernel("scalar step kernel (the Vector API did not load: " + e + ")");
        }
    }
}
