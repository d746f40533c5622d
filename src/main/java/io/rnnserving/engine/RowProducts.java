package io.rnnserving.engine;

/**
 * {@code c[i,:] += a[i,:]·B} for one or two rows at a time, B row-major K×M. Each element sums its products in
 * ascending k onto c, the order of EJML's {@code multAdd} from 15 columns up, so the results are bit-for-bit
 * EJML's; {@link #addRowTimesSmall} keeps EJML's order below that.
 * The inner loop is a plain axpy over B's row that C2 turns into SIMD; doing two rows per pass reads B once
 * for both.
 */
final class RowProducts {
    private RowProducts() {
    }

    /** {@code c[cOff, cOff+cols) += a[aOff, aOff+inner) · b}, b inner×cols. */
    static void addRowTimes(double[] a, int aOff, int inner, double[] b, int cols, double[] c, int cOff) {
        for (int k = 0; k < inner; k++) {
            double ak = a[aOff + k];
            int bOff = k * cols;
            for (int j = 0; j < cols; j++) {
                c[cOff + j] += ak * b[bOff + j];
            }
        }
    }

    /**
     * {@link #addRowTimes} for two rows at once: rows at a0Off/c0Off and a1Off/c1Off. Four k at a time are summed
     * in a register, left to right, before c is stored: the same order, a quarter of the loads and stores of c.
     */
    static void addTwoRowsTimes(double[] a, int a0Off, int a1Off, int inner, double[] b, int cols,
                                double[] c, int c0Off, int c1Off) {
        int k = 0;
        for (; k + 3 < inner; k += 4) {
            double a00 = a[a0Off + k];
            double a01 = a[a0Off + k + 1];
            double a02 = a[a0Off + k + 2];
            double a03 = a[a0Off + k + 3];
            double a10 = a[a1Off + k];
            double a11 = a[a1Off + k + 1];
            double a12 = a[a1Off + k + 2];
            double a13 = a[a1Off + k + 3];
            int b0 = k * cols;
            int b1 = b0 + cols;
            int b2 = b1 + cols;
            int b3 = b2 + cols;
            for (int j = 0; j < cols; j++) {
                double bk0 = b[b0 + j];
                double bk1 = b[b1 + j];
                double bk2 = b[b2 + j];
                double bk3 = b[b3 + j];
                c[c0Off + j] = c[c0Off + j] + a00 * bk0 + a01 * bk1 + a02 * bk2 + a03 * bk3;
                c[c1Off + j] = c[c1Off + j] + a10 * bk0 + a11 * bk1 + a12 * bk2 + a13 * bk3;
            }
        }
        for (; k < inner; k++) {
            double a0 = a[a0Off + k];
            double a1 = a[a1Off + k];
            int bOff = k * cols;
            for (int j = 0; j < cols; j++) {
                double bkj = b[bOff + j];
                c[c0Off + j] += a0 * bkj;
                c[c1Off + j] += a1 * bkj;
            }
        }
    }

    /** {@link #addRowTimes} in EJML's small-matrix order: the products summed from zero, then added to c. */
    static void addRowTimesSmall(double[] a, int aOff, int inner, double[] b, int cols, double[] c, int cOff) {
        for (int j = 0; j < cols; j++) {
            double total = 0;
            for (int k = 0; k < inner; k++) {
                total += a[aOff + k] * b[k * cols + j];
            }
            c[cOff + j] += total;
        }
    }
}
