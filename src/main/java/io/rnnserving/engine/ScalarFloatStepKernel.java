package io.rnnserving.engine;

import org.jspecify.annotations.Nullable;

/**
 * {@link FloatStepKernel} in plain Java: two rows per pass over B (each loaded element of B serves both), the inner
 * loop an fma axpy that C2 turns into SIMD where it can, into a row of products that the addend then joins.
 */
final class ScalarFloatStepKernel implements FloatStepKernel {
    private final String description;

    ScalarFloatStepKernel(String description) {
        this.description = description;
    }

    @Override
    public void products(float[] a, int[] aRowStarts, int rows, int inner, float[] b, int cols,
                         float @Nullable [] addend, int addendRowStride, boolean tanh, float[] c) {
        float[] p0 = new float[cols];
        float[] p1 = new float[cols];
        int r = 0;
        for (; r + 1 < rows; r += 2) {
            int a0 = aRowStarts[r];
            int a1 = aRowStarts[r + 1];
            java.util.Arrays.fill(p0, 0.0f);
            java.util.Arrays.fill(p1, 0.0f);
            for (int k = 0; k < inner; k++) {
                float x0 = a[a0 + k];
                float x1 = a[a1 + k];
                int bk = k * cols;
                for (int j = 0; j < cols; j++) {
                    float bkj = b[bk + j];
                    p0[j] = Math.fma(x0, bkj, p0[j]);
                    p1[j] = Math.fma(x1, bkj, p1[j]);
                }
            }
            finishRow(p0, r, cols, addend, addendRowStride, tanh, c);
            finishRow(p1, r + 1, cols, addend, addendRowStride, tanh, c);
        }
        if (r < rows) {
            int a0 = aRowStarts[r];
            java.util.Arrays.fill(p0, 0.0f);
            for (int k = 0; k < inner; k++) {
                float x0 = a[a0 + k];
                int bk = k * cols;
                for (int j = 0; j < cols; j++) {
                    p0[j] = Math.fma(x0, b[bk + j], p0[j]);
                }
            }
            finishRow(p0, r, cols, addend, addendRowStride, tanh, c);
        }
    }

    /** Row r of c: the products, plus the addend's row (one rounding), then tanh where asked. */
    private static void finishRow(float[] products, int r, int cols, float @Nullable [] addend, int addendRowStride,
                                  boolean tanh, float[] c) {
        int cStart = r * cols;
        int dStart = r * addendRowStride;
        for (int j = 0; j < cols; j++) {
            c[cStart + j] = addend == null ? products[j] : products[j] + addend[dStart + j];
        }
        if (tanh) {
            FloatTanh.inPlace(c, cStart, cStart + cols);
        }
    }

    @Override
    public void tanhInPlace(float[] values, int from, int to) {
        FloatTanh.inPlace(values, from, to);
    }

    @Override
    public int tileRows() {
        return 1;
    }

    @Override
    public String description() {
        return description;
    }
}
