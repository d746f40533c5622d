package io.rnnserving.serving;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.rnnserving.engine.EngineSettings;
import io.rnnserving.engine.ForwardResult;
import io.rnnserving.engine.RecurrentModel;
import io.rnnserving.engine.SequenceBatch;
import io.rnnserving.loading.LoadedModel;
import org.jspecify.annotations.Nullable;

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
    private final @Nullable DynamicBatcher batcher;
    private final @Nullable BatchMetrics batchMetrics;
    private final Gauge info;

    /** Every request runs the engine on its own. */
    public ServedModel(LoadedModel loaded, EngineSettings settings, MeterRegistry meters) {
        this(loaded, settings, null, meters, Tags.empty());
    }

    /**
     * @param batching how concurrent requests are coalesced into one engine call; null runs each on its own
     * @param tags     on every meter of this model, e.g. its name and version in a model repository
     */
    public ServedModel(LoadedModel loaded, EngineSettings settings, @Nullable BatchingSettings batching,
                       MeterRegistry meters, Tags tags) {
        this.loaded = loaded;
        this.model = loaded.model().withSettings(settings);
        this.meters = meters;
        this.tags = tags;
        selfCheck(model);
        if (batching == null) {
            this.batcher = null;
            this.batchMetrics = null;
        } else {
            this.batchMetrics = new BatchMetrics(meters, tags);
            this.batcher = new DynamicBatcher(this::runAlone, batching, model.parameterCount(), model.wholeTileSamples(),
                    batchMetrics);
            batchMetrics.watch(batcher);
        }
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

    /** Samples waiting for an engine call now; always 0 with batching off. */
    public int queuedSamples() {
        return batcher == null ? 0 : batcher.queuedSamples();
    }

    /**
     * Runs one bound request, coalesced with concurrent requests when batching is on, and records its size: the one
     * engine call of every protocol. A request whose client hangs up while it is queued is not computed (see
     * {@link ClientConnection}).
     *
     * @param api which protocol asked, for the metrics: {@code predict}, {@code kserve} or {@code tfserving}
     */
    public ForwardResult run(String api, BoundRequest request) {
        SequenceBatch batch = request.batch();
        BatchMeters batchMeters = metersByApi.computeIfAbsent(api, this::batchMeters);
        batchMeters.samples().record(batch.samples());
        batchMeters.steps().record(batch.steps());
        MemoryBudget.reserveForThisRequest(WorkingMemory.of(model, request), "this batch and its answer");
        if (batcher == null) {
            return runAlone(request);
        }
        BooleanSupplier hungUp = ClientConnection.hungUpCheck();
        return hungUp == null ? batcher.submit(request) : batcher.submit(request, hungUp);
    }

    /** The engine call itself, for one request or for several coalesced into one. */
    private ForwardResult runAlone(BoundRequest request) {
        return model.predictFromStates(request.batch(), request.statePartsByLayer(), request.recordStates());
    }

    /** Removes this model's meters, once it is no longer served. */
    public void removeMeters() {
        meters.remove(info);
        if (batchMetrics != null) {
            batchMetrics.remove();
        }
        for (BatchMeters batchMeters : metersByApi.values()) {
            meters.remove(batchMeters.samples());
            meters.remove(batchMeters.steps());
        }
    }

    /** Registered once per protocol: looking meters up on every call costs more than a small batch's inference. */
    private BatchMeters batchMeters(String api) {
        return new BatchMeters(
                DistributionSummary.builder("rnn.batch.samples")
                        .description("Samples N per request")
                        .baseUnit("samples")
                        .tags(tags)
                        .tag("api", api)
                        .publishPercentileHistogram()
                        .register(meters),
                DistributionSummary.builder("rnn.batch.steps")
                        .description("Sequence length T (longest sample) per request")
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
