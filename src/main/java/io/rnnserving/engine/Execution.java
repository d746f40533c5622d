package io.rnnserving.engine;

/** The step kernel and thread count that {@link EngineSettings} select, made once per model. */
record Execution(StepKernel kernel, int threads) {

    /** Built once: choosing the kernel probes the JVM's modules. */
    static final Execution DEFAULT = of(EngineSettings.defaults());

    static Execution of(EngineSettings settings) {
        return new Execution(StepKernel.select(settings.vector()), settings.threads());
    }
}
