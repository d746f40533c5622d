package io.rnnserving.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.rnnserving.engine.SameBits;
import io.rnnserving.engine.ForwardResult;
import io.rnnserving.engine.RecurrentModel;
import io.rnnserving.engine.SequenceBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The queue's rules, with a real engine behind a gate that holds the first call until the test lets it go. */
class DynamicBatcherTest {
    private static final Duration LONG = Duration.ofSeconds(30);
    /** Work per sample and step that makes even a one-step request large enough to queue. */
    private static final long ALWAYS_QUEUED = DynamicBatcher.SMALL_REQUEST_WORK;

    private final Random random = new Random(16);
    private final RecurrentModel model = RandomCalls.model(random, 3, 20, 0, false, false);
    private final ExecutorService threads = Executors.newCachedThreadPool();

    /** The engine: records each call's samples and thread, and holds calls while closed. */
    private final class GatedEngine implements DynamicBatcher.Engine {
        final List<Integer> callSamples = new CopyOnWriteArrayList<>();
        final List<Integer> callSteps = new CopyOnWriteArrayList<>();
        final List<Thread> callThreads = new CopyOnWriteArrayList<>();
        final CountDownLatch firstCallStarted = new CountDownLatch(1);
        final CountDownLatch open = new CountDownLatch(1);

        @Override
        public ForwardResult run(BoundRequest call) {
            callSamples.add(call.batch().samples());
            callSteps.add(call.batch().steps());
            callThreads.add(Thread.currentThread());
            firstCallStarted.countDown();
            try {
                open.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return RandomCalls.alone(model, call);
        }
    }

    /** Counts what the batcher reports. */
    private static final class Counting implements BatchObserver {
        final List<Integer> requestsPerCall = new CopyOnWriteArrayList<>();
        final List<Long> waits = new CopyOnWriteArrayList<>();
        final List<DynamicBatcher.Drop> drops = new CopyOnWriteArrayList<>();

        @Override
        public void engineCalled(int requests, int samples) {
            requestsPerCall.add(requests);
        }

        @Override
        public void waited(long queueNanos) {
            waits.add(queueNanos);
        }

        @Override
        public void dropped(DynamicBatcher.Drop why) {
            drops.add(why);
        }
    }

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    @Test
    void aLoneRequestRunsAtOnceOnItsOwnThread() {
        GatedEngine engine = new GatedEngine();
        engine.open.countDown();
        Counting counting = new Counting();
        DynamicBatcher batcher = new DynamicBatcher(engine, BatchingSettings.DEFAULTS, ALWAYS_QUEUED, counting);
        BoundRequest call = RandomCalls.call(random, model, 3, 5);

        ForwardResult answer = batcher.submit(call);

        SameBits.assertSameBits(answer, RandomCalls.alone(model, call));
        assertThat(engine.callThreads).containsExactly(Thread.currentThread());
        assertThat(counting.requestsPerCall).containsExactly(1);
        assertThat(counting.waits).containsExactly(0L);
    }

    @Test
    void requestsArrivingWhileACallRunsRunTogetherAsTheNextCall() throws Exception {
        GatedEngine engine = new GatedEngine();
        Counting counting = new Counting();
        DynamicBatcher batcher = new DynamicBatcher(engine, BatchingSettings.DEFAULTS, ALWAYS_QUEUED, counting);
        BoundRequest first = RandomCalls.call(random, model, 2, 4);
        Future<ForwardResult> firstAnswer = threads.submit(() -> batcher.submit(first));
        engine.firstCallStarted.await();

        List<BoundRequest> calls = new ArrayList<>();
        List<Future<ForwardResult>> answers = new ArrayList<>();
        int samples = 0;
        for (int i = 0; i < 6; i++) {
            BoundRequest drawn;
            // 5 to 9 steps: padding to the longest at most doubles any request's
            do {
                drawn = RandomCalls.call(random, model, 4, 9);
            } while (drawn.batch().steps() < 5);
            BoundRequest call = drawn;
            calls.add(call);
            samples += call.batch().samples();
            answers.add(threads.submit(() -> batcher.submit(call)));
        }
        awaitQueued(batcher, samples);
        engine.open.countDown();

        SameBits.assertSameBits(firstAnswer.get(), RandomCalls.alone(model, first));
        for (int i = 0; i < calls.size(); i++) {
            SameBits.assertSameBits(answers.get(i).get(), RandomCalls.alone(model, calls.get(i)));
        }
        assertThat(engine.callSamples).containsExactly(first.batch().samples(), samples);
        assertThat(counting.requestsPerCall).containsExactly(1, 6);
        assertThat(engine.callThreads.get(1)).as("a queued request's own thread leads the next call")
                .isNotSameAs(engine.callThreads.get(0));
        assertThat(counting.waits.subList(1, 7)).allMatch(wait -> wait > 0);
    }

