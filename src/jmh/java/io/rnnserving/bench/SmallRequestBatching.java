package io.rnnserving.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.rnnserving.engine.EngineSettings;
import io.rnnserving.engine.ForwardResult;
import io.rnnserving.engine.RecurrentModel;
import io.rnnserving.engine.SequenceBatch;
import io.rnnserving.loading.ModelFileReader;
import io.rnnserving.serving.BatchObserver;
import io.rnnserving.serving.BatchingSettings;
import io.rnnserving.serving.BoundRequest;
import io.rnnserving.serving.DynamicBatcher;

/**
 * Why a small request runs at once instead of queueing: many threads each do some work standing for a request's
 * HTTP handling, then run one notebook-model sample, straight through the engine ("off"), through a batcher that
 * lets such a request run at once beside a running call ("small runs at once", the service's rule), or through one
 * that queues every request while a call runs ("always queued"). The three alternate, round by round; prints each
 * one's requests/s per round and the medians' ratios to "off".
 * Args: [threads=32] [work µs per request=50] [seconds per run=3] [rounds=5].
 */
public final class SmallRequestBatching {
    private static volatile double sink;

    private SmallRequestBatching() {
    }

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 32;
        long workNanos = (args.length > 1 ? Long.parseLong(args[1]) : 50) * 1000;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        RecurrentModel model = ModelFileReader.readDefault().model().withSettings(EngineSettings.defaults());
        DynamicBatcher.Engine engine = request -> model.predictFromStates(request.batch(), request.statePartsByLayer(),
                request.recordStates());
        DynamicBatcher smallAtOnce = new DynamicBatcher(engine, BatchingSettings.DEFAULTS, model.parameterCount(),
                BatchObserver.NONE);
        DynamicBatcher alwaysQueued = new DynamicBatcher(engine, BatchingSettings.DEFAULTS, Long.MAX_VALUE,
                BatchObserver.NONE);
        String[] names = {"off", "small runs at once", "always queued"};
        List<List<Double>> rates = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int round = -1; round < rounds; round++) {
            for (int way = 0; way < 3; way++) {
                DynamicBatcher batcher = way == 0 ? null : way == 1 ? smallAtOnce : alwaysQueued;
                double rate = run(threads, workNanos, seconds, request -> batcher == null ? engine.run(request)
                        : batcher.submit(request));
                if (round >= 0) {
                    rates.get(way).add(rate);
                }
                System.out.printf("round %d %-18s %.0f requests/s%n", round, names[way], rate);
            }
        }
        double off = median(rates.get(0));
        System.out.printf("{\"off\":%.0f,\"small_at_once_ratio\":%.3f,\"always_queued_ratio\":%.3f}%n", off,
                median(rates.get(1)) / off, median(rates.get(2)) / off);
    }

    private static double run(int threads, long workNanos, int seconds, DynamicBatcher.Engine path)
            throws InterruptedException {
        AtomicLong done = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread worker = new Thread(() -> {
                double[] x = new double[30];
                Arrays.fill(x, 0.3);
                while (!stop.get()) {
                    long end = System.nanoTime() + workNanos;
                    double s = 0;
                    while (System.nanoTime() < end) {
                        s += Math.sqrt(s + 1);
                    }
                    BoundRequest request = new BoundRequest(SequenceBatch.rectangular(x, 1, 10, 3), Map.of(), false);
                    ForwardResult result = path.run(request);
                    sink = s + result.output()[0];
                    done.incrementAndGet();
                }
            });
            worker.start();
            workers.add(worker);
        }
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        for (Thread worker : workers) {
            worker.join();
        }
        return done.get() / (double) seconds;
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted[sorted.length / 2];
    }
}
