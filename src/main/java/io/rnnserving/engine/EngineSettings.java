package io.rnnserving.engine;

/**
 * How the engine runs, given to a model when it is created ({@link RecurrentModel#withSettings}).
 *
 * @param threads    how many threads one large batch is split over, at least 1
 * @param vector     use the SIMD step kernel where the JVM has the Vector API; false keeps the plain-Java one
 * @param vectorBits the float32 SIMD kernel's vector width: 0 for the machine's widest, or 256 or 512 (256 on an
 *                   AVX-512 machine runs as an AVX2 one would)
 */
public record EngineSettings(int threads, boolean vector, int vectorBits) {

    public EngineSettings {
        if (threads < 1) {
            throw new IllegalArgumentException("the engine needs at least one thread, got " + threads);
        }
        if (vectorBits != 0 && vectorBits != 256 && vectorBits != 512) {
            throw new IllegalArgumentException("vector bits must be auto, 256 or 512, got " + vectorBits);
        }
    }

    /** The machine's widest vectors. */
    public EngineSettings(int threads, boolean vector) {
        this(threads, vector, 0);
    }

    /** Every core, SIMD where it can run, on the machine's widest vectors. */
    public static EngineSettings defaults() {
        return new EngineSettings(Runtime.getRuntime().availableProcessors(), true);
    }

    /**
     * The width {@code rnn-serving.engine.vector-bits} names: {@code auto} (0), {@code 256} or {@code 512}.
     *
     * @throws IllegalArgumentException for anything else
     */
    public static int vectorBits(String setting) {
        return switch (setting.trim()) {
            case "auto" -> 0;
            case "256" -> 256;
            case "512" -> 512;
            default -> throw new IllegalArgumentException("rnn-serving.engine.vector-bits must be auto, 256 or 512, got '"
                    + setting + "'");
        };
    }
}
