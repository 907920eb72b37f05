package dev.chaosjunit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.assertj.core.api.AbstractAssert;

import dev.chaosjunit.internal.probe.TimelineText;
import dev.chaosjunit.internal.report.TestTimeline;

/**
 * Asserts that a {@link Probe} fails fast while a fault acts: each of a few calls must throw,
 * and within a time limit. A client without sensible timeouts hangs instead, and that is what this
 * assertion catches.
 *
 * <p>Each call runs on its own daemon thread. A call still running at the limit is interrupted and
 * abandoned, and the assertion fails at once, so a hanging client never hangs the test.
 *
 * <pre>{@code
 * try (ActiveFault outage = db.inject(FaultSpec.timeout())) {
 *     // passes when every call throws within 1 s, and returns how long each took:
 *     List<Duration> took = assertThatEveryCall(() -> orders.list()).attempts(3).failsWithin(Duration.ofSeconds(1));
 *
 *     // fails when a call hangs, with a message such as:
 *     //   Expecting every call to fail within 1 s, but call 1 of 3 was still running after 1 s
 *     //   (it hangs instead of failing fast)
 *     // or when a call succeeds:
 *     //   Expecting every call to fail within 1 s, but call 1 of 3 succeeded
 * }
 * }</pre>
 */
public final class FailFastAssert extends AbstractAssert<FailFastAssert, Probe> {

    static final int DEFAULT_ATTEMPTS = 3;

    private final int attempts;

    private FailFastAssert(Probe probe, int attempts) {
        super(probe, FailFastAssert.class);
        this.attempts = attempts;
    }

    /** Starts the assertion; prefer {@link ChaosAssertions#assertThatEveryCall(Probe)}. */
    public static FailFastAssert assertThatEveryCall(Probe probe) {
        return new FailFastAssert(probe, DEFAULT_ATTEMPTS);
    }

    /**
     * Makes {@code n} calls (3 unless set).
     *
     * @throws IllegalArgumentException if {@code n} is less than 1
     */
    public FailFastAssert attempts(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("attempts must be 1 or more, but was " + n);
        }
        FailFastAssert copy = new FailFastAssert(actual, n);
        copy.info.description(info.description());
        return copy;
    }

    /** As {@link #failsWithin(Duration)}. */
    public List<Duration> failsWithin(long amount, TimeUnit unit) {
        return failsWithin(Duration.ofNanos(unit.toNanos(amount)));
    }

    /**
     * Calls the probe {@link #attempts(int) n times}, one after the other, and checks that every
     * call throws within {@code maxPerCall}.
     *
     * @return how long each call took to fail, in call order
     * @throws AssertionError naming the first call that succeeded or was still running at the limit
     * @throws IllegalArgumentException if {@code maxPerCall} is not positive
     */
    public List<Duration> failsWithin(Duration maxPerCall) {
        RecoveryAssert.requirePositive(maxPerCall, "maxPerCall");
        isNotNull();
        String limit = TimelineText.duration(maxPerCall.toNanos());
        String assertion = "every call fails within " + limit;
        long first = System.nanoTime();
        List<Duration> durations = new ArrayList<>();
        TestTimeline test = TestTimeline.current();
        for (int call = 1; call <= attempts; call++) {
            Probe probe = actual;
            FutureTask<Throwable> task = new FutureTask<>(() -> {
                TestTimeline.bindThread(test);
                try {
                    probe.check();
                    return null;
                } catch (Throwable error) {
                    return error;
                }
            });
            Thread thread = new Thread(task, "chaos-junit-fail-fast-call-" + call);
            thread.setDaemon(true);
            long started = System.nanoTime();
            thread.start();
            Throwable error;
            try {
                error = task.get(maxPerCall.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                thread.interrupt();
                TestTimeline.recordVerdictInCurrent("probe", assertion, "call " + call + " of " + attempts
                        + " still running after " + limit + " (hangs)", false,
                        first, System.nanoTime());
                failWithMessage("%s", "Expecting every call to fail within " + limit + ", but call " + call
                        + " of " + attempts + " was still running after " + limit + " (it hangs instead of failing fast)");
                return List.of();
            } catch (InterruptedException e) {
                thread.interrupt();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for call " + call, e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("cannot happen: the call catches everything", e);
            }
            long took = System.nanoTime() - started;
            if (error == null) {
                TestTimeline.recordVerdictInCurrent("probe", assertion, "call " + call + " of " + attempts
                        + " succeeded (in " + TimelineText.millis(took) + ")", false, first, System.nanoTime());
                failWithMessage("%s", "Expecting every call to fail within " + limit + ", but call " + call
                        + " of " + attempts + " succeeded");
            }
            durations.add(Duration.ofNanos(took));
        }
        long slowest = durations.stream().mapToLong(Duration::toNanos).max().orElse(0);
        TestTimeline.recordVerdictInCurrent("probe", assertion, "slowest call " + TimelineText.millis(slowest) + " ("
                + attempts + (attempts == 1 ? " call)" : " calls)"), true, first, System.nanoTime());
        return Collections.unmodifiableList(durations);
    }
}
