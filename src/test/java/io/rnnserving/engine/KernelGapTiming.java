package io.rnnserving.engine;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Random;

/**
 * Where the float32 SimpleRNN's time goes at the large batch (N=256, T=100, D=32, M=256), not a benchmark:
 * the step kernel alone on exactly the layer's shapes and layout (one slice of 128 rows, as each of two threads
 * runs it: the input projection 128×32 by 32×256, the recurrent product 128×256 by 256×256, T times), then the
 * layer on that slice on one thread, then the whole batch on one and on two threads. Times are CPU time (every
 * thread's, so other work on a shared machine does not count) and wall time, best of the passes. Run by hand:
 * {@code java --add-modules jdk.incubator.vector -cp … io.rnnserving.engine.KernelGapTiming [auto|256|512] [passes=12]}.
 */
final class KernelGapTiming {
    private static final int N = 256;
    private static final int T = 100;
    private static final int D = 32;
    private static final int M = 256;
    private static final int ROWS = N / 2;
    /** Passes per measurement (best taken); a second argument raises it, for a profiler to see the steady state. */
    private static int passes = 12;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private KernelGapTiming() {
    }

    public static void main(String[] args) {
        int bits = EngineSettings.vectorBits(args.length > 0 ? args[0] : "auto");
        passes = args.length > 1 ? Integer.parseInt(args[1]) : passes;
        FloatStepKernel kernel = FloatStepKernel.select(true, bits);
        System.out.println(kernel.description());
        Random random = new Random(1);
        float[] x = floats(random, ROWS * T * D, 1);
        float[] w = floats(random, D * M, 1 / Math.sqrt(D));
        float[] u = floats(random, M * M, 1 / Math.sqrt(M));
        float[] h = floats(random, ROWS * M, 1);
        float[] c = new float[ROWS * M];
        int[] stateStarts = new int[ROWS];
        int[] inputStarts = new int[ROWS];
        for (int r = 0; r < ROWS; r++) {
            stateStarts[r] = r * M;
        }
        double recurrentFlops = 2.0 * ROWS * T * M * M;
        double inputFlops = 2.0 * ROWS * T * D * M;
        time("recurrent product alone, 128 rows x T", recurrentFlops, () -> {
            for (int s = 0; s < T; s++) {
                kernel.products(h, stateStarts, ROWS, M, u, M, null, 0, false, c);
            }
        });
        time("input projection alone, 128 rows x T", inputFlops, () -> {
            for (int s = 0; s < T; s++) {
                for (int r = 0; r < ROWS; r++) {
                    inputStarts[r] = (r * T + s) * D;
                }
                kernel.products(x, inputStarts, ROWS, D, w, M, null, 0, false, c);
            }
        });
        time("tanh alone, 128 rows x T", 0, () -> {
            for (int s = 0; s < T; s++) {
                kernel.tanhInPlace(c, 0, c.length);
            }
        });

        SequenceBatch half = SequenceBatch.rectangular(random.doubles((long) ROWS * T * D, -1, 1).toArray(), ROWS, T, D);
        SequenceBatch full = SequenceBatch.rectangular(random.doubles((long) N * T * D, -1, 1).toArray(), N, T, D);
        SimpleRnnLayer layer = SimpleRnnLayer.of("rnn", matrix(random, D, M), matrix(random, M, M), new double[M],
                Activation.TANH, false, false, false);
        for (int threads : new int[] {1, 2}) {
            RecurrentModel model = RecurrentModel.of("rnn", T, D, List.of(layer))
                    .withSettings(new EngineSettings(threads, true, bits)).withPrecision(Precision.FLOAT32);
            if (threads == 1) {
                time("SimpleRNN layer, 128 samples, 1 thread", recurrentFlops + inputFlops, () -> model.predict(half));
            }
            time("SimpleRNN layer, 256 samples, " + threads + " thread(s)", 2 * (recurrentFlops + inputFlops),
                    () -> model.predict(full));
        }
    }

    private static void time(String what, double flops, Runnable work) {
        double bestCpu = Double.MAX_VALUE;
        double bestWall = Double.MAX_VALUE;
        for (int pass = 0; pass < passes; pass++) {
            long cpu = allThreadsCpuNanos();
            long start = System.nanoTime();
            work.run();
            bestWall = Math.min(bestWall, (System.nanoTime() - start) / 1e6);
            bestCpu = Math.min(bestCpu, (allThreadsCpuNanos() - cpu) / 1e6);
        }
        System.out.printf("%-42s wall %7.2f ms  cpu %7.2f ms  %6.1f GFLOP per CPU-second  %6.1f GFLOP/s wall%n",
                what, bestWall, bestCpu, flops / bestCpu / 1e6, flops / bestWall / 1e6);
    }

    /** CPU time of every live thread, in nanoseconds: the JIT's and GC's too, so a pass counts all it costs. */
    private static long allThreadsCpuNanos() {
        long total = 0;
        for (long id : THREADS.getAllThreadIds()) {
            long t = THREADS.getThreadCpuTime(id);
            total += Math.max(t, 0);
        }
        return total;
    }

    private static float[] floats(Random random, int count, double scale) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) ((random.nextDouble() * 2 - 1) * scale);
        }
        return values;
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
