package io.rnnserving.serving;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.rnnserving.engine.EngineSettings;
import io.rnnserving.engine.ForwardResult;
import io.rnnserving.engine.RecurrentModel;
import io.rnnserving.engine.SequenceBatch;
import io.rnnserving.loading.LoadedModel;

/**
 * The one model this service serves and the one path through the engine that every protocol adapter takes.
 * Checked by a forward pass when created, so a model that is served has answered at least once.
 */
public final class ServedModel {
    private final LoadedModel loaded;
    private final RecurrentModel model;
    private final MeterRegistry meters;
    private final Tags tags;
    private final Map<String, BatchMeters> metersByApi = new ConcurrentHashMap<>();
    private final Gauge info;

    public ServedModel(LoadedModel loaded, EngineSettings settings, MeterRegistry meters) {
        this(loaded, settings, meters, Tags.empty());
    }

    /** @param tags on every meter of this model, e.g. its name and version in a model repository */
    public ServedModel(LoadedModel loaded, EngineSettings settings, MeterRegistry meters, Tags tags) {
        this.loaded = loaded;
        this.model = loaded.model().withSettings(settings);
        this.meters = meters;
        this.tags = tags;
        selfCheck(model);
        this.info = Gauge.builder("rnn.model.info", () -> 1)
                .description("The served model; its tags name it")
                .tags(tags)
                .tag("name", loaded.model().name())
                .tag("parameters", Long.toString(loaded.model().parameterCount()))
                .tag("sha256", loaded.sha256())
                .tag("file_kind", loaded.fileKind())
                .register(meters);
    }

    /** The model, run as the engine settings say. */
    public RecurrentModel model() {
        return model;
    }

    public LoadedModel loaded() {
        return loaded;
    }

    /**
     * Runs one bound request and records its size: the one engine call of every protocol.
     *
     * @param api which protocol asked, for the metrics: {@code predict}, {@code kserve} or {@code tfserving}
     */
    public ForwardResult run(String api, BoundRequest request) {
        SequenceBatch batch = request.batch();
        BatchMeters batchMeters = metersByApi.computeIfAbsent(api, this::batchMeters);
        batchMeters.samples().record(batch.samples());
        batchMeters.steps().record(batch.steps());
        return model.predictFromStates(batch, request.statePartsByLayer(), request.recordStates());
    }

    /** Removes this model's meters, once it is no longer served. */
    public void removeMeters() {
        meters.remove(info);
        for (BatchMeters batchMeters : metersByApi.values()) {
            meters.remove(batchMeters.samples());
            meters.remove(batchMeters.steps());
        }
    }

    /** Registered once per protocol: looking meters up on every call costs more than a small batch's inference. */
    private BatchMeters batchMeters(String api) {
        return new BatchMeters(
                DistributionSummary.builder("rnn.batch.samples")
                        .description("Samples N per inference call")
                        .baseUnit("samples")
                        .tags(tags)
                        .tag("api", api)
                        .publishPercentileHistogram()
                        .register(meters),
                DistributionSummary.builder("rnn.batch.steps")
                        .description("Sequence length T (longest sample) per inference call")
                        .baseUnit("steps")
                        .tags(tags)
                        .tag("api", api)
                        .publishPercentileHistogram()
                        .register(meters));
    }

    private record BatchMeters(DistributionSummary samples, DistributionSummary steps) {
    }

    private static void selfCheck(RecurrentModel model) {
        ForwardResult result = model.predict(model.exampleBatch(1, 2, 1));
        for (double v : result.output()) {
            if (!Double.isFinite(v)) {
                throw new IllegalStateException("the model's self-check forward pass gave " + v);
            }
        }
    }
}
