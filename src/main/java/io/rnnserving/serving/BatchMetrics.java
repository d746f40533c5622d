package io.rnnserving.serving;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

/** What dynamic batching does for one served model version, as meters tagged with the model (and version). */
public final class BatchMetrics implements BatchObserver {
    private final DistributionSummary samplesPerCall;
    private final DistributionSummary requestsPerCall;
    private final Timer queueWait;
    private final Map<DynamicBatcher.Drop, Counter> dropped = new EnumMap<>(DynamicBatcher.Drop.class);
    private final MeterRegistry meters;
    private final Tags tags;
    private @Nullable Gauge queuedSamples;

    public BatchMetrics(MeterRegistry meters, Tags tags) {
        this.meters = meters;
        this.tags = tags;
        samplesPerCall = DistributionSummary.builder("rnn.batching.call.samples")
                .description("Samples per engine call, of all the requests it coalesced")
                .baseUnit("samples")
                .tags(tags)
                .publishPercentileHistogram()
                .register(meters);
        requestsPerCall = DistributionSummary.builder("rnn.batching.call.requests")
                .description("Requests coalesced into one engine call")
                .baseUnit("requests")
                .tags(tags)
                .publishPercentileHistogram()
                .register(meters);
        queueWait = Timer.builder("rnn.batching.queue.wait")
                .description("Time a request waited for its engine call to start")
                .tags(tags)
                .publishPercentileHistogram()
                .register(meters);
        for (DynamicBatcher.Drop why : DynamicBatcher.Drop.values()) {
            dropped.put(why, Counter.builder("rnn.batching.dropped")
                    .description("Queued requests left out of every engine call: their client hung up, they "
                            + "outwaited the queue timeout, or their thread was interrupted")
                    .tags(tags)
                    .tag("reason", why.reason())
                    .register(meters));
        }
    }

    /** Also reports how many samples wait in the batcher's queue. */
    public void watch(DynamicBatcher batcher) {
        queuedSamples = Gauge.builder("rnn.batching.queue.samples", batcher, DynamicBatcher::queuedSamples)
                .description("Samples waiting for an engine call")
                .baseUnit("samples")
                .tags(tags)
                .register(meters);
    }

    /** Removes these meters, once the version is no longer served. */
    public void remove() {
        meters.remove(samplesPerCall);
        meters.remove(requestsPerCall);
        meters.remove(queueWait);
        dropped.values().forEach(meters::remove);
        if (queuedSamples != null) {
            meters.remove(queuedSamples);
        }
    }

    @Override
    public void engineCalled(int requests, int samples) {
        samplesPerCall.record(samples);
        requestsPerCall.record(requests);
    }

    @Override
    public void waited(long queueNanos) {
        queueWait.record(queueNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void dropped(DynamicBatcher.Drop why) {
        dropped.get(why).increment();
    }
}
