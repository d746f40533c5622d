package io.rnnserving.engine;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link StepKernel} on the Vector API. Products: a tile of six rows by four vectors of c (two below 512-bit
 * vectors) stays in registers while k runs, so each loaded vector of B serves six rows and c is read and written
 * once per tile instead of once per k. Lanes multiply and then add in ascending k, as {@link RowProducts} does,
 * so the bits are the same. Columns past the last whole vector, and rows past the last six, take narrower tiles
 * and plain Java.
 * tanh: {@link Tanh}'s operations in the same order on every lane, both branches computed and one kept.
 */
final class VectorStepKernel implements StepKernel {
    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    private static final int TILE_ROWS = 6;

    /** Six rows by four vectors keeps 24 accumulators in registers: only with 512-bit vectors (32 registers). */
    private final boolean fourVectorTiles;

    VectorStepKernel() {
        this(SPECIES.vectorBitSize() >= 512);
    }

    VectorStepKernel(boolean fourVectorTiles) {
        this.fourVectorTiles = fourVectorTiles;
    }

    @Override
    public void addProducts(double[] a, int[] aRowStarts, int rows, int inner, double[] b, int cols, double[] c) {
        int panel = (fourVectorTiles ? 4 : 2) * LANES;
        int r = 0;
        for (; r + TILE_ROWS <= rows; r += TILE_ROWS) {
            int j = 0;
            for (; j + panel <= cols; j += panel) {
                if (fourVectorTiles) {
                    sixRowsFourVectors(a, aRowStarts, r, inner, b, cols, c, j);
                } else {
                    sixRowsTwoVectors(a, aRowStarts, r, inner, b, cols, c, j);
                }
            }
            for (; j + LANES <= cols; j += LANES) {
                sixRowsOneVector(a, aRowStarts, r, inner, b, cols, c, j);
            }
            remainingColumns(a, aRowStarts, r, r + TILE_ROWS, inner, b, cols, c, j);
        }
        remainingColumns(a, aRowStarts, r, rows, inner, b, cols, c, 0);
    }

    @Override
    public void tanhInPlace(double[] values, int from, int to) {
        int i = from;
        for (; i + LANES <= to; i += LANES) {
            tanh(DoubleVector.fromArray(SPECIES, values, i)).intoArray(values, i);
        }
        Tanh.inPlace(values, i, to);
    }

    @Override
    public int tileRows() {
        return TILE_ROWS;
    }

    @Override
    public String description() {
        return "SIMD step kernel (" + VECTOR_MODULE + ", " + LANES + " doubles per vector, tiles of six rows by "
                + (fourVectorTiles ? "four" : "two") + " vectors)";
    }

