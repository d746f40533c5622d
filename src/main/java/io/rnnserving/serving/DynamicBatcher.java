package io.rnnserving.serving;

import java.io.EOFException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

import io.rnnserving.engine.ForwardResult;
import org.jspecify.annotations.Nullable;

/**
 * Coalesces concurrent requests for one model version into one engine call at a time. While a call runs,
 * arriving requests queue; when it ends, the oldest queued request's own thread takes everything queued (up to
 * {@link BatchingSettings#maxSamples()}) and runs it as the next call for all of them (leader and followers: no
 * executor, no hand-off for a request that finds the engine idle, which runs at once on its own thread).
 * A request too small to gain from company runs at once on its own thread even while a call runs. The engine
 * computes every sample on its own, so each request's answer is bit for bit what it gets alone.
 */
public final class DynamicBatcher {

    /**
     * Below this many multiply-adds (a few tens of microseconds) a request runs at once: parking its thread and
     * waking it again costs more than sharing a call saves. Measured on the notebook model (570 per request), whose
     * requests queued behind each other ran at 0.65–0.8× of alone at 32 threads on two cores
     * ({@code bench/SmallRequestBatching}).
     */
    static final long SMALL_REQUEST_WORK = 100_000;

    /** A request joins a call only if the call's longest request has at most this many times its own steps. */
    static final int MAX_PADDING = 2;

    /**
     * How often a queued request's thread wakes to ask whether its client is still there: a hang-up is noticed within
     * this time, and under load (queue waits of 50–200 ms) most requests are answered before they wake for it once.
     */
    static final long CLIENT_CHECK_NANOS = 100_000_000;

    /** Why a request left the queue without being computed, as the metrics name it. */
    public enum Drop {
        CLIENT_GONE("client-gone"), QUEUE_TIMEOUT("queue-timeout"), INTERRUPTED("interrupted");

        private final String reason;

        Drop(String reason) {
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }

    /** The engine: one call, whatever its batch. */
    @FunctionalInterface
    public interface Engine {
        ForwardResult run(BoundRequest call);
    }

    private enum State { QUEUED, LEADING, RUNNING, DONE }

    /** A queued request and the thread that waits for it; fields written under the lock or before DONE. */
    private static final class Waiter {
        final BoundRequest call;
        final BooleanSupplier abandoned;
        final Thread thread;
        final long arrived;
        volatile State state = State.QUEUED;
        @Nullable ForwardResult result;
        @Nullable RuntimeException failure;

        Waiter(BoundRequest call, BooleanSupplier abandoned, Thread thread, long arrived) {
            this.call = call;
            this.abandoned = abandoned;
            this.thread = thread;
            this.arrived = arrived;
        }

        /** Fails a request taken into a call that could not give it an answer. */
        void settleIfOpen(RuntimeException error) {
            if (result == null && failure == null) {
                failure = error;
            }
        }

        /** Hands the answer (or failure) to the waiting thread. */
        void publish() {
            state = State.DONE;
            if (thread != Thread.currentThread()) {
                LockSupport.unpark(thread);
            }
        }
    }

    private static final BooleanSupplier NEVER_ABANDONED = () -> false;

    private final Engine engine;
    private final BatchingSettings settings;
    private final BatchObserver observer;
    private final long maxDelayNanos;
    private final long queueTimeoutNanos;
    /** Samples × steps below which a request is small (see {@link #SMALL_REQUEST_WORK}). */
    private final long smallSampleSteps;
    private final int wholeRows;
    private final Duration retryAfter;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when the queue holds a full batch, for a leader that waits out max-delay. */
    private final Condition batchFull = lock.newCondition();
    private final ArrayDeque<Waiter> queue = new ArrayDeque<>();
    private int queuedSamples;
    /** A call is running or a leader has been chosen for the next; the queue is empty whenever this is false. */
    private boolean busy;

    /** A batcher whose calls take every queued request that fits, whatever their number of samples. */
    public DynamicBatcher(Engine engine, BatchingSettings settings, long workPerSampleStep, BatchObserver observer) {
        this(engine, settings, workPerSampleStep, 1, observer);
    }

    /**
     * @param workPerSampleStep about how many multiply-adds one sample's step costs; a model's parameter count is
     *                          such a figure (each weight is used once a step)
     * @param wholeRows         a call of more samples than this takes a multiple of it when its requests allow: the
     *                          engine computes whole tiles of rows several times faster per sample than the rows
     *                          left over, so those are better left to the next call
     */
    public DynamicBatcher(Engine engine, BatchingSettings settings, long workPerSampleStep, int wholeRows,
                          BatchObserver observer) {
        if (wholeRows < 1) {
            throw new IllegalArgumentException("wholeRows must be at least 1, got " + wholeRows);
        }
        this.engine = engine;
        this.wholeRows = wholeRows;
        this.smallSampleSteps = SMALL_REQUEST_WORK / Math.max(1, workPerSampleStep);
        this.settings = settings;
        this.observer = observer;
        this.maxDelayNanos = settings.maxDelay().toNanos();
        this.queueTimeoutNanos = settings.queueTimeout().toNanos();
        this.retryAfter = Duration.ofSeconds(Math.max(1, (settings.queueTimeout().toMillis() + 999) / 1000));
    }

