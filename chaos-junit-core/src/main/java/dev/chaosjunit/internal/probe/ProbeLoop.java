package dev.chaosjunit.internal.probe;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.chaosjunit.Probe;
import dev.chaosjunit.ProbeSample;
import dev.chaosjunit.internal.report.TestTimeline;

/**
 * Calls a {@link Probe} at a fixed interval on its own daemon thread ({@code chaos-junit-probe-<name>})
 * and records every call as a {@link ProbeSample}.
 *
 * <p><b>Schedule.</b> Call {@code k} is due at {@code start + k * interval}. A call that takes
 * longer than the interval delays the next one, which then starts as soon as it returns; the
 * calls that were due meanwhile are skipped, never made in a burst, so a slow system is not
 * flooded when it comes back.
 *
 * <p><b>Stopping</b> has two steps, so that the extension can heal the faults in between (healing
 * releases a call that a fault holds): {@link #signalStop()} (no new call starts), then
 * {@link #awaitStop(long)}, which waits for a call in flight until a deadline. A call still running
 * then is recorded as hung, later results are ignored, and the thread is interrupted and left to
 * die on its own: it is a daemon, so it never keeps the JVM alive. Nothing else ends the loop: an
 * interrupt the probe leaves set, or an {@link InterruptedException} it throws (a failed call), is
 * cleared after the call, and the next call comes on schedule.
 *
 * <p>All state is guarded by one lock; a probe makes a few dozen calls a second at most.
 */
public final class ProbeLoop {

    /** How long stopping waits for a call in flight, by default. */
    public static final Duration STOP_WAIT = Duration.ofSeconds(2);

    /** The shortest interval between the starts of two calls. */
    public static final Duration MIN_INTERVAL = Duration.ofMillis(1);

    /** The start of every probe thread's name. */
    public static final String THREAD_PREFIX = "chaos-junit-probe-";

    private final String name;
    private final long intervalNanos;
    private final Probe probe;
    private final TestTimeline timeline;
    private final long startedAtNanos;
    private final Thread thread;
    private final CountDownLatch stopSignal = new CountDownLatch(1);

    private final Object lock = new Object();
    private final List<ProbeSample> samples = new ArrayList<>();
    private boolean callOpen;
    private long openCallStartNanos;
    private boolean hung;
    private boolean givenUp;
    private long givenUpAtNanos;
    private boolean stopped;
    private long stoppedAtNanos;

    private ProbeLoop(String name, Duration interval, Probe probe, TestTimeline timeline, long startedAtNanos,
            boolean withThread) {
        this.name = name;
        this.intervalNanos = interval.toNanos();
        this.probe = probe;
        this.timeline = timeline;
        this.startedAtNanos = startedAtNanos;
        if (withThread) {
            thread = new Thread(this::run, THREAD_PREFIX + name);
            thread.setDaemon(true);
        } else {
            thread = null;
        }
    }

