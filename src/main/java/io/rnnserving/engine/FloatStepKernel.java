package io.rnnserving.engine;

import org.jspecify.annotations.Nullable;

/**
 * {@link StepKernel}'s float32 counterpart, for models that compute in {@link Precision#FLOAT32}. Every kernel gives
 * the same bits whatever row, column or lane a value falls in: products are fused multiply-adds in ascending k
 * ({@link Math#fma} is exact by definition, so the plain-Java and SIMD kernels agree), and tanh is
 * {@link FloatTanh}'s rational function, the same operations on every lane.
 */
interface FloatStepKernel {

    /**
     * {@code c[r,:] = a[r,:]·B + addend[r,:]}, then tanh where asked: B row-major inner×cols; rows of c contiguous
     * (stride cols), rows of a starting wherever {@code aRowStarts} says. Each product is {@code p = fma(a[r,k],
     * B[k,j], p)} for k ascending from +0, then one rounded {@code p + addend[r·addendRowStride + j]} (none when
     * addend is null): Keras' order, each product rounded apart before the bias or the other product is added.
     * {@code addendRowStride} 0 adds one row (a bias) to every row; the addend may be c itself (read before it is
     * written); a must not overlap c.
     */
    void products(float[] a, int[] aRowStarts, int rows, int inner, float[] b, int cols, float @Nullable [] addend,
                  int addendRowStride, boolean tanh, float[] c);

    /** {@link FloatTanh#of} on values [from, to). */
    void tanhInPlace(float[] values, int from, int to);

    /** One line for the logs: which kernel runs and why. */
    String description();

    /** Rows the kernel computes together; rows past the last whole tile cost more each (1: no tiles). */
    int tileRows();

    /**
     * The SIMD kernel of the width {@code vectorBits} asks for (0: the machine's widest, 512 or 256) when the Vector
     * API module is in the boot layer and {@code vector} is true, else the plain-Java one. A width the machine does
     * not have in hardware falls back to the machine's own (the Vector API would emulate it, far slower than plain
     * Java).
     */
    static FloatStepKernel select(boolean vector, int vectorBits) {
        if (!vector) {
            return new ScalarFloatStepKernel("plain-Java float kernel (rnn-serving.engine.vector=false)");
        }
        if (ModuleLayer.boot().findModule(StepKernel.VECTOR_MODULE).isEmpty()) {
            return new ScalarFloatStepKernel("plain-Java float kernel (start the JVM with --add-modules "
                    + StepKernel.VECTOR_MODULE + " for SIMD)");
        }
        try {
            int machine = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize();
            if (machine < 256) {
                return new ScalarFloatStepKernel("plain-Java float kernel (the machine's vectors are " + machine
                        + " bits; the SIMD float kernel needs 256 or 512)");
            }
            int bits = vectorBits == 0 || vectorBits > machine ? machine : vectorBits;
            String why = vectorBits == 0 ? "the machine's widest"
                    : vectorBits > machine ? vectorBits + " asked, but the machine's vectors are " + machine + " bits"
                    : "rnn-serving.engine.vector-bits=" + vectorBits;
            return bits >= 512 ? new Float512StepKernel(why) : new Float256StepKernel(why);
        } catch (LinkageError e) {
            return new ScalarFloatStepKernel("plain-Java float kernel (the Vector API did not load: " + e + ")");
        }
    }
}
