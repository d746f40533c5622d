package io.rnnserving.engine;

import java.time.Duration;

/**
 * Runs a model on a small synthetic batch until its passes stop getting faster, so that the JIT has compiled the
 * step kernel before the first request: until C2 compiles it, Vector API code runs hundreds of times slower
 * (a first large request took seconds). Models hold no state, so warming up changes no answer.
 */
public final class WarmUp {
    /**
     * Fifteen samples: for a wide layer enough work to be split over two threads as a large batch is, and in each
     * slice a six-row tile plus leftover rows, so every path of the kernel runs here first (a path first taken by a
     * request would still be cold, or be compiled on a profile that never saw it).
     */
    private static final int SAMPLES = 15;
    private static final int STEPS = 8;
    private static final int MIN_PASSES = 20;
    /**
     * Settled: none of the last {@link #WINDOW} passes slower than the fastest so far by both this factor and
     * {@link #SLACK_NANOS}; the slack keeps scheduling noise on microsecond passes from counting as compilation.
     */
    private static final double SETTLED_FACTOR = 1.5;
    private static final long SLACK_NANOS = 1_000_000;
    private static final int WINDOW = 10;

    private WarmUp() {
    }

    /** How a warm-up went: the passes run, the time they took, and whether pass times settled within the budget. */
    public record Report(int passes, Duration elapsed, boolean settled) {
    }

    /** Warms the model up for at most about {@code budget} (plus one pass); a zero budget runs nothing. */
    public static Report run(RecurrentModel model, Duration budget) {
        if (budget.isZero() || budget.isNegative()) {
            return new Report(0, Duration.ZERO, false);
        }
        SequenceBatch batch = model.exampleBatch(SAMPLES, STEPS, 1);
        long start = System.nanoTime();
        long deadline = start + budget.toNanos();
        long fastest = Long.MAX_VALUE;
        int slowInWindow = 0; // the last pass that was still slow
        int passes = 0;
        boolean settled = false;
        while (!settled && System.nanoTime() < deadline) {
            long passStart = System.nanoTime();
            model.predict(batch);
            long pass = System.nanoTime() - passStart;
            passes++;
            fastest = Math.min(fastest, pass);
            // a pass much slower than the fastest means compilation is still going on: start the window again
            if (pass > fastest * SETTLED_FACTOR && pass - fastest > SLACK_NANOS) {
                slowInWindow = passes;
            }
            settled = passes >= MIN_PASSES && passes - slowInWindow >= WINDOW;
        }
        return new Report(passes, Duration.ofNanos(System.nanoTime() - start), settled);
    }
}