    public BatchingSettings settings() {
        return settings;
    }

    /** Samples waiting for an engine call now. */
    public int queuedSamples() {
        lock.lock();
        try {
            return queuedSamples;
        } finally {
            lock.unlock();
        }
    }

    /** {@link #submit(BoundRequest, BooleanSupplier)} for a caller that only gives up by being interrupted. */
    public ForwardResult submit(BoundRequest call) {
        return submit(call, NEVER_ABANDONED);
    }

    /**
     * Runs the call, alone or with others, and returns its own answer; blocks until then.
     *
     * @param abandoned true once nobody wants the answer (the client hung up): a request still queued then is
     *                  not computed; asked only on this thread (it may read this thread's connection), every
     *                  {@link #CLIENT_CHECK_NANOS} while queued and when it leads a call
     * @throws QueueTimeoutException when the call was not started within the queue timeout
     * @throws CancellationException when the waiting thread was interrupted or the request abandoned before its
     *                               answer was ready (the thread's interrupt flag is kept)
     */
    public ForwardResult submit(BoundRequest call, BooleanSupplier abandoned) {
        if ((long) call.batch().samples() * call.batch().steps() < smallSampleSteps) {
            return runSmall(call);
        }
        Waiter waiter = null;
        lock.lock();
        try {
            if (!busy && maxDelayNanos == 0) {
                busy = true;
            } else {
                waiter = new Waiter(call, abandoned, Thread.currentThread(), System.nanoTime());
                queue.addLast(waiter);
                queuedSamples += call.batch().samples();
                if (!busy) {
                    busy = true;
                    waiter.state = State.LEADING;
                } else if (queuedSamples >= settings.maxSamples()) {
                    batchFull.signal();
                }
            }
        } finally {
            lock.unlock();
        }
        if (waiter == null) {
            return runAtOnce(call);
        }
        return await(waiter);
    }

    /** A small request's path: beside any running call, as with batching off. */
    private ForwardResult runSmall(BoundRequest call) {
        ForwardResult result = engine.run(call);
        observer.waited(0);
        observer.engineCalled(1, call.batch().samples());
        return result;
    }

    /** The idle engine's path: no queue, no copy. */
    private ForwardResult runAtOnce(BoundRequest call) {
        try {
            ForwardResult result = engine.run(call);
            observer.waited(0);
            observer.engineCalled(1, call.batch().samples());
            return result;
        } finally {
            handOver();
        }
    }