    /**
     * Starts calling {@code probe}. Inside a chaos test ({@link TestTimeline#current()}) the loop
     * joins the test's timeline, which reports it and stops it when the test ends; its thread then
     * works for that test.
     *
     * @throws IllegalArgumentException if the name is blank, the interval is shorter than 1 ms, or
     *         the running test already has a probe of that name
     */
    public static ProbeLoop start(String name, Duration interval, Probe probe) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(probe, "probe");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank; it names the probe in messages and the report");
        }
        if (interval.compareTo(MIN_INTERVAL) < 0) {
            // a shorter interval floods the system and the report (a sample per call), as @HealthProbe's intervalMs >= 1
            throw new IllegalArgumentException("interval must be at least 1 ms, like @HealthProbe's intervalMs, but was "
                    + interval);
        }
        if (interval.compareTo(Duration.ofDays(365)) > 0) {
            throw new IllegalArgumentException("interval must be at most 365 days, but was " + interval);
        }
        TestTimeline timeline = TestTimeline.current();
        ProbeLoop loop = new ProbeLoop(name, interval, probe, timeline, System.nanoTime(), true);
        if (timeline != null) {
            timeline.addProbe(loop);
        } else {
            List<String> running = TestTimeline.runningInParallel();
            if (!running.isEmpty()) {
                System.err.println("[chaos] probe \"" + name + "\" was started on " + Thread.currentThread().getName()
                        + ", a thread that belongs to none of the chaos tests running in parallel ("
                        + String.join(", ", running) + "), so it joins none of them: it is not in the report"
                        + " and runs until it is closed. Start it on the test's own thread to make it the test's.");
            }
        }
        loop.thread.start();
        return loop;
    }

    /**
     * A loop that already ran and stopped, with these samples: for tests of what is computed from
     * samples.
     */
    public static ProbeLoop finished(String name, Duration interval, long startedAtNanos, long stoppedAtNanos,
            List<ProbeSample> samples) {
        ProbeLoop loop = new ProbeLoop(name, interval, () -> { }, null, startedAtNanos, false);
        loop.samples.addAll(samples);
        loop.stopped = true;
        loop.stoppedAtNanos = stoppedAtNanos;
        loop.stopSignal.countDown();
        return loop;
    }

    public String name() {
        return name;
    }

    public Duration interval() {
        return Duration.ofNanos(intervalNanos);
    }

    /** The chaos test this loop joined, or {@code null}. */
    public TestTimeline timeline() {
        return timeline;
    }

    /** Whether the loop still starts new calls: until it is stopped, and only while its thread runs. */
    public boolean isRunning() {
        synchronized (lock) {
            return !stopped;
        }
    }

    /** The recorded calls, in start order. */
    public List<ProbeSample> samples() {
        synchronized (lock) {
            return List.copyOf(samples);
        }
    }

    /** Everything recorded so far, with the faults of the test around it, taken at one instant. */
    public ProbeSnapshot snapshot() {
        List<FaultSpan> faults = timeline == null ? null : FaultSpan.of(timeline.faults());
        synchronized (lock) {
            long now = System.nanoTime();
            long origin = timeline == null ? startedAtNanos : timeline.startNanos();
            long openCallNanos = callOpen ? (hung ? givenUpAtNanos : now) - openCallStartNanos : 0;
            return new ProbeSnapshot(name, intervalNanos, startedAtNanos, stopped ? stoppedAtNanos : now, now,
                    !stopped, List.copyOf(samples), callOpen, openCallStartNanos, openCallNanos, hung, faults, origin,
                    timeline != null);
        }
    }

    private void run() {
        try {
            loop();
        } finally {
            // only signalStop() should end the loop; if anything else did, isRunning() must not say it runs
            boolean unexpected;
            synchronized (lock) {
                unexpected = !stopped;
                if (unexpected) {
                    stopped = true;
                    stoppedAtNanos = System.nanoTime();
                    callOpen = false;
                }
            }
            stopSignal.countDown();
            if (unexpected) {
                System.err.println("[chaos] probe \"" + name + "\"" + (timeline == null ? "" : " of "
                        + timeline.testFullName()) + " stopped unexpectedly: its thread ended; it makes no more calls");
            }
        }
    }

    private void loop() {
        TestTimeline.bindThread(timeline);
        long due = startedAtNanos;
        while (true) {
            if (awaitStopSignal(due)) {
                return;
            }
            long start;
            synchronized (lock) {
                if (stopped) {
                    return;
                }
                start = System.nanoTime();
                callOpen = true;
                openCallStartNanos = start;
            }
            Throwable error = null;
            try {
                probe.check();
            } catch (Throwable t) {
                // an InterruptedException the probe threw is a failed call like any other
                error = t;
            }
            long end = System.nanoTime();
            // An interrupt the probe left set, or an InterruptedException it threw, belongs to that call and
            // must not end the loop; stop() interrupts only a call it gave up on, which givenUp says below.
            Thread.interrupted();
            synchronized (lock) {
                if (givenUp) {
                    // given up on when the probe was stopped: the report already calls this call hung
                    return;
                }
                callOpen = false;
                samples.add(new ProbeSample(start, end - start, error == null, error == null ? null : describe(error)));
            }
            // the next point of the schedule after this call's start; if that has passed, at once
            due = startedAtNanos + ((start - startedAtNanos) / intervalNanos + 1) * intervalNanos;
        }
    }

    /**
     * Waits until {@code due} (a {@link System#nanoTime()} value) or the stop signal.
     *
     * @return whether to stop. An interrupt alone does not stop the loop: the probe or code it started may
     *         interrupt this thread late, and only {@link #signalStop()} ends a probe.
     */
    private boolean awaitStopSignal(long due) {
        while (true) {
            long wait = due - System.nanoTime();
            if (wait <= 0) {
                return stopSignal.getCount() == 0;
            }
            try {
                return stopSignal.await(wait, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                if (stopSignal.getCount() == 0) {
                    return true;
                }
                // a stray interrupt: keep to the schedule
            }
        }
    }

    /**
     * The error's {@code toString()}, or its class name if that is null or throws (an error too, such as a
     * {@link StackOverflowError}): a sample needs some text, and the loop must go on.
     */
    static String describe(Throwable error) {
        try {
            String text = error.toString();
            return text != null ? text : error.getClass().getName();
        } catch (RuntimeException | Error e) {
            return error.getClass().getName();
        }
    }

    /** No new call starts from now on. Idempotent. */
    public void signalStop() {
        synchronized (lock) {
            if (!stopped) {
                stopped = true;
                stoppedAtNanos = System.nanoTime();
            }
        }
        stopSignal.countDown();
    }

    /**
     * Waits until the loop's thread has ended or {@code deadlineNanos} (a {@link System#nanoTime()}
     * value) has passed. A call still running then is recorded as hung, the thread is interrupted,
     * and stderr says so.
     *
     * @return whether the thread ended in time
     */
    public boolean awaitStop(long deadlineNanos) {
        signalStop();
        if (thread == null) {
            return true;
        }
        synchronized (lock) {
            if (givenUp) {
                return !thread.isAlive();
            }
        }
        boolean interrupted = false;
        try {
            long left = deadlineNanos - System.nanoTime();
            while (thread.isAlive() && left > 0) {
                try {
                    thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    interrupted = true;
                    break;
                }
                left = deadlineNanos - System.nanoTime();
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (!thread.isAlive()) {
            return true;
        }
        long openFor;
        synchronized (lock) {
            givenUp = true;
            givenUpAtNanos = System.nanoTime();
            hung = callOpen;
            openFor = callOpen ? System.nanoTime() - openCallStartNanos : 0;
        }
        thread.interrupt();
        System.err.println("[chaos] probe \"" + name + "\"" + (timeline == null ? "" : " of " + timeline.testFullName())
                + ": a call has been running for "
                + TimelineText.millis(openFor) + " and was still running when the probe was stopped;"
                + " recorded as hung. Interrupting its thread " + thread.getName()
                + " (a daemon; a probe that ignores interrupts keeps it alive until the call returns)."
                + " Give the probe's client a timeout.");
        return false;
    }

    /** {@link #signalStop()} and {@link #awaitStop(long)} with {@code maxWait}. */
    public boolean stop(Duration maxWait) {
        signalStop();
        return awaitStop(System.nanoTime() + maxWait.toNanos());
    }

    @Override
    public String toString() {
        return "probe \"" + name + "\" every " + TimelineText.duration(intervalNanos);
    }
}