    private static void sixRowsFourVectors(double[] a, int[] aRowStarts, int r, int inner, double[] b, int cols,
                                             double[] c, int j) {
        int a0 = aRowStarts[r + 0];
        int a1 = aRowStarts[r + 1];
        int a2 = aRowStarts[r + 2];
        int a3 = aRowStarts[r + 3];
        int a4 = aRowStarts[r + 4];
        int a5 = aRowStarts[r + 5];
        int c0 = r * cols + j;
        int c1 = c0 + cols;
        int c2 = c1 + cols;
        int c3 = c2 + cols;
        int c4 = c3 + cols;
        int c5 = c4 + cols;
        DoubleVector s00 = DoubleVector.fromArray(SPECIES, c, c0);
        DoubleVector s01 = DoubleVector.fromArray(SPECIES, c, c0 + LANES);
        DoubleVector s02 = DoubleVector.fromArray(SPECIES, c, c0 + 2 * LANES);
        DoubleVector s03 = DoubleVector.fromArray(SPECIES, c, c0 + 3 * LANES);
        DoubleVector s10 = DoubleVector.fromArray(SPECIES, c, c1);
        DoubleVector s11 = DoubleVector.fromArray(SPECIES, c, c1 + LANES);
        DoubleVector s12 = DoubleVector.fromArray(SPECIES, c, c1 + 2 * LANES);
        DoubleVector s13 = DoubleVector.fromArray(SPECIES, c, c1 + 3 * LANES);
        DoubleVector s20 = DoubleVector.fromArray(SPECIES, c, c2);
        DoubleVector s21 = DoubleVector.fromArray(SPECIES, c, c2 + LANES);
        DoubleVector s22 = DoubleVector.fromArray(SPECIES, c, c2 + 2 * LANES);
        DoubleVector s23 = DoubleVector.fromArray(SPECIES, c, c2 + 3 * LANES);
        DoubleVector s30 = DoubleVector.fromArray(SPECIES, c, c3);
        DoubleVector s31 = DoubleVector.fromArray(SPECIES, c, c3 + LANES);
        DoubleVector s32 = DoubleVector.fromArray(SPECIES, c, c3 + 2 * LANES);
        DoubleVector s33 = DoubleVector.fromArray(SPECIES, c, c3 + 3 * LANES);
        DoubleVector s40 = DoubleVector.fromArray(SPECIES, c, c4);
        DoubleVector s41 = DoubleVector.fromArray(SPECIES, c, c4 + LANES);
        DoubleVector s42 = DoubleVector.fromArray(SPECIES, c, c4 + 2 * LANES);
        DoubleVector s43 = DoubleVector.fromArray(SPECIES, c, c4 + 3 * LANES);
        DoubleVector s50 = DoubleVector.fromArray(SPECIES, c, c5);
        DoubleVector s51 = DoubleVector.fromArray(SPECIES, c, c5 + LANES);
        DoubleVector s52 = DoubleVector.fromArray(SPECIES, c, c5 + 2 * LANES);
        DoubleVector s53 = DoubleVector.fromArray(SPECIES, c, c5 + 3 * LANES);
        for (int k = 0, bk = j; k < inner; k++, bk += cols) {
            DoubleVector b0 = DoubleVector.fromArray(SPECIES, b, bk);
            DoubleVector b1 = DoubleVector.fromArray(SPECIES, b, bk + LANES);
            DoubleVector b2 = DoubleVector.fromArray(SPECIES, b, bk + 2 * LANES);
            DoubleVector b3 = DoubleVector.fromArray(SPECIES, b, bk + 3 * LANES);
            DoubleVector x = DoubleVector.broadcast(SPECIES, a[a0 + k]);
            s00 = s00.add(x.mul(b0));
            s01 = s01.add(x.mul(b1));
            s02 = s02.add(x.mul(b2));
            s03 = s03.add(x.mul(b3));
            x = DoubleVector.broadcast(SPECIES, a[a1 + k]);
            s10 = s10.add(x.mul(b0));
            s11 = s11.add(x.mul(b1));
            s12 = s12.add(x.mul(b2));
            s13 = s13.add(x.mul(b3));
            x = DoubleVector.broadcast(SPECIES, a[a2 + k]);
            s20 = s20.add(x.mul(b0));
            s21 = s21.add(x.mul(b1));
            s22 = s22.add(x.mul(b2));
            s23 = s23.add(x.mul(b3));
            x = DoubleVector.broadcast(SPECIES, a[a3 + k]);
            s30 = s30.add(x.mul(b0));
            s31 = s31.add(x.mul(b1));
            s32 = s32.add(x.mul(b2));
            s33 = s33.add(x.mul(b3));
            x = DoubleVector.broadcast(SPECIES, a[a4 + k]);
            s40 = s40.add(x.mul(b0));
            s41 = s41.add(x.mul(b1));
            s42 = s42.add(x.mul(b2));
            s43 = s43.add(x.mul(b3));
            x = DoubleVector.broadcast(SPECIES, a[a5 + k]);
            s50 = s50.add(x.mul(b0));
            s51 = s51.add(x.mul(b1));
            s52 = s52.add(x.mul(b2));
            s53 = s53.add(x.mul(b3));
        }
        s00.intoArray(c, c0);
        s01.intoArray(c, c0 + LANES);
        s02.intoArray(c, c0 + 2 * LANES);
        s03.intoArray(c, c0 + 3 * LANES);
        s10.intoArray(c, c1);
        s11.intoArray(c, c1 + LANES);
        s12.intoArray(c, c1 + 2 * LANES);
        s13.intoArray(c, c1 + 3 * LANES);
        s20.intoArray(c, c2);
        s21.intoArray(c, c2 + LANES);
        s22.intoArray(c, c2 + 2 * LANES);
        s23.intoArray(c, c2 + 3 * LANES);
        s30.intoArray(c, c3);
        s31.intoArray(c, c3 + LANES);
        s32.intoArray(c, c3 + 2 * LANES);
        s33.intoArray(c, c3 + 3 * LANES);
        s40.intoArray(c, c4);
        s41.intoArray(c, c4 + LANES);
        s42.intoArray(c, c4 + 2 * LANES);
        s43.intoArray(c, c4 + 3 * LANES);
        s50.intoArray(c, c5);
        s51.intoArray(c, c5 + LANES);
        s52.intoArray(c, c5 + 2 * LANES);
        s53.intoArray(c, c5 + 3 * LANES);
    }

