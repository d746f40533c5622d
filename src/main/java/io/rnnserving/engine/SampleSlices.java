package io.rnnserving.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/**
 * Splits a batch's samples into contiguous slices run in parallel. Samples of a recurrent layer never interact,
 * so each slice runs every step on its own, with no synchronisation until the end. The calling thread runs one
 * slice and the common fork-join pool the others; small batches stay on the calling thread, since under
 * concurrent requests the request threads already use every core.
 */
final class SampleSlices {
    /** Below this many multiply-adds a batch is not worth a hand-off (about a millisecond of work). */
    static final long MIN_PARALLEL_WORK = 2_000_000L;

    @FunctionalInterface
    interface Slice {
        void run(int fromSample, int toSample);
    }

    private SampleSlices() {
    }

    static void forEach(int threads, int samples, long workPerSample, Slice slice) {
        int slices = (int) Math.min(Math.min(threads, samples), Math.max(1, samples * workPerSample / MIN_PARALLEL_WORK));
        if (slices <= 1 || ForkJoinPool.getCommonPoolParallelism() < 1) {
            slice.run(0, samples);
            return;
        }
        List<ForkJoinTask<?>> tasks = new ArrayList<>(slices);
        for (int i = 0; i < slices; i++) {
            int from = (int) ((long) samples * i / slices);
            int to = (int) ((long) samples * (i + 1) / slices);
            tasks.add(ForkJoinTask.adapt(() -> slice.run(from, to)));
        }
        ForkJoinTask.invokeAll(tasks);
    }
}
