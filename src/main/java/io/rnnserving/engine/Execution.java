package io.rnnserving.engine;

/**
 * The step kernels and thread count that {@link EngineSettings} select, made once per model, and the precision the
 * model computes in: {@link #kernel} serves float64 models, {@link #floatKernel} float32 ones.
 */
record Execution(StepKernel kernel, FloatStepKernel floatKernel, int threads, Precision precision) {

    /** Built once: choosing the kernels probes the JVM's modules. */
    static final Execution DEFAULT = of(EngineSettings.defaults());

    static Execution of(EngineSettings settings) {
        return new Execution(StepKernel.select(settings.vector()),
                FloatStepKernel.select(settings.vector(), settings.vectorBits()), settings.threads(), Precision.FLOAT64);
    }

    /** A float64 run on the given double kernel, plain-Java float kernel (tests of one kernel). */
    Execution(StepKernel kernel, int threads) {
        this(kernel, new ScalarFloatStepKernel("plain-Java float kernel"), threads, Precision.FLOAT64);
    }

    /** A float32 run on the given float kernel. */
    static Execution float32(FloatStepKernel floatKernel, int threads) {
        return new Execution(new ScalarStepKernel("scalar"), floatKernel, threads, Precision.FLOAT32);
    }

    Execution withPrecision(Precision newPrecision) {
        return new Execution(kernel, floatKernel, threads, newPrecision);
    }

    boolean float32() {
        return precision == Precision.FLOAT32;
    }

    /** Rows a tile of the kernel this model's recurrent layers run on computes together. */
    int tileRows() {
        return float32() ? floatKernel.tileRows() : kernel.tileRows();
    }

    /** The kernel this model's recurrent layers run on, for the logs. */
    String description() {
        return float32() ? floatKernel.description() : kernel.description();
    }
}