    private static void sixRowsTwoVectors(double[] a, int[] aRowStarts, int r, int inner, double[] b, int cols,
                                            double[] c, int j) {
        int a0 = aRowStarts[r + 0];
        int a1 = aRowStarts[r + 1];
        int a2 = aRowStarts[r + 2];
        int a3 = aRowStarts[r + 3];
        int a4 = aRowStarts[r + 4];
        int a5 = aRowStarts[r + 5];
        int c0 = r * cols + j;
        int c1 = c0 + cols;
        int c2 = c1 + cols;
        int c3 = c2 + cols;
        int c4 = c3 + cols;
        int c5 = c4 + cols;
        DoubleVector s00 = DoubleVector.fromArray(SPECIES, c, c0);
        DoubleVector s01 = DoubleVector.fromArray(SPECIES, c, c0 + LANES);
        DoubleVector s10 = DoubleVector.fromArray(SPECIES, c, c1);
        DoubleVector s11 = DoubleVector.fromArray(SPECIES, c, c1 + LANES);
        DoubleVector s20 = DoubleVector.fromArray(SPECIES, c, c2);
        DoubleVector s21 = DoubleVector.fromArray(SPECIES, c, c2 + LANES);
        DoubleVector s30 = DoubleVector.fromArray(SPECIES, c, c3);
        DoubleVector s31 = DoubleVector.fromArray(SPECIES, c, c3 + LANES);
        DoubleVector s40 = DoubleVector.fromArray(SPECIES, c, c4);
        DoubleVector s41 = DoubleVector.fromArray(SPECIES, c, c4 + LANES);
        DoubleVector s50 = DoubleVector.fromArray(SPECIES, c, c5);
        DoubleVector s51 = DoubleVector.fromArray(SPECIES, c, c5 + LANES);
        for (int k = 0, bk = j; k < inner; k++, bk += cols) {
            DoubleVector b0 = DoubleVector.fromArray(SPECIES, b, bk);
            DoubleVector b1 = DoubleVector.fromArray(SPECIES, b, bk + LANES);
            DoubleVector x = DoubleVector.broadcast(SPECIES, a[a0 + k]);
            s00 = s00.add(x.mul(b0));
            s01 = s01.add(x.mul(b1));
            x = DoubleVector.broadcast(SPECIES, a[a1 + k]);
            s10 = s10.add(x.mul(b0));
            s11 = s11.add(x.mul(b1));
            x = DoubleVector.broadcast(SPECIES, a[a2 + k]);
            s20 = s20.add(x.mul(b0));
            s21 = s21.add(x.mul(b1));
            x = DoubleVector.broadcast(SPECIES, a[a3 + k]);
            s30 = s30.add(x.mul(b0));
            s31 = s31.add(x.mul(b1));
            x = DoubleVector.broadcast(SPECIES, a[a4 + k]);
            s40 = s40.add(x.mul(b0));
            s41 = s41.add(x.mul(b1));
            x = DoubleVector.broadcast(SPECIES, a[a5 + k]);
            s50 = s50.add(x.mul(b0));
            s51 = s51.add(x.mul(b1));
        }
        s00.intoArray(c, c0);
        s01.intoArray(c, c0 + LANES);
        s10.intoArray(c, c1);
        s11.intoArray(c, c1 + LANES);
        s20.intoArray(c, c2);
        s21.intoArray(c, c2 + LANES);
        s30.intoArray(c, c3);
        s31.intoArray(c, c3 + LANES);
        s40.intoArray(c, c4);
        s41.intoArray(c, c4 + LANES);
        s50.intoArray(c, c5);
        s51.intoArray(c, c5 + LANES);
    }

