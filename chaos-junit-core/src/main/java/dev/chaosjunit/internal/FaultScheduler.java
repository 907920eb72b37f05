package dev.chaosjunit.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.chaosjunit.ActiveFault;
import dev.chaosjunit.ChaosProxy;
import dev.chaosjunit.FaultSchedule;
import dev.chaosjunit.FaultSpec;
import dev.chaosjunit.ScheduledFault;
import dev.chaosjunit.internal.report.TestTimeline;

/**
 * {@link ChaosProxy#schedule(FaultSpec, FaultSchedule)} for every proxy: one daemon thread per
 * scheduled fault that calls {@link ChaosProxy#inject(FaultSpec)} and {@link ActiveFault#close()}
 * on the proxy it was given, at deadlines on the {@link System#nanoTime()} clock. Going through
 * the proxy's own {@code inject} keeps what that proxy does there (the extension's proxy records
 * each occurrence in the test's timeline).
 *
 * <p>Occurrence {@code k} starts at {@code begin + delay + k * period}, computed from the begin
 * time rather than from the previous wake-up, so a late wake-up delays one occurrence and never
 * the ones after it; the thread parks until each deadline and re-checks, because
 * {@link LockSupport#parkNanos} may return early.
 *
 * <p>Internal: reached through {@link ChaosProxy#schedule}; do not use directly.
 */
public final class FaultScheduler {

    private FaultScheduler() {
    }

    /**
     * Starts {@code fault} on {@code schedule}, counted from now. An occurrence due at once is
     * injected on the calling thread before this returns, so the caller's next connection sees it.
     * Registers the schedule with the timeline of the test this thread works for
     * ({@link TestTimeline#current()}), if there is one; the schedule's thread then works for that
     * test too, so each occurrence is recorded in it.
     */
    public static ScheduledFault start(ChaosProxy proxy, FaultSpec fault, FaultSchedule schedule) {
        return start(proxy, fault, schedule, System.nanoTime());
    }

    /** As {@link #start(ChaosProxy, FaultSpec, FaultSchedule)}, counted from {@code beginNanos}. */
    static ScheduledFault start(ChaosProxy proxy, FaultSpec fault, FaultSchedule schedule, long beginNanos) {
        Objects.requireNonNull(proxy, "proxy");
        Objects.requireNonNull(fault, "fault");
        Objects.requireNonNull(schedule, "schedule");
        TestTimeline timeline = TestTimeline.current();
        Scheduled scheduled = new Scheduled(proxy, fault, schedule, beginNanos, timeline);
        scheduled.begin();
        try {
            if (timeline != null) {
                timeline.addSchedule(scheduled);
            }
        } catch (RuntimeException e) {
            // the report must never break a test
        }
        return scheduled;
    }

    /**
     * The schedules started through one proxy, so that the proxy can cancel them when it heals or
     * closes. Thread-safe.
     */
    public static final class Running {

        private final List<ScheduledFault> schedules = new CopyOnWriteArrayList<>();

        /** The schedules remembered and not cancelled, oldest first. */
        public List<ScheduledFault> list() {
            List<ScheduledFault> live = new ArrayList<>();
            for (ScheduledFault schedule : schedules) {
                if (!(schedule instanceof Scheduled) || !((Scheduled) schedule).isCancelled()) {
                    live.add(schedule);
                }
            }
            return List.copyOf(live);
        }

        /** Remembers {@code schedule}; forgets the ones already cancelled, which need nothing more. */
        public ScheduledFault add(ScheduledFault schedule) {
            schedules.removeIf(s -> s instanceof Scheduled && ((Scheduled) s).isClosed());
            schedules.add(schedule);
            return schedule;
        }