    @Test
    void maxSamplesBoundsACallAndALargerRequestRunsAlone() throws Exception {
        GatedEngine engine = new GatedEngine();
        DynamicBatcher batcher = new DynamicBatcher(engine,
                new BatchingSettings(10, Duration.ZERO, LONG), ALWAYS_QUEUED, BatchObserver.NONE);
        Future<ForwardResult> first = threads.submit(() -> batcher.submit(callOf(1)));
        engine.firstCallStarted.await();
        int queued = 0;
        List<Future<ForwardResult>> answers = new ArrayList<>();
        for (int samples : new int[] {4, 4, 4, 15, 3}) {
            answers.add(threads.submit(() -> batcher.submit(callOf(samples))));
            awaitQueued(batcher, queued += samples);
        }
        engine.open.countDown();
        first.get();
        for (Future<ForwardResult> answer : answers) {
            answer.get();
        }

        assertThat(engine.callSamples).as("what does not fit waits for the next call").containsExactly(1, 8, 7, 15);
    }

    @Test
    void aRequestJoinsACallOnlyIfPaddingAtMostDoublesItsSteps() throws Exception {
        GatedEngine engine = new GatedEngine();
        DynamicBatcher batcher = new DynamicBatcher(engine, BatchingSettings.DEFAULTS, ALWAYS_QUEUED,
                BatchObserver.NONE);
        Future<ForwardResult> first = threads.submit(() -> batcher.submit(callOf(1)));
        engine.firstCallStarted.await();
        List<Future<ForwardResult>> answers = new ArrayList<>();
        int queued = 0;
        for (int steps : new int[] {10, 40, 15, 50, 20, 21}) {
            answers.add(threads.submit(() -> batcher.submit(callOf(1, steps))));
            awaitQueued(batcher, ++queued);
        }
        engine.open.countDown();
        first.get();
        for (Future<ForwardResult> answer : answers) {
            answer.get();
        }

        // 10 leads 15 and 20 (40, 50 and 21 would pad 10 past 20); 40 leads 50 (21 padded to 50 is more than double)
        assertThat(engine.callSteps).containsExactly(4, 20, 50, 21);
        assertThat(engine.callSamples).containsExactly(1, 3, 2, 1);
    }

    @Test
    void aRequestNotStartedWithinTheQueueTimeoutIsRefusedAndNeverComputed() throws Exception {
        GatedEngine engine = new GatedEngine();
        DynamicBatcher batcher = new DynamicBatcher(engine,
                new BatchingSettings(256, Duration.ZERO, Duration.ofMillis(200)), ALWAYS_QUEUED,
                BatchObserver.NONE);
        Future<ForwardResult> first = threads.submit(() -> batcher.submit(callOf(1)));
        engine.firstCallStarted.await();

        long start = System.nanoTime();
        assertThatThrownBy(() -> batcher.submit(callOf(2)))
                .isInstanceOfSatisfying(QueueTimeoutException.class,
                        e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(1)));
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(Duration.ofMillis(200).toNanos());
        assertThat(batcher.queuedSamples()).isZero();

        engine.open.countDown();
        first.get();
        assertThat(engine.callSamples).containsExactly(1);
    }

    @Test
    void aRequestWhoseThreadIsInterruptedWhileQueuedIsNeverComputed() throws Exception {
        GatedEngine engine = new GatedEngine();
        DynamicBatcher batcher = new DynamicBatcher(engine, BatchingSettings.DEFAULTS, ALWAYS_QUEUED, BatchObserver.NONE);
        Future<ForwardResult> first = threads.submit(() -> batcher.submit(callOf(1)));
        engine.firstCallStarted.await();
        AtomicBoolean cancelledWithFlagKept = new AtomicBoolean();
        Future<?> givingUp = threads.submit(() -> {
            try {
                batcher.submit(callOf(2));
            } catch (CancellationException e) {
                cancelledWithFlagKept.set(Thread.currentThread().isInterrupted());
            }
        });
        Future<ForwardResult> staying = threads.submit(() -> batcher.submit(callOf(3)));
        awaitQueued(batcher, 5);

        givingUp.cancel(true);
        awaitQueued(batcher, 3);
        engine.open.countDown();
        first.get();
        staying.get();

        assertThat(cancelledWithFlagKept).isTrue();
        assertThat(engine.callSamples).containsExactly(1, 3);
    }

