package io.rnnserving.engine;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.jspecify.annotations.Nullable;

/**
 * {@link FloatStepKernel} on 256-bit vectors (8 floats): AVX2 machines, or an AVX-512 one told
 * {@code rnn-serving.engine.vector-bits=256}. Everything from the class declaration on is {@link Float512StepKernel}
 * with 512 read as 256 (StepKernelTest checks it): see there for the tiles and the order of operations.
 */
final class Float256StepKernel implements FloatStepKernel {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_256;
    private static final int LANES = SPECIES.length();
    private static final int TILE_ROWS = 6;

    private final String why;

    Float256StepKernel(String why) {
        this.why = why;
    }

    @Override
    public void products(float[] a, int[] aRowStarts, int rows, int inner, float[] b, int cols,
                         float @Nullable [] addend, int addendRowStride, boolean tanh, float[] c) {
        int panel = 2 * LANES;
        int r = 0;
        for (; r + TILE_ROWS <= rows; r += TILE_ROWS) {
            int j = 0;
            for (; j + panel <= cols; j += panel) {
                sixRowsTwoVectors(a, aRowStarts, r, inner, b, cols, addend, addendRowStride, c, j);
            }
            finishRows(a, aRowStarts, r, r + TILE_ROWS, inner, b, cols, addend, addendRowStride, tanh, c, j);
        }
        // the last rows (fewer than six) two then one at a time, four vectors wide: eight or four fma chains per k
        for (; r + 2 <= rows; r += 2) {
            int j = 0;
            for (; j + 4 * LANES <= cols; j += 4 * LANES) {
                twoRowsFourVectors(a, aRowStarts[r], aRowStarts[r + 1], inner, b, cols, addend,
                        r * addendRowStride + j, addendRowStride, c, r * cols + j, j);
            }
            finishRows(a, aRowStarts, r, r + 2, inner, b, cols, addend, addendRowStride, tanh, c, j);
        }
        for (; r < rows; r++) {
            int j = 0;
            for (; j + 4 * LANES <= cols; j += 4 * LANES) {
                oneRowFourVectors(a, aRowStarts[r], inner, b, cols, addend, r * addendRowStride + j, c, r * cols + j,
                        j);
            }
            finishRows(a, aRowStarts, r, r + 1, inner, b, cols, addend, addendRowStride, tanh, c, j);
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
        return "SIMD float kernel (" + StepKernel.VECTOR_MODULE + ", 256-bit vectors of " + LANES + " floats: " + why
                + "; tiles of six rows by two vectors, fused multiply-add)";
    }

    private static void sixRowsTwoVectors(float[] a, int[] aRowStarts, int r, int inner, float[] b, int cols,
                                          float @Nullable [] addend, int addendRowStride, float[] c, int j) {
        int a0 = aRowStarts[r];
        int a1 = aRowStarts[r + 1];
        int a2 = aRowStarts[r + 2];
        int a3 = aRowStarts[r + 3];
        int a4 = aRowStarts[r + 4];
        int a5 = aRowStarts[r + 5];
        FloatVector s00 = FloatVector.zero(SPECIES);
        FloatVector s01 = s00;
        FloatVector s10 = s00;
        FloatVector s11 = s00;
        FloatVector s20 = s00;
        FloatVector s21 = s00;
        FloatVector s30 = s00;
        FloatVector s31 = s00;
        FloatVector s40 = s00;
        FloatVector s41 = s00;
        FloatVector s50 = s00;
        FloatVector s51 = s00;
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
        int c0 = r * cols + j;
        int d0 = r * addendRowStride + j;
        store(s00, addend, d0, c, c0);
        store(s01, addend, d0 + LANES, c, c0 + LANES);
        store(s10, addend, d0 + addendRowStride, c, c0 + cols);
        store(s11, addend, d0 + addendRowStride + LANES, c, c0 + cols + LANES);
        store(s20, addend, d0 + 2 * addendRowStride, c, c0 + 2 * cols);
        store(s21, addend, d0 + 2 * addendRowStride + LANES, c, c0 + 2 * cols + LANES);
        store(s30, addend, d0 + 3 * addendRowStride, c, c0 + 3 * cols);
        store(s31, addend, d0 + 3 * addendRowStride + LANES, c, c0 + 3 * cols + LANES);
        store(s40, addend, d0 + 4 * addendRowStride, c, c0 + 4 * cols);
        store(s41, addend, d0 + 4 * addendRowStride + LANES, c, c0 + 4 * cols + LANES);
        store(s50, addend, d0 + 5 * addendRowStride, c, c0 + 5 * cols);
        store(s51, addend, d0 + 5 * addendRowStride + LANES, c, c0 + 5 * cols + LANES);
    }

    private static void twoRowsFourVectors(float[] a, int a0, int a1, int inner, float[] b, int cols,
                                           float @Nullable [] addend, int d0, int addendRowStride, float[] c, int c0,
                                           int j) {
        FloatVector s00 = FloatVector.zero(SPECIES);
        FloatVector s01 = s00;
        FloatVector s02 = s00;
        FloatVector s03 = s00;
        FloatVector s10 = s00;
        FloatVector s11 = s00;
        FloatVector s12 = s00;
        FloatVector s13 = s00;
        for (int k = 0, bk = j; k < inner; k++, bk += cols) {
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bk);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bk + LANES);
            FloatVector b2 = FloatVector.fromArray(SPECIES, b, bk + 2 * LANES);
            FloatVector b3 = FloatVector.fromArray(SPECIES, b, bk + 3 * LANES);
            FloatVector x = FloatVector.broadcast(SPECIES, a[a0 + k]);
            s00 = x.fma(b0, s00);
            s01 = x.fma(b1, s01);
            s02 = x.fma(b2, s02);
            s03 = x.fma(b3, s03);
            x = FloatVector.broadcast(SPECIES, a[a1 + k]);
            s10 = x.fma(b0, s10);
            s11 = x.fma(b1, s11);
            s12 = x.fma(b2, s12);
            s13 = x.fma(b3, s13);
        }
        int d1 = d0 + addendRowStride;
        int c1 = c0 + cols;
        store(s00, addend, d0, c, c0);
        store(s01, addend, d0 + LANES, c, c0 + LANES);
        store(s02, addend, d0 + 2 * LANES, c, c0 + 2 * LANES);
        store(s03, addend, d0 + 3 * LANES, c, c0 + 3 * LANES);
        store(s10, addend, d1, c, c1);
        store(s11, addend, d1 + LANES, c, c1 + LANES);
        store(s12, addend, d1 + 2 * LANES, c, c1 + 2 * LANES);
        store(s13, addend, d1 + 3 * LANES, c, c1 + 3 * LANES);
    }

    private static void oneRowFourVectors(float[] a, int aStart, int inner, float[] b, int cols,
                                          float @Nullable [] addend, int d0, float[] c, int c0, int j) {
        FloatVector s0 = FloatVector.zero(SPECIES);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        for (int k = 0, bk = j; k < inner; k++, bk += cols) {
            FloatVector x = FloatVector.broadcast(SPECIES, a[aStart + k]);
            s0 = x.fma(FloatVector.fromArray(SPECIES, b, bk), s0);
            s1 = x.fma(FloatVector.fromArray(SPECIES, b, bk + LANES), s1);
            s2 = x.fma(FloatVector.fromArray(SPECIES, b, bk + 2 * LANES), s2);
            s3 = x.fma(FloatVector.fromArray(SPECIES, b, bk + 3 * LANES), s3);
        }
        store(s0, addend, d0, c, c0);
        store(s1, addend, d0 + LANES, c, c0 + LANES);
        store(s2, addend, d0 + 2 * LANES, c, c0 + 2 * LANES);
        store(s3, addend, d0 + 3 * LANES, c, c0 + 3 * LANES);
    }

    /**
     * Rows [fromRow, toRow) once their tiles are stored: columns [fromColumn, cols) one vector per row while a whole
     * one fits, then plain Java; then tanh over the rows where asked, while they are still in the first-level cache.
     */
    private static void finishRows(float[] a, int[] aRowStarts, int fromRow, int toRow, int inner, float[] b,
                                   int cols, float @Nullable [] addend, int addendRowStride, boolean tanh, float[] c,
                                   int fromColumn) {
        for (int r = fromRow; r < toRow; r++) {
            int aStart = aRowStarts[r];
            int cStart = r * cols;
            int dStart = r * addendRowStride;
            int j = fromColumn;
            for (; j + LANES <= cols; j += LANES) {
                FloatVector sum = FloatVector.zero(SPECIES);
                for (int k = 0, bk = j; k < inner; k++, bk += cols) {
                    sum = FloatVector.broadcast(SPECIES, a[aStart + k]).fma(FloatVector.fromArray(SPECIES, b, bk), sum);
                }
                store(sum, addend, dStart + j, c, cStart + j);
            }
            for (; j < cols; j++) {
                float sum = 0.0f;
                for (int k = 0; k < inner; k++) {
                    sum = Math.fma(a[aStart + k], b[k * cols + j], sum);
                }
                c[cStart + j] = addend == null ? sum : sum + addend[dStart + j];
            }
            if (tanh) {
                int i = cStart;
                for (; i + LANES <= cStart + cols; i += LANES) {
                    tanh(FloatVector.fromArray(SPECIES, c, i)).intoArray(c, i);
                }
                FloatTanh.inPlace(c, i, cStart + cols);
            }
        }
    }

    /** {@code c[to..] = sum + addend[at..]} (one rounding), or the sum alone without an addend. */
    private static void store(FloatVector sum, float @Nullable [] addend, int at, float[] c, int to) {
        if (addend == null) {
            sum.intoArray(c, to);
        } else {
            sum.add(FloatVector.fromArray(SPECIES, addend, at)).intoArray(c, to);
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