    private ForwardResult await(Waiter waiter) {
        boolean interrupted = false;
        try {
            while (true) {
                State state = waiter.state;
                if (state == State.DONE) {
                    if (waiter.failure != null) {
                        throw waiter.failure;
                    }
                    return waiter.result;
                }
                if (state == State.LEADING) {
                    return lead(waiter);
                }
                interrupted |= Thread.interrupted();
                if (state == State.RUNNING) {
                    if (interrupted) {
                        throw new CancellationException("interrupted while its call ran; the answer is dropped");
                    }
                    LockSupport.park(this);
                    continue;
                }
                long left = waiter.arrived + queueTimeoutNanos - System.nanoTime();
                Drop drop = interrupted ? Drop.INTERRUPTED : left <= 0 ? Drop.QUEUE_TIMEOUT
                        : waiter.abandoned.getAsBoolean() ? Drop.CLIENT_GONE : null;
                if (drop != null) {
                    if (leaveQueue(waiter)) {
                        observer.dropped(drop);
                        if (drop == Drop.QUEUE_TIMEOUT) {
                            throw new QueueTimeoutException(Duration.ofNanos(System.nanoTime() - waiter.arrived),
                                    retryAfter);
                        }
                        throw drop == Drop.CLIENT_GONE ? clientGone()
                                : new CancellationException("interrupted while queued; not computed");
                    }
                    continue; // chosen to lead or taken into a call meanwhile
                }
                LockSupport.parkNanos(this, waiter.abandoned == NEVER_ABANDONED ? left
                        : Math.min(left, CLIENT_CHECK_NANOS));
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Takes a still-queued waiter out of the queue; false when it was already chosen to lead or to run. */
    private boolean leaveQueue(Waiter waiter) {
        lock.lock();
        try {
            if (waiter.state != State.QUEUED) {
                return false;
            }
            queue.remove(waiter);
            queuedSamples -= waiter.call.batch().samples();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Runs the next call for everything queued, this waiter (the oldest) first, and answers each member. */
    private ForwardResult lead(Waiter leader) {
        List<Waiter> members = new ArrayList<>();
        try {
            lock.lock();
            try {
                awaitMaxDelay(leader);
                takeBatch(members);
            } finally {
                lock.unlock();
            }
            if (!members.isEmpty()) {
                run(members);
            }
        } catch (Error e) {
            members.forEach(member -> member.settleIfOpen(new IllegalStateException(e)));
            throw e;
        } finally {
            handOver(); // the next call starts before this one's answers are handed out
            members.forEach(Waiter::publish);
        }
        if (leader.state != State.DONE) {
            throw clientGone();
        }
        if (leader.failure != null) {
            throw leader.failure;
        }
        return leader.result;
    }

    /** For a request whose client hung up: the EOF cause tells the web layer that there is nobody to answer. */
    private static CancellationException clientGone() {
        CancellationException gone = new CancellationException("the client hung up while queued; not computed");
        gone.initCause(new EOFException("the client closed its connection"));
        return gone;
    }

    /** With a max-delay, waits (holding no lock while asleep) until it has passed or the queue holds a full batch. */
    private void awaitMaxDelay(Waiter leader) {
        long until = leader.arrived + maxDelayNanos;
        long left;
        while (queuedSamples < settings.maxSamples() && (left = until - System.nanoTime()) > 0) {
            try {
                batchFull.awaitNanos(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Under the lock: the oldest queued request and, oldest first, every other that fits beside it: at most
     * max-samples in all, and no request's steps less than half the call's longest (every sample of a call runs the
     * longest one's steps, so a short request padded further would cost more than it gains). The leader (this thread)
     * is dropped if abandoned; the others ask on their own threads while they wait. A call of more than
     * {@code wholeRows} samples leaves its youngest requests to the next call until its samples are a multiple of
     * it (see {@link #DynamicBatcher(Engine, BatchingSettings, long, int, BatchObserver)}). What does not fit waits
     * for the next call, whose leader is then the oldest left.
     */
    private void takeBatch(List<Waiter> members) {
        int samples = 0;
        int shortest = Integer.MAX_VALUE;
        int longest = 0;
        for (Iterator<Waiter> queued = queue.iterator(); queued.hasNext() && samples < settings.maxSamples(); ) {
            Waiter next = queued.next();
            int size = next.call.batch().samples();
            int steps = next.call.batch().steps();
            if (next.state == State.LEADING && next.abandoned.getAsBoolean()) {
                queued.remove();
                queuedSamples -= size;
                next.state = State.RUNNING; // it still runs the others' call
                observer.dropped(Drop.CLIENT_GONE);
                continue;
            }
            if (!members.isEmpty() && (samples + size > settings.maxSamples()
                    || Math.max(longest, steps) > MAX_PADDING * Math.min(shortest, steps))) {
                continue;
            }
            members.add(next);
            samples += size;
            shortest = Math.min(shortest, steps);
            longest = Math.max(longest, steps);
        }
        int excess = samples > wholeRows ? samples % wholeRows : 0;
        for (int i = members.size() - 1; i > 0 && excess > 0; i--) {
            int size = members.get(i).call.batch().samples();
            if (size <= excess) {
                members.remove(i);
                excess -= size;
            }
        }
        for (Waiter member : members) {
            member.state = State.RUNNING;
            queuedSamples -= member.call.batch().samples();
        }
        queue.removeIf(waiter -> waiter.state == State.RUNNING);
    }

    /** Computes each member's answer or failure; {@link Waiter#publish()} hands them out. */
    private void run(List<Waiter> members) {
        long started = System.nanoTime();
        for (Waiter member : members) {
            observer.waited(started - member.arrived);
        }
        if (members.size() == 1) {
            runAlone(members.get(0));
            return;
        }
        List<ForwardResult> answers;
        try {
            List<BoundRequest> calls = new ArrayList<>(members.size());
            members.forEach(member -> calls.add(member.call));
            CoalescedCall coalesced = CoalescedCall.of(calls);
            answers = coalesced.split(engine.run(coalesced.merged()));
        } catch (RuntimeException e) {
            // a request the engine refuses must not fail the others: each runs alone and gets its own answer
            members.forEach(this::runAlone);
            return;
        }
        int samples = 0;
        for (int i = 0; i < members.size(); i++) {
            samples += members.get(i).call.batch().samples();
            members.get(i).result = answers.get(i);
        }
        observer.engineCalled(members.size(), samples);
    }

    private void runAlone(Waiter member) {
        try {
            member.result = engine.run(member.call);
        } catch (RuntimeException e) {
            member.failure = e;
        }
        observer.engineCalled(1, member.call.batch().samples());
    }

    /** After a call: the oldest queued request's thread leads the next one, or the engine goes idle. */
    private void handOver() {
        lock.lock();
        try {
            Waiter next = queue.peekFirst();
            if (next == null) {
                busy = false;
            } else {
                next.state = State.LEADING;
                LockSupport.unpark(next.thread);
            }
        } finally {
            lock.unlock();
        }
    }
}
