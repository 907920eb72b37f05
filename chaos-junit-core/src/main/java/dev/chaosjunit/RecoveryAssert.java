package dev.chaosjunit;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.assertj.core.api.AbstractAssert;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import dev.chaosjunit.internal.probe.TimelineText;
import dev.chaosjunit.internal.report.TestTimeline;

/**
 * Asserts that a {@link Probe} succeeds again within a time budget (an SLO) after a fault ended,
 * and measures how long that took. Every option returns a new, independent assertion; nothing
 * runs until {@link #within(Duration)}.
 *
 * <p>The probe is called every {@link #pollInterval(Duration) poll interval} (40 ms unless set),
 * on a thread of Awaitility's, so a probe that hangs fails the assertion when the budget runs
 * out instead of hanging the test. The budget counts from the end of the fault
 * ({@link #after(ActiveFault)}), or from a given {@link System#nanoTime()} value
 * ({@link #afterNanoTime(long)}), or else from the call to {@code within}.
 *
 * <p><b>Recovery time</b> is the time from that start to the moment the deciding successful call
 * returned: the first success, or with {@link #consecutiveSuccesses(int) consecutiveSuccesses(n)}
 * the last success of the first run of {@code n} successes in a row.
 *
 * <pre>{@code
 * ActiveFault outage = db.inject(FaultSpec.down());
 * // ...
 * outage.close();
 *
 * // passes when a query succeeds within 2 s of healing, and returns how long it took:
 * Duration recovery = assertThatRecovery(() -> jdbc.query("select 1"))
 *         .after(outage)
 *         .consecutiveSuccesses(3)
 *         .within(Duration.ofSeconds(2));
 *
 * // fails when the pool never reconnects, with a message such as:
 * //   Expecting the probe to recover within 2 s after the fault was healed, but after 2.01 s
 * //   and 41 attempts it still failed; last error: java.sql.SQLTransientConnectionException: ...
 * }</pre>
 */
public final class RecoveryAssert extends AbstractAssert<RecoveryAssert, Probe> {

    static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(40);

    private final Long startNanos;
    private final String startText;
    private final Duration pollInterval;
    private final int consecutiveSuccesses;

    private RecoveryAssert(Probe probe, Long startNanos, String startText, Duration pollInterval,
            int consecutiveSuccesses) {
        super(probe, RecoveryAssert.class);
        this.startNanos = startNanos;
        this.startText = startText;
        this.pollInterval = pollInterval;
        this.consecutiveSuccesses = consecutiveSuccesses;
    }

    /** Starts the assertion; prefer {@link ChaosAssertions#assertThatRecovery(Probe)}. */
    public static RecoveryAssert assertThatRecovery(Probe probe) {
        return new RecoveryAssert(probe, null, "", DEFAULT_POLL_INTERVAL, 1);
    }

    private RecoveryAssert copy(Long start, String text, Duration interval, int successes) {
        RecoveryAssert copy = new RecoveryAssert(actual, start, text, interval, successes);
        copy.info.description(info.description());
        return copy;
    }

    /**
     * Counts the budget from when {@code healedFault} was healed.
     *
     * @throws IllegalArgumentException if the fault is still active
     */
    public RecoveryAssert after(ActiveFault healedFault) {
        Objects.requireNonNull(healedFault, "healedFault");
        if (!healedFault.isHealed()) {
            throw new IllegalArgumentException("the fault " + healedFault.spec()
                    + " is still active; heal it (close it) before asserting recovery after it");
        }
        return copy(healedFault.healedAtNanos(), " after the fault was healed", pollInterval, consecutiveSuccesses);
    }

    /** Counts the budget from {@code nanoTime}, a {@link System#nanoTime()} value. */
    public RecoveryAssert afterNanoTime(long nanoTime) {
        return copy(nanoTime, " after the given start", pollInterval, consecutiveSuccesses);
    }

    /**
     * Calls the probe this often (40 ms unless set).
     *
     * @throws IllegalArgumentException if {@code interval} is not positive
     */
    public RecoveryAssert pollInterval(Duration interval) {
        return copy(startNanos, startText, requirePositive(interval, "pollInterval"), consecutiveSuccesses);
    }

    /** As {@link #pollInterval(Duration)}. */
    public RecoveryAssert pollInterval(long amount, TimeUnit unit) {
        return pollInterval(Duration.ofNanos(unit.toNanos(amount)));
    }

