package io.rnnserving.serving;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.rnnserving.problem.InvalidRequestException;
import io.rnnserving.problem.ProblemKind;

/**
 * Admission by memory: the working memory of the requests in progress, as estimated from their sizes, stays within a
 * budget (a share of the heap), so that no mix of requests within the limits runs the heap out. A request reserves
 * as it goes (while its body is read, then for its engine work and answer) on the ticket its thread holds; what does
 * not fit waits at most {@code maxWait} and is then refused with 503, and what could never fit is refused with 413.
 */
public final class MemoryBudget {
    private static final ThreadLocal<Ticket> CURRENT = new ThreadLocal<>();
    private static final long UNIT = 1024;

    private final long budgetBytes;
    private final Duration maxWait;
    private final Semaphore kibibytes;

    public MemoryBudget(long budgetBytes, Duration maxWait) {
        if (budgetBytes < UNIT) {
            throw new IllegalArgumentException("the memory budget must be at least 1 KiB, not " + budgetBytes);
        }
        this.budgetBytes = budgetBytes;
        this.maxWait = maxWait;
        this.kibibytes = new Semaphore((int) Math.min(Integer.MAX_VALUE, budgetBytes / UNIT), true);
    }

    public long budgetBytes() {
        return budgetBytes;
    }

    /** The bytes reserved now by all requests in progress. */
    public long reservedBytes() {
        return budgetBytes - (long) kibibytes.availablePermits() * UNIT;
    }

    /** Opens the ticket of the request served on this thread; closing it releases all it reserved. */
    public Ticket open() {
        Ticket ticket = new Ticket();
        CURRENT.set(ticket);
        return ticket;
    }

    /** Reserves {@code bytes} more for the request on this thread; nothing when no ticket is open (startup, tests). */
    public static void reserveForThisRequest(long bytes, String what) {
        Ticket ticket = CURRENT.get();
        if (ticket != null) {
            ticket.reserveMore(bytes, what);
        }
    }

    /** What one request holds of the budget. */
    public final class Ticket implements AutoCloseable {
        private long heldUnits;

        private Ticket() {
        }

        public long heldBytes() {
            return heldUnits * UNIT;
        }

        /** Raises what this request holds to {@code totalBytes}, if it holds less. */
        public void reserveTotal(long totalBytes, String what) {
            long units = (totalBytes + UNIT - 1) / UNIT;
            if (units <= heldUnits) {
                return;
            }
            if (units * UNIT > budgetBytes) {
                throw new InvalidRequestException(ProblemKind.BATCH_TOO_LARGE, null, what + " needs about "
                        + mebibytes(totalBytes) + " of working memory, more than the whole memory budget of "
                        + mebibytes(budgetBytes) + " (rnn-serving.admission); send it in smaller batches");
            }
            int more = (int) (units - heldUnits);
            boolean admitted;
            try {
                admitted = kibibytes.tryAcquire(more, maxWait.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                admitted = false;
            }
            if (!admitted) {
                throw new InvalidRequestException(ProblemKind.SERVICE_UNAVAILABLE, null, what + " needs about "
                        + mebibytes(totalBytes) + " of working memory, and the requests in progress hold the memory "
                        + "budget for longer than " + maxWait.toMillis() + " ms; retry later");
            }
            heldUnits = units;
        }

        public void reserveMore(long bytes, String what) {
            reserveTotal(heldBytes() + bytes, what);
        }

        @Override
        public void close() {
            if (CURRENT.get() == this) {
                CURRENT.remove();
            }
            if (heldUnits > 0) {
                kibibytes.release((int) heldUnits);
                heldUnits = 0;
            }
        }
    }

    private static String mebibytes(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }
}
