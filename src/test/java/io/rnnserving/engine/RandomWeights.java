package io.rnnserving.engine;

import java.util.Random;

/** Seeded weights for engine tests: matrices scaled by 1.5/sqrt(rows) so activations stay in range, and vectors. */
public final class RandomWeights {
    private RandomWeights() {
    }

    public static double[][] weights(Random random, int rows, int columns) {
        double[][] w = new double[rows][columns];
        double scale = 1.5 / Math.sqrt(rows);
        for (double[] row : w) {
            for (int j = 0; j < columns; j++) {
                row[j] = (random.nextDouble() * 2 - 1) * scale;
            }
        }
        return w;
    }

    public static double[] vector(Random random, int length) {
        double[] v = new double[length];
        for (int i = 0; i < length; i++) {
            v[i] = random.nextDouble() - 0.5;
        }
        return v;
    }
}
