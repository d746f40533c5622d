package io.rnnserving.engine;

import java.util.List;
import java.util.Random;

/**
 * A quick timing of LSTM and GRU alone at the large batch (N=256, T=100, D=32, M=256), not a benchmark:
 * run by hand with {@code java --add-modules jdk.incubator.vector -cp … io.rnnserving.engine.RecurrentLayerTiming
 * [float32|float64]} (float32 by default: the precision of a Keras model saved in float32).
 * GFLOP/s counts the two products only: 2·N·T·(D + M)·gates·M multiply-adds as flops.
 */
final class RecurrentLayerTiming {
    private static final int N = 256;
    private static final int T = 100;
    private static final int D = 32;
    private static final int M = 256;

    private RecurrentLayerTiming() {
    }

    public static void main(String[] args) {
        Precision precision = Precision.ofDtype(args.length > 0 ? args[0] : "float32");
        Random random = new Random(1);
        SequenceBatch batch = SequenceBatch.rectangular(random.doubles((long) N * T * D, -1, 1).toArray(), N, T, D);
        RecurrentModel lstm = RecurrentModel.of("lstm", T, D, List.of(LstmLayer.of("lstm", matrix(random, D, 4 * M),
                matrix(random, M, 4 * M), new double[4 * M], Activation.TANH, Activation.SIGMOID, false, false,
                false))).withPrecision(precision);
        RecurrentModel gru = RecurrentModel.of("gru", T, D, List.of(GruLayer.of("gru", matrix(random, D, 3 * M),
                matrix(random, M, 3 * M), new double[2][3 * M], true, Activation.TANH, Activation.SIGMOID, false,
                false, false))).withPrecision(precision);
        System.out.println(precision.dtype() + ": " + lstm.stepKernel());
        time("LSTM", 4, lstm, batch);
        time("GRU", 3, gru, batch);
    }

    private static void time(String what, int gates, RecurrentModel model, SequenceBatch batch) {
        double flops = 2.0 * N * T * (D + M) * gates * M;
        double best = Double.MAX_VALUE;
        for (int pass = 0; pass < 8; pass++) {
            long start = System.nanoTime();
            model.predict(batch);
            double seconds = (System.nanoTime() - start) / 1e9;
            best = Math.min(best, seconds);
            System.out.printf("%s pass %d: %.3f s, %.1f GFLOP/s%n", what, pass, seconds, flops / seconds / 1e9);
        }
        System.out.printf("%s best: %.3f s, %.1f GFLOP/s%n", what, best, flops / best / 1e9);
    }

    private static double[][] matrix(Random random, int rows, int columns) {
        double scale = 1.0 / Math.sqrt(rows);
        double[][] w = new double[rows][columns];
        for (double[] row : w) {
            for (int j = 0; j < columns; j++) {
                row[j] = (random.nextDouble() * 2 - 1) * scale;
            }
        }
        return w;
    }
}