    @Test
    void aCallLeavesItsYoungestRequestsToTheNextUntilItsSamplesAreWholeRows() throws Exception {
        GatedEngine engine = new GatedEngine();
        DynamicBatcher batcher = new DynamicBatcher(engine, BatchingSettings.DEFAULTS, ALWAYS_QUEUED, 4,
                BatchObserver.NONE);
        Future<ForwardResult> first = threads.submit(() -> batcher.submit(callOf(1)));
        engine.firstCallStarted.await();
        List<BoundRequest> calls = List.of(callOf(2), callOf(1), callOf(2), callOf(1));
        List<Future<ForwardResult>> answers = new ArrayList<>();
        int queued = 0;
        for (BoundRequest call : calls) {
            answers.add(threads.submit(() -> batcher.submit(call)));
            queued += call.batch().samples();
            awaitQueued(batcher, queued); // in this order
        }

        engine.open.countDown();
        first.get();

        for (int i = 0; i < calls.size(); i++) {
            SameBits.assertSameBits(answers.get(i).get(), RandomCalls.alone(model, calls.get(i)));
        }
        // 6 samples queued: the youngest 1 and then the 1 before the youngest 2 wait, leaving 2 + 2
        assertThat(engine.callSamples).containsExactly(1, 4, 2);
    }

    @Test
    void aRequestAbandonedWhileQueuedLeavesTheQueueOnItsOwnCheck() throws Exception {
        GatedEngine engine = new GatedEngine();
        Counting counting = new Counting();
        DynamicBatcher batcher = new DynamicBatcher(engine, BatchingSettings.DEFAULTS, ALWAYS_QUEUED, counting);
        Future<ForwardResult> first = threads.submit(() -> batcher.submit(callOf(1)));
        engine.firstCallStarted.await();
        AtomicBoolean hungUp = new AtomicBoolean();
        Future<ForwardResult> abandoned = threads.submit(() -> batcher.submit(callOf(2), hungUp::get));
        Future<ForwardResult> staying = threads.submit(() -> batcher.submit(callOf(3)));
        awaitQueued(batcher, 5);

        hungUp.set(true);
        awaitQueued(batcher, 3); // within CLIENT_CHECK_NANOS, while the first call still runs
        engine.open.countDown();
        first.get();
        staying.get();

        assertThatThrownBy(abandoned::get).hasCauseInstanceOf(CancellationException.class);
        assertThat(engine.callSamples).containsExactly(1, 3);
        assertThat(counting.drops).containsExactly(DynamicBatcher.Drop.CLIENT_GONE);
    }

    @Test
    void anAbandonedLeaderStillRunsTheOthersCall() throws Exception {
        GatedEngine engine = new GatedEngine();
        DynamicBatcher batcher = new DynamicBatcher(engine, BatchingSettings.DEFAULTS, ALWAYS_QUEUED, BatchObserver.NONE);
        Future<ForwardResult> first = threads.submit(() -> batcher.submit(callOf(1)));
        engine.firstCallStarted.await();
        AtomicBoolean hungUp = new AtomicBoolean();
        Future<ForwardResult> oldest = threads.submit(() -> batcher.submit(callOf(2), hungUp::get));
        awaitQueued(batcher, 2);
        Future<ForwardResult> staying = threads.submit(() -> batcher.submit(callOf(3)));
        awaitQueued(batcher, 5);

        hungUp.set(true);
        engine.open.countDown();
        first.get();

        assertThat(staying.get().samples()).isEqualTo(3);
        assertThatThrownBy(oldest::get).hasCauseInstanceOf(CancellationException.class);
        assertThat(engine.callSamples).containsExactly(1, 3);
    }

    @Test
    void maxDelayHoldsALoneRequestUntilItPassesAndAFullBatchNoLonger() throws Exception {
        DynamicBatcher.Engine engine = call -> RandomCalls.alone(model, call);
        Duration delay = Duration.ofMillis(150);
        DynamicBatcher waiting = new DynamicBatcher(engine, new BatchingSettings(4, delay, LONG), ALWAYS_QUEUED,
                BatchObserver.NONE);
        long start = System.nanoTime();
        waiting.submit(callOf(1));
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(delay.toNanos());

        Counting counting = new Counting();
        DynamicBatcher full = new DynamicBatcher(engine, new BatchingSettings(4, LONG, LONG), ALWAYS_QUEUED, counting);
        start = System.nanoTime();
        Future<ForwardResult> a = threads.submit(() -> full.submit(callOf(2)));
        Future<ForwardResult> b = threads.submit(() -> full.submit(callOf(2)));
        a.get(10, TimeUnit.SECONDS);
        b.get(10, TimeUnit.SECONDS);
        assertThat(System.nanoTime() - start).isLessThan(Duration.ofSeconds(10).toNanos());
        assertThat(counting.requestsPerCall).containsExactly(2);
    }

