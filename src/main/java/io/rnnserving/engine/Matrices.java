package io.rnnserving.engine;

import org.ejml.data.DMatrixRMaj;

/** Conversions between Keras' nested weight arrays and EJML matrices. */
final class Matrices {
    private Matrices() {
    }

    static DMatrixRMaj of(String what, double[][] rows) {
        if (rows.length == 0 || rows[0].length == 0) {
            throw new IllegalArgumentException(what + " is empty");
        }
        int cols = rows[0].length;
        DMatrixRMaj matrix = new DMatrixRMaj(rows.length, cols);
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != cols) {
                throw new IllegalArgumentException(what + " row " + i + " has " + rows[i].length + " values; row 0 has "
                        + cols);
            }
            System.arraycopy(rows[i], 0, matrix.data, i * cols, cols);
        }
        return matrix;
    }

    /** The values rounded to float32, as numpy's {@code astype(float32)}; null stays null. */
    static float @org.jspecify.annotations.Nullable [] narrowed(double @org.jspecify.annotations.Nullable [] values) {
        if (values == null) {
            return null;
        }
        float[] floats = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            floats[i] = (float) values[i];
        }
        return floats;
    }
}
