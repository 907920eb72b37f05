package dev.chaosjunit.internal.engine;

import java.util.PriorityQueue;

/**
 * Deadlines on the event loop: the loop selects until the earliest one, then runs those due.
 * Used instead of sleeping threads so that every fault's clock runs on the one thread that owns
 * connection state. Not thread-safe: loop thread only.
 */
final class TimerQueue {

    /** A scheduled action; cancel it when what it acts on goes away first. */
    static final class Timer implements Comparable<Timer> {
        final long deadlineNanos;
        private final long sequence;
        private final Runnable action;
        private boolean cancelled;

        private Timer(long deadlineNanos, long sequence, Runnable action) {
            this.deadlineNanos = deadlineNanos;
            this.sequence = sequence;
            this.action = action;
        }

        void cancel() {
            cancelled = true;
        }

        boolean isCancelled() {
            return cancelled;
        }

        @Override
        public int compareTo(Timer other) {
            // nanoTime values may wrap, so compare differences; the sequence keeps FIFO order for equal deadlines
            int byDeadline = Long.signum(deadlineNanos - other.deadlineNanos);
            return byDeadline != 0 ? byDeadline : Long.compare(sequence, other.sequence);
        }
    }

    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private long nextSequence;

    Timer schedule(long deadlineNanos, Runnable action) {
        Timer timer = new Timer(deadlineNanos, nextSequence++, action);
        timers.add(timer);
        return timer;
    }

    /**
     * How long the loop may block in select: 0 means "no deadline, block until woken", otherwise
     * at least 1 ms (select's unit), rounded up so the loop never spins just before a deadline.
     */
    long selectTimeoutMillis(long nowNanos) {
        Timer next = timers.peek();
        while (next != null && next.cancelled) {
            timers.poll();
            next = timers.peek();
        }
        if (next == null) {
            return 0;
        }
        long waitNanos = next.deadlineNanos - nowNanos;
        return waitNanos <= 0 ? -1 : Math.max(1, (waitNanos + 999_999) / 1_000_000);
    }

    /** Runs, in deadline order, every timer due at {@code nowNanos}. */
    void runDue(long nowNanos) {
        Timer next;
        while ((next = timers.peek()) != null && next.deadlineNanos - nowNanos <= 0) {
            timers.poll();
            if (!next.cancelled) {
                next.cancelled = true;
                try {
                    next.action.run();
                } catch (RuntimeException e) {
                    // one failing action (a fault hook, a flush) must not stop the others or the loop
                }
            }
        }
    }

    void clear() {
        timers.clear();
    }
}