    /**
     * Requires {@code n} successful calls in a row (1 unless set); recovery time is then measured
     * to the last of them.
     *
     * @throws IllegalArgumentException if {@code n} is less than 1
     */
    public RecoveryAssert consecutiveSuccesses(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("consecutiveSuccesses must be 1 or more, but was " + n);
        }
        return copy(startNanos, startText, pollInterval, n);
    }

    /** As {@link #within(Duration)}. */
    public Duration within(long amount, TimeUnit unit) {
        return within(Duration.ofNanos(unit.toNanos(amount)));
    }

    /**
     * Calls the probe until it succeeds ({@link #consecutiveSuccesses(int) n times in a row}) and
     * checks that this happened within {@code slo} of the start.
     *
     * @return the recovery time, from the start to the deciding successful call
     * @throws AssertionError if the probe did not recover within {@code slo}, saying how long it
     *         waited, how many calls it made, a call still running at the end (a hang only if it has
     *         run longer than {@code slo}) and the last error
     * @throws IllegalArgumentException if {@code slo} is not positive
     */
    public Duration within(Duration slo) {
        requirePositive(slo, "slo");
        isNotNull();
        long start = startNanos != null ? startNanos : System.nanoTime();
        long deadline = start + slo.toNanos();

        AtomicInteger attempts = new AtomicInteger();
        AtomicInteger streak = new AtomicInteger();
        AtomicInteger bestStreak = new AtomicInteger();
        AtomicBoolean running = new AtomicBoolean();
        AtomicLong attemptStartedAt = new AtomicLong();
        AtomicLong recoveredAt = new AtomicLong();
        AtomicLong firstSuccessAt = new AtomicLong(); // 0: none yet
        AtomicReference<Throwable> lastError = new AtomicReference<>();
        Probe probe = actual;

        long remaining = Math.max(deadline - System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(1));
        long awaitEnd = System.nanoTime() + remaining;
        try {
            Awaitility.await("recovery of the probe")
                    .dontCatchUncaughtExceptions()
                    .atMost(Duration.ofNanos(remaining))
                    .pollDelay(Duration.ZERO)
                    .pollInterval(pollInterval)
                    .until(() -> {
                        if (System.nanoTime() - awaitEnd >= 0) {
                            return false;
                        }
                        attempts.incrementAndGet();
                        attemptStartedAt.set(System.nanoTime());
                        running.set(true);
                        try {
                            probe.check();
                        } catch (Throwable error) {
                            if (System.nanoTime() - awaitEnd >= 0) {
                                // cut off by the timeout (interrupted): it was still running at the end
                                return false;
                            }
                            running.set(false);
                            lastError.set(error);
                            streak.set(0);
                            return false;
                        }
                        long now = System.nanoTime();
                        if (now - awaitEnd >= 0) {
                            // too late: Awaitility has given up, the outcome must not change the report
                            return false;
                        }
                        running.set(false);
                        firstSuccessAt.compareAndSet(0, now);
                        int inARow = streak.incrementAndGet();
                        bestStreak.accumulateAndGet(inARow, Math::max);
                        if (inARow >= consecutiveSuccesses) {
                            recoveredAt.set(now);
                            return true;
                        }
                        return false;
                    });
        } catch (ConditionTimeoutException timeout) {
            TestTimeline.recordRecovery(start, 0, firstSuccessAt.get(), slo, false, attempts.get(),
                    consecutiveSuccesses, lastError.get() == null ? null : lastError.get().toString());
            long now = System.nanoTime();
            failWithMessage("%s", notRecovered(slo, now - start, attempts.get(),
                    running.get() ? now - attemptStartedAt.get() : -1, bestStreak.get(), lastError.get()));
        }
        Duration recovery = Duration.ofNanos(recoveredAt.get() - start);
        TestTimeline.recordRecovery(start, recoveredAt.get(), firstSuccessAt.get(), slo, recovery.compareTo(slo) <= 0,
                attempts.get(), consecutiveSuccesses, lastError.get() == null ? null : lastError.get().toString());
        if (recovery.compareTo(slo) > 0) {
            failWithMessage("%s", "Expecting the probe to recover within " + TimelineText.duration(slo.toNanos()) + startText
                    + ", but it recovered only after " + seconds(recovery.toNanos()) + " (" + attempts.get()
                    + " attempts)");
        }
        return recovery;
    }

    /** @param runningNanos how long the attempt in flight has been running, or -1 if none is */
    private String notRecovered(Duration slo, long waitedNanos, int attempts, long runningNanos, int bestStreak,
            Throwable lastError) {
        StringBuilder message = new StringBuilder("Expecting the probe to recover within ")
                .append(TimelineText.duration(slo.toNanos())).append(startText).append(", but after ")
                .append(seconds(waitedNanos)).append(" and ").append(attempts).append(attempts == 1 ? " attempt " : " attempts ");
        if (runningNanos >= 0) {
            message.append("it had not recovered: attempt ").append(attempts).append(" was still running, for ")
                    .append(TimelineText.millis(runningNanos));
            if (runningNanos > slo.toNanos()) {
                // only a call that outlasts the whole budget is a hang; a young one was merely cut off
                message.append(", longer than the SLO (the probe hangs)");
            }
        } else if (consecutiveSuccesses > 1 && bestStreak > 0) {
            message.append("it did not succeed ").append(consecutiveSuccesses).append(" times in a row (at best ")
                    .append(bestStreak).append(')');
        } else {
            message.append("it still failed");
        }
        if (lastError != null) {
            message.append("; last error: ").append(lastError);
        }
        return message.toString();
    }

    static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }

    static Duration requirePositive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, but was " + value);
        }
        return value;
    }
}
