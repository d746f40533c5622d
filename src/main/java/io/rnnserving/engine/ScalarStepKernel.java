package io.rnnserving.engine;

/** {@link StepKernel} in plain Java: {@link RowProducts}' two-row loop, which C2 turns into SIMD where it can. */
final class ScalarStepKernel implements StepKernel {
    private final String description;

    ScalarStepKernel(String description) {
        this.description = description;
    }

    @Override
    public void addProducts(double[] a, int[] aRowStarts, int rows, int inner, double[] b, int cols, double[] c) {
        int r = 0;
        for (; r + 1 < rows; r += 2) {
            RowProducts.addTwoRowsTimes(a, aRowStarts[r], aRowStarts[r + 1], inner, b, cols, c, r * cols,
                    (r + 1) * cols);
        }
        if (r < rows) {
            RowProducts.addRowTimes(a, aRowStarts[r], inner, b, cols, c, r * cols);
        }
    }

    @Override
    public void tanhInPlace(double[] values, int from, int to) {
        Tanh.inPlace(values, from, to);
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