        /**
         * Cancels every schedule, newest first, even when one fails.
         *
         * @throws RuntimeException the first failure, with the others suppressed
         */
        public void cancelAll() {
            List<ScheduledFault> all = new ArrayList<>(schedules);
            schedules.removeAll(all);
            RuntimeException failure = null;
            for (int i = all.size() - 1; i >= 0; i--) {
                try {
                    all.get(i).close();
                } catch (RuntimeException e) {
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
        }

        /** Cancels every schedule and ignores failures: for a proxy that is closing anyway. */
        public void cancelAllQuietly() {
            try {
                cancelAll();
            } catch (RuntimeException ignored) {
                // the proxy is closing: an occurrence that could not start no longer matters
            }
        }
    }

    /** One scheduled fault and its thread. */
    private static final class Scheduled implements ScheduledFault {

        private final ChaosProxy proxy;
        private final FaultSpec spec;
        private final FaultSchedule schedule;
        private final long beginNanos;
        private final long delayNanos;
        /** 0: until cancelled. */
        private final long durationNanos;
        private final long periodNanos;
        /** 0: until cancelled. */
        private final long times;
        /** The test the schedule was started in, or null. */
        private final TestTimeline timeline;

        private final Object lock = new Object();
        private final List<ActiveFault> occurrences = new CopyOnWriteArrayList<>();
        private final CountDownLatch done = new CountDownLatch(1);
        private final Thread thread;
        /** close() was called. */
        private volatile boolean closed;
        /** The last occurrence ran its full duration. Guarded by {@code lock}. */
        private boolean finished;
        /** close() came before the last occurrence ended. Guarded by {@code lock}. */
        private boolean cancelled;
        /** The occurrence acting now, or null. Guarded by {@code lock}. */
        private ActiveFault current;
        /** Why the schedule stopped early, reported by the first close. Guarded by {@code lock}. */
        private Throwable failure;

        Scheduled(ChaosProxy proxy, FaultSpec spec, FaultSchedule schedule, long beginNanos, TestTimeline timeline) {
            this.proxy = proxy;
            this.timeline = timeline;
            this.spec = spec;
            this.schedule = schedule;
            this.beginNanos = beginNanos;
            this.delayNanos = schedule.delay().toNanos();
            this.durationNanos = schedule.duration().map(Duration::toNanos).orElse(0L);
            this.periodNanos = schedule.period().map(Duration::toNanos).orElse(0L);
            this.times = schedule.times().isPresent() ? schedule.times().getAsInt() : 0;
            this.thread = new Thread(this::run, "chaos-junit-schedule-" + proxy.name());
            this.thread.setDaemon(true);
        }

        /** Injects an occurrence due now on the caller's thread, then starts the thread for the rest. */
        void begin() {
            if (delayNanos == 0) {
                started(proxy.inject(spec));
            }
            thread.start();
        }

        private void run() {
            TestTimeline.bindThread(timeline);
            try {
                for (long k = 0; times == 0 || k < times; k++) {
                    long startAt = startOf(k);
                    ActiveFault occurrence;
                    if (k == 0 && delayNanos == 0) {
                        occurrence = occurrences.get(0);
                    } else {
                        if (!parkUntil(startAt)) {
                            return;
                        }
                        occurrence = proxy.inject(spec);
                        if (!started(occurrence)) {
                            occurrence.close();
                            return;
                        }
                    }
                    if (durationNanos == 0) {
                        parkUntil(Long.MAX_VALUE);
                        return;
                    }
                    if (!parkUntil(saturatedAdd(startAt, durationNanos))) {
                        return;
                    }
                    synchronized (lock) {
                        if (current == occurrence) {
                            current = null;
                        }
                        if (times != 0 && k == times - 1) {
                            finished = true; // a close() from now on cancels nothing
                        }
                    }
                    occurrence.close();
                }
            } catch (Throwable t) {
                stopAfter(t);
            } finally {
                done.countDown();
            }
        }

        /** Records an injected occurrence; false if the schedule was cancelled meanwhile (the caller heals it). */
        private boolean started(ActiveFault occurrence) {
            synchronized (lock) {
                occurrences.add(occurrence);
                if (closed) {
                    return false;
                }
                current = occurrence;
                return true;
            }
        }

        /** An occurrence could not be injected or healed: heal what acts, keep the cause for close. */
        private void stopAfter(Throwable t) {
            ActiveFault acting;
            synchronized (lock) {
                failure = t;
                acting = current;
                current = null;
            }
            if (acting != null) {
                try {
                    acting.close();
                } catch (RuntimeException e) {
                    t.addSuppressed(e);
                }
            }
        }

        /** When occurrence {@code k} starts: {@code begin + delay + k * period}; never, if that overflows. */
        private long startOf(long k) {
            long fromBegin;
            try {
                fromBegin = Math.addExact(delayNanos, Math.multiplyExact(k, periodNanos));
            } catch (ArithmeticException e) {
                return Long.MAX_VALUE;
            }
            return saturatedAdd(beginNanos, fromBegin);
        }

        /** {@code nanoTime + delta}, or {@link Long#MAX_VALUE} ("never") if the deadline is beyond reach. */
        private static long saturatedAdd(long nanoTime, long delta) {
            // nanoTime values are compared by difference; 2^62 ns (146 years) is as good as never
            return delta >= (1L << 62) || nanoTime == Long.MAX_VALUE ? Long.MAX_VALUE : nanoTime + delta;
        }

        /**
         * Parks until {@code deadline} ({@link Long#MAX_VALUE}: until cancelled).
         *
         * @return true when the deadline came, false when the schedule was cancelled first
         */
        private boolean parkUntil(long deadline) {
            while (!closed) {
                if (deadline == Long.MAX_VALUE) {
                    LockSupport.park(this);
                } else {
                    long remaining = deadline - System.nanoTime();
                    if (remaining <= 0) {
                        return true;
                    }
                    LockSupport.parkNanos(this, remaining);
                }
                // only close() stops a schedule; a stray interrupt would make park return at once, forever
                Thread.interrupted();
            }
            return false;
        }

        boolean isClosed() {
            return closed;
        }

        @Override
        public boolean isCancelled() {
            synchronized (lock) {
                return cancelled;
            }
        }

        @Override
        public FaultSpec spec() {
            return spec;
        }

        @Override
        public FaultSchedule schedule() {
            return schedule;
        }

        @Override
        public ChaosProxy proxy() {
            return proxy;
        }

        @Override
        public List<ActiveFault> occurrences() {
            return List.copyOf(occurrences);
        }

        @Override
        public boolean isDone() {
            return done.getCount() == 0;
        }

        @Override
        public boolean awaitDone(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            try {
                return done.await(Math.max(0, saturatedNanos(timeout)), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        private static long saturatedNanos(Duration d) {
            try {
                return d.toNanos();
            } catch (ArithmeticException e) {
                return d.isNegative() ? 0 : Long.MAX_VALUE;
            }
        }

        @Override
        public void close() {
            ActiveFault acting;
            synchronized (lock) {
                if (closed) {
                    return;
                }
                closed = true;
                cancelled = !finished && failure == null;
                acting = current;
                current = null;
            }
            RuntimeException healFailure = null;
            try {
                if (acting != null) {
                    acting.close();
                }
            } catch (RuntimeException e) {
                healFailure = e;
            }
            LockSupport.unpark(thread);
            joinUninterruptibly();
            Throwable stoppedBy;
            synchronized (lock) {
                stoppedBy = failure;
            }
            if (stoppedBy != null) {
                IllegalStateException problem = new IllegalStateException(this + " stopped early: " + stoppedBy,
                        stoppedBy);
                if (healFailure != null) {
                    problem.addSuppressed(healFailure);
                }
                throw problem;
            }
            if (healFailure != null) {
                throw healFailure;
            }
        }

        /** Waits for the thread to end; an interrupt does not cut the wait short but is kept. */
        private void joinUninterruptibly() {
            if (Thread.currentThread() == thread) {
                return;
            }
            boolean interrupted = false;
            while (thread.isAlive()) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        /**
         * Such as {@code DOWN after 200 ms, lasting 300 ms on localhost:5432 (1 occurrence so far)}, or
         * {@code (1 occurrence, done)}, or {@code (1 occurrence, cancelled)}.
         */
        @Override
        public String toString() {
            int started = occurrences.size();
            return spec + " " + schedule + " on " + proxy.name() + " (" + started
                    + (started == 1 ? " occurrence" : " occurrences")
                    + (isCancelled() ? ", cancelled)" : isDone() ? ", done)" : " so far)");
        }
    }
}