    @Test
    void aRequestTheEngineRefusesFailsAloneAndTheOthersAreAnswered() throws Exception {
        GatedEngine engine = new GatedEngine();
        DynamicBatcher batcher = new DynamicBatcher(engine, BatchingSettings.DEFAULTS, ALWAYS_QUEUED, BatchObserver.NONE);
        Future<ForwardResult> first = threads.submit(() -> batcher.submit(callOf(1)));
        engine.firstCallStarted.await();
        BoundRequest wrongState = new BoundRequest(callOf(3).batch(),
                Map.of("no_such_layer", new LayerState(Map.of(LayerState.HIDDEN, new double[3 * 20]))), false);
        BoundRequest good = callOf(2);
        Future<ForwardResult> refused = threads.submit(() -> batcher.submit(wrongState));
        awaitQueued(batcher, 3);
        Future<ForwardResult> answered = threads.submit(() -> batcher.submit(good));
        awaitQueued(batcher, 5);
        engine.open.countDown();
        first.get();

        SameBits.assertSameBits(answered.get(), RandomCalls.alone(model, good));
        assertThatThrownBy(refused::get).hasCauseInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no_such_layer");
        assertThat(engine.callSamples).as("together, then each alone").containsExactly(1, 5, 3, 2);
    }

    @Test
    void fiveHundredConcurrentRequestsEachGetTheirOwnAnswer() throws Exception {
        RecurrentModel stacked = RandomCalls.model(random, 4, 33, 17, true, true);
        Counting counting = new Counting();
        DynamicBatcher batcher = new DynamicBatcher(call -> RandomCalls.alone(stacked, call),
                new BatchingSettings(64, Duration.ZERO, LONG), stacked.parameterCount(), counting);
        List<BoundRequest> calls = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            calls.add(RandomCalls.call(random, stacked, 6, 40));
        }
        ExecutorService pool = Executors.newFixedThreadPool(32);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<ForwardResult>> answers = new ArrayList<>();
        AtomicInteger running = new AtomicInteger();
        for (BoundRequest call : calls) {
            answers.add(pool.submit(() -> {
                start.await();
                running.incrementAndGet();
                return batcher.submit(call);
            }));
        }
        start.countDown();
        for (int i = 0; i < calls.size(); i++) {
            SameBits.assertSameBits(answers.get(i).get(), RandomCalls.alone(stacked, calls.get(i)));
        }
        pool.shutdown();

        assertThat(counting.requestsPerCall.stream().mapToInt(Integer::intValue).sum()).isEqualTo(500);
        assertThat(counting.requestsPerCall).as("requests were coalesced").anyMatch(requests -> requests > 1);
        assertThat(batcher.queuedSamples()).isZero();
    }

    @Test
    void aSmallRequestRunsAtOnceBesideARunningCall() throws Exception {
        GatedEngine gate = new GatedEngine();
        List<Thread> smallCallThreads = new CopyOnWriteArrayList<>();
        DynamicBatcher.Engine engine = call -> {
            if (call.batch().samples() * call.batch().steps() < 10) {
                smallCallThreads.add(Thread.currentThread());
                return RandomCalls.alone(model, call);
            }
            return gate.run(call);
        };
        // 10 samples × steps or more is large: 10_000 multiply-adds a step
        DynamicBatcher batcher = new DynamicBatcher(engine, BatchingSettings.DEFAULTS,
                DynamicBatcher.SMALL_REQUEST_WORK / 10, BatchObserver.NONE);
        BoundRequest large = new BoundRequest(callOf(5).batch(), Map.of(), false);
        assertThat(large.batch().samples() * large.batch().steps()).isGreaterThanOrEqualTo(10);
        Future<ForwardResult> running = threads.submit(() -> batcher.submit(large));
        gate.firstCallStarted.await();
        BoundRequest small = new BoundRequest(RandomCalls.call(new Random(3), model, 1, 1).batch(), Map.of(), true);

        ForwardResult answer = batcher.submit(small);

        SameBits.assertSameBits(answer, RandomCalls.alone(model, small));
        assertThat(smallCallThreads).containsExactly(Thread.currentThread());
        assertThat(running).isNotDone();
        gate.open.countDown();
        running.get();
    }

    private BoundRequest callOf(int samples) {
        return callOf(samples, 4);
    }

    /** {@code samples} random sequences of {@code steps} steps, each its full length. */
    private BoundRequest callOf(int samples, int steps) {
        double[] values = new double[samples * steps * model.inputFeatures()];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextGaussian();
        }
        return new BoundRequest(SequenceBatch.rectangular(values, samples, steps, model.inputFeatures()), Map.of(),
                false);
    }

    private static void awaitQueued(DynamicBatcher batcher, int samples) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (batcher.queuedSamples() != samples) {
            assertThat(System.nanoTime()).as("queued samples reach " + samples).isLessThan(deadline);
            Thread.sleep(2);
        }
    }
}
