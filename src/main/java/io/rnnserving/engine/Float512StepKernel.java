package io.rnnserving.engine;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FloatStepKernel} on 512-bit vectors (16 floats). The Vector API compiles to SIMD only where the species
 * is a constant, so each width is its own class: {@link Float256StepKernel} is this file with 512 read as 256
 * (StepKernelTest checks that they stay so). Products: a tile of six rows by two vectors of c stays in registers
 * while k runs (12 accumulators, 15 registers with the two of B and the broadcast: it fits AVX2's 16), so each
 * vector of B serves six rows and c is read and written once per tile. Every lane takes {@code fma(a, b, c)} in
 * ascending k, as {@link ScalarFloatStepKernel}; rows past the last six take four vectors at a time (one vector
 * alone would wait on its own chain of fma latencies), and columns past those, one vector then plain Java. tanh: {@link FloatTanh}'s operations on every lane.
 */
final class Float512StepKernel implements FloatStepKernel {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_512;
    private static final int LANES = SPECIES.length();
    private static final int TILE_ROWS = 6;

    private final String why;

    Float512StepKernel(String why) {
        this.why = why;
    }

    @Override
    public void addProducts(float[] a, int[] aRowStarts, int rows, int inner, float[] b, int cols, float[] c) {
        int panel = 2 * LANES;
        int r = 0;
        for (; r + TILE_ROWS <= rows; r += TILE_ROWS) {
            int j = 0;
            for (; j + panel <= cols; j += panel) {
                sixRowsTwoVectors(a, aRowStarts, r, inner, b, cols, c, j);
            }
            remainingColumns(a, aRowStarts, r, r + TILE_ROWS, inner, b, cols, c, j);
        }
        // the last rows (fewer than six) one at a time, four vectors wide: four independent fma chains per k
        for (; r < rows; r++) {
            int j = 0;
            for (; j + 4 * LANES <= cols; j += 4 * LANES) {
                oneRowFourVectors(a, aRowStarts[r], inner, b, cols, c, r * cols + j, j);
            }
            remainingColumns(a, aRowStarts, r, r + 1, inner, b, cols, c, j);
        }
    }

    @Override
    public void tanhInPlace(float[] values, int from, int to) {
        int i = from;
        for (; i + LANES <= to; i += LANES) {
            tanh(FloatVector.fromArray(SPECIES, values, i)).intoArray(values, i);
        }
        FloatTanh.inPlace(values, i, to);
    }

    @Override
    public int tileRows() {
        return TILE_ROWS;
    }

    @Override
    public String description() {
        return "SIMD float kernel (" + StepKernel.VECTOR_MODULE + ", 512-bit vectors of " + LANES + " floats: " + why
                + "; tiles of six rows by two vectors, fused multiply-add)";
    }

    private static void sixRowsTwoVectors(float[] a, int[] aRowStarts, int r, int inner, float[] b, int cols,
                                          float[] c, int j) {
        int a0 = aRowStarts[r];
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
        FloatVector s00 = FloatVector.fromArray(SPECIES, c, c0);
        FloatVector s01 = FloatVector.fromArray(SPECIES, c, c0 + LANES);
        FloatVector s10 = FloatVector.fromArray(SPECIES, c, c1);
        FloatVector s11 = FloatVector.fromArray(SPECIES, c, c1 + LANES);
        FloatVector s20 = FloatVector.fromArray(SPECIES, c, c2);
        FloatVector s21 = FloatVector.fromArray(SPECIES, c, c2 + LANES);
        FloatVector s30 = FloatVector.fromArray(SPECIES, c, c3);
        FloatVector s31 = FloatVector.fromArray(SPECIES, c, c3 + LANES);
        FloatVector s40 = FloatVector.fromArray(SPECIES, c, c4);
        FloatVector s41 = FloatVector.fromArray(SPECIES, c, c4 + LANES);
        FloatVector s50 = FloatVector.fromArray(SPECIES, c, c5);
        FloatVector s51 = FloatVector.fromArray(SPECIES, c, c5 + LANES);
        for (int k = 0, bk = j; k < inner; k++, bk += cols) {
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bk);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bk + LANES);
            FloatVector x = FloatVector.broadcast(SPECIES, a[a0 + k]);
            s00 = x.fma(b0, s00);
            s01 = x.fma(b1, s01);
            x = FloatVector.broadcast(SPECIES, a[a1 + k]);
            s10 = x.fma(b0, s10);
            s11 = x.fma(b1, s11);
            x = FloatVector.broadcast(SPECIES, a[a2 + k]);
            s20 = x.fma(b0, s20);
            s21 = x.fma(b1, s21);
            x = FloatVector.broadcast(SPECIES, a[a3 + k]);
            s30 = x.fma(b0, s30);
            s31 = x.fma(b1, s31);
            x = FloatVector.broadcast(SPECIES, a[a4 + k]);
            s40 = x.fma(b0, s40);
            s41 = x.fma(b1, s41);
            x = FloatVector.broadcast(SPECIES, a[a5 + k]);
            s50 = x.fma(b0, s50);
            s51 = x.fma(b1, s51);
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

    private static void oneRowFourVectors(float[] a, int aStart, int inner, float[] b, int cols, float[] c, int cStart,
                                          int j) {
        FloatVector s0 = FloatVector.fromArray(SPECIES, c, cStart);
        FloatVector s1 = FloatVector.fromArray(SPECIES, c, cStart + LANES);
        FloatVector s2 = FloatVector.fromArray(SPECIES, c, cStart + 2 * LANES);
        FloatVector s3 = FloatVector.fromArray(SPECIES, c, cStart + 3 * LANES);
        for (int k = 0, bk = j; k < inner; k++, bk += cols) {
            FloatVector x = FloatVector.broadcast(SPECIES, a[aStart + k]);
            s0 = x.fma(FloatVector.fromArray(SPECIES, b, bk), s0);
            s1 = x.fma(FloatVector.fromArray(SPECIES, b, bk + LANES), s1);
            s2 = x.fma(FloatVector.fromArray(SPECIES, b, bk + 2 * LANES), s2);
            s3 = x.fma(FloatVector.fromArray(SPECIES, b, bk + 3 * LANES), s3);
        }
        s0.intoArray(c, cStart);
        s1.intoArray(c, cStart + LANES);
        s2.intoArray(c, cStart + 2 * LANES);
        s3.intoArray(c, cStart + 3 * LANES);
    }

    /** Rows [fromRow, toRow), columns [fromColumn, cols): one vector per row while a whole one fits, then scalars. */
    private static void remainingColumns(float[] a, int[] aRowStarts, int fromRow, int toRow, int inner, float[] b,
                                         int cols, float[] c, int fromColumn) {
        for (int r = fromRow; r < toRow; r++) {
            int aStart = aRowStarts[r];
            int cStart = r * cols;
            int j = fromColumn;
            for (; j + LANES <= cols; j += LANES) {
                FloatVector sum = FloatVector.fromArray(SPECIES, c, cStart + j);
                for (int k = 0, bk = j; k < inner; k++, bk += cols) {
                    sum = FloatVector.broadcast(SPECIES, a[aStart + k]).fma(FloatVector.fromArray(SPECIES, b, bk), sum);
                }
                sum.intoArray(c, cStart + j);
            }
            for (; j < cols; j++) {
                float sum = c[cStart + j];
                for (int k = 0; k < inner; k++) {
                    sum = Math.fma(a[aStart + k], b[k * cols + j], sum);
                }
                c[cStart + j] = sum;
            }
        }
    }

    private static FloatVector tanh(FloatVector a) {
        FloatVector x = a.min(FloatTanh.CLAMP).max(-FloatTanh.CLAMP);
        FloatVector x2 = x.mul(x);
        FloatVector p = x2.fma(FloatTanh.ALPHA_13, FloatTanh.ALPHA_11);
        p = x2.fma(p, FloatVector.broadcast(SPECIES, FloatTanh.ALPHA_9));
        p = x2.fma(p, FloatVector.broadcast(SPECIES, FloatTanh.ALPHA_7));
        p = x2.fma(p, FloatVector.broadcast(SPECIES, FloatTanh.ALPHA_5));
        p = x2.fma(p, FloatVector.broadcast(SPECIES, FloatTanh.ALPHA_3));
        p = x2.fma(p, FloatVector.broadcast(SPECIES, FloatTanh.ALPHA_1));
        p = x.mul(p);
        FloatVector q = x2.fma(FloatTanh.BETA_6, FloatTanh.BETA_4);
        q = x2.fma(q, FloatVector.broadcast(SPECIES, FloatTanh.BETA_2));
        q = x2.fma(q, FloatVector.broadcast(SPECIES, FloatTanh.BETA_0));
        return p.div(q).blend(a, a.abs().compare(VectorOperators.LT, FloatTanh.TINY));
    }
}
