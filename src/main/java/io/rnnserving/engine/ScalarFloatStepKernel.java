package io.rnnserving.engine;

/**
 * {@link FloatStepKernel} in plain Java: two rows per pass over B (each loaded element of B serves both), the inner
 * loop an fma axpy that C2 turns into SIMD where it can.
 */
final class ScalarFloatStepKernel implements FloatStepKernel {
    private final String description;

    ScalarFloatStepKernel(String description) {
        this.description = description;
    }

    @Override
    public void addProducts(float[] a, int[] aRowStarts, int rows, int inner, float[] b, int cols, float[] c) {
        int r = 0;
        for (; r + 1 < rows; r += 2) {
            int a0 = aRowStarts[r];
            int a1 = aRowStarts[r + 1];
            int c0 = r * cols;
            int c1 = c0 + cols;
            for (int k = 0; k < inner; k++) {
                float x0 = a[a0 + k];
                float x1 = a[a1 + k];
                int bk = k * cols;
                for (int j = 0; j < cols; j++) {
                    float bkj = b[bk + j];
                    c[c0 + j] = Math.fma(x0, bkj, c[c0 + j]);
                    c[c1 + j] = Math.fma(x1, bkj, c[c1 + j]);
                }
            }
        }
        if (r < rows) {
            int a0 = aRowStarts[r];
            int c0 = r * cols;
            for (int k = 0; k < inner; k++) {
                float x0 = a[a0 + k];
                int bk = k * cols;
                for (int j = 0; j < cols; j++) {
                    c[c0 + j] = Math.fma(x0, b[bk + j], c[c0 + j]);
                }
            }
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