    private static void sixRowsOneVector(double[] a, int[] aRowStarts, int r, int inner, double[] b, int cols,
                                           double[] c, int j) {
        int a0 = aRowStarts[r + 0];
        int a1 = aRowStarts[r + 1];
        int a2 = aRowStarts[r + 2];
        int a3 = aRowStarts[r + 3];
        int a4 = aRowStarts[r + 4];
        int a5 = aRowStarts[r + 5];
        int c0 = r * cols + j;
        int c1 = c0 + cols;
        int c2 = c1 + cols;
        int c3 = c2 + cols;
        int c4 = c3 + cols;
        int c5 = c4 + cols;
        DoubleVector s00 = DoubleVector.fromArray(SPECIES, c, c0);
        DoubleVector s10 = DoubleVector.fromArray(SPECIES, c, c1);
        DoubleVector s20 = DoubleVector.fromArray(SPECIES, c, c2);
        DoubleVector s30 = DoubleVector.fromArray(SPECIES, c, c3);
        DoubleVector s40 = DoubleVector.fromArray(SPECIES, c, c4);
        DoubleVector s50 = DoubleVector.fromArray(SPECIES, c, c5);
        for (int k = 0, bk = j; k < inner; k++, bk += cols) {
            DoubleVector b0 = DoubleVector.fromArray(SPECIES, b, bk);
            DoubleVector x = DoubleVector.broadcast(SPECIES, a[a0 + k]);
            s00 = s00.add(x.mul(b0));
            x = DoubleVector.broadcast(SPECIES, a[a1 + k]);
            s10 = s10.add(x.mul(b0));
            x = DoubleVector.broadcast(SPECIES, a[a2 + k]);
            s20 = s20.add(x.mul(b0));
            x = DoubleVector.broadcast(SPECIES, a[a3 + k]);
            s30 = s30.add(x.mul(b0));
            x = DoubleVector.broadcast(SPECIES, a[a4 + k]);
            s40 = s40.add(x.mul(b0));
            x = DoubleVector.broadcast(SPECIES, a[a5 + k]);
            s50 = s50.add(x.mul(b0));
        }
        s00.intoArray(c, c0);
        s10.intoArray(c, c1);
        s20.intoArray(c, c2);
        s30.intoArray(c, c3);
        s40.intoArray(c, c4);
        s50.intoArray(c, c5);
    }

    /** Rows [fromRow, toRow), columns [fromColumn, cols): one vector per row while a whole one fits, then scalars. */
    private static void remainingColumns(double[] a, int[] aRowStarts, int fromRow, int toRow, int inner, double[] b,
                                         int cols, double[] c, int fromColumn) {
        for (int r = fromRow; r < toRow; r++) {
            int aStart = aRowStarts[r];
            int cStart = r * cols;
            int j = fromColumn;
            for (; j + LANES <= cols; j += LANES) {
                DoubleVector sum = DoubleVector.fromArray(SPECIES, c, cStart + j);
                for (int k = 0, bk = j; k < inner; k++, bk += cols) {
                    DoubleVector bk0 = DoubleVector.fromArray(SPECIES, b, bk);
                    sum = sum.add(DoubleVector.broadcast(SPECIES, a[aStart + k]).mul(bk0));
                }
                sum.intoArray(c, cStart + j);
            }
            for (; j < cols; j++) {
                double sum = c[cStart + j];
                for (int k = 0; k < inner; k++) {
                    sum += a[aStart + k] * b[k * cols + j];
                }
                c[cStart + j] = sum;
            }
        }
    }

    private static DoubleVector tanh(DoubleVector x) {
        DoubleVector z = x.abs();
        DoubleVector e = expOfSmallPositive(z.min(Tanh.SATURATION).mul(2.0));
        DoubleVector two = DoubleVector.broadcast(SPECIES, 2.0);
        DoubleVector far = DoubleVector.broadcast(SPECIES, 1.0).sub(two.div(e.add(1.0)))
                .lanewise(VectorOperators.NEG, x.lt(0.0));
        DoubleVector s = x.mul(x);
        DoubleVector p = s.mul(Tanh.P0).add(Tanh.P1).mul(s).add(Tanh.P2);
        DoubleVector q = s.add(Tanh.Q0).mul(s).add(Tanh.Q1).mul(s).add(Tanh.Q2);
        DoubleVector near = x.add(x.mul(s).mul(p.div(q)));
        // x itself where it is zero keeps -0.0
        return near.blend(far, z.compare(VectorOperators.GT, Tanh.RATIONAL_LIMIT)).blend(x, x.eq(0.0));
    }

    private static DoubleVector expOfSmallPositive(DoubleVector y) {
        DoubleVector rounded = y.mul(Tanh.LOG2E).add(Tanh.ROUNDER);
        LongVector n = rounded.reinterpretAsLongs();
        n = n.sub(Double.doubleToRawLongBits(Tanh.ROUNDER));
        DoubleVector k = rounded.sub(Tanh.ROUNDER);
        DoubleVector r = y.sub(k.mul(Tanh.LN2_HIGH)).sub(k.mul(Tanh.LN2_LOW));
        DoubleVector rr = r.mul(r);
        DoubleVector p = r.mul(rr.mul(Tanh.EP0).add(Tanh.EP1).mul(rr).add(Tanh.EP2));
        DoubleVector q = rr.mul(Tanh.EQ0).add(Tanh.EQ1).mul(rr).add(Tanh.EQ2).mul(rr).add(Tanh.EQ3);
        DoubleVector er = p.div(q.sub(p)).mul(2.0).add(1.0);
        DoubleVector scale = n.add(1023L).lanewise(VectorOperators.LSHL, 52L).reinterpretAsDoubles();
        return er.mul(scale);
    }
}
