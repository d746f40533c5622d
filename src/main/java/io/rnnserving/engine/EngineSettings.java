package io.rnnserving.engine;

/**
 * How the engine runs, given to a model when it is created ({@link RecurrentModel#withSettings}).
 *
 * @param threads how many threads one large batch is split over, at least 1
 * @param vector  use the SIMD step kernel where the JVM has the Vector API; false keeps the plain-Java one
 */
public record EngineSettings(int threads, boolean vector) {

    public EngineSettings {
        if (threads < 1) {
            throw new IllegalArgumentException("the engine needs at least one thread, got " + threads);
        }
    }

    /** Every core, SIMD where it can run. */
    public static EngineSettings defaults() {
        return new EngineSettings(Runtime.getRuntime().availableProcessors(), true);
    }
}
