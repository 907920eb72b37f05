package dev.chaosjunit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import org.assertj.core.api.AbstractAssert;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import dev.chaosjunit.internal.probe.FaultSpan;
import dev.chaosjunit.internal.probe.ProbeLoop;
import dev.chaosjunit.internal.probe.ProbeSnapshot;
import dev.chaosjunit.internal.probe.ProbeStats;
import dev.chaosjunit.internal.probe.TimelineText;
import dev.chaosjunit.internal.probe.Window;
import dev.chaosjunit.internal.report.TestTimeline;

/**
 * Assertions over what a background probe ({@link HealthProbe}, {@link ProbeRecording})
 * recorded: error rate, latency and fail-fast in a window of the test's timeline, and recovery
 * after a fault. Start with {@link ChaosAssertions#assertThatProbe(String)} or
 * {@link ChaosAssertions#assertThatProbe(ProbeRecording)}.
 *
 * <pre>{@code
 * assertThatProbe("orders").duringFaults()
 *         .hasErrorRateAtLeast(0.9)                 // the fault really bit
 *         .failsFastWithin(Duration.ofSeconds(1));   // and nothing hung
 * assertThatProbe("orders").inSteadyState()
 *         .hasErrorRateAtMost(0.01)
 *         .hasLatencyPercentileAtMost(99, Duration.ofMillis(50));
 * assertThatProbe("orders").during(slowDatabase)
 *         .hasLatencyPercentileAtLeast(50, Duration.ofMillis(200));   // a LATENCY fault bit
 * Duration recovery = assertThatProbe("orders").consecutiveSuccesses(3).recoversWithin(Duration.ofSeconds(2));
 *
 * // a failure shows the slice of the timeline that matters, such as:
 * //   Expecting the error rate of probe "orders" during faults to be at most 10%, but it was 100% (20 of 20 calls failed)
 * //   Timeline of probe "orders", a call every 50 ms (ms since the test started; > marks calls in the window during faults, 511 – 1513 ms):
 * //          7 –    507 ms  ok   ×11   1.6–12 ms
 * //        511 –   1513 ms  fault DOWN on localhost:37643
 * //   >    553 –   1503 ms  FAIL ×20   0.4–6.3 ms  java.net.ConnectException: Connection refused
 * //       1553 –   2155 ms  ok   ×13   1.3–3.3 ms
 * }</pre>
 *
 * <p><b>Windows.</b> A call belongs to the window it <em>started</em> in. Without a window the
 * assertions look at everything recorded so far (until the probe stopped, if it did).
 * <ul>
 * <li>{@link #duringFaults()}: while any fault of the test was active (the union of the faults'
 * periods; a fault still active counts until now). The faults are those on proxies chaos-junit
 * manages ({@link ChaosPort}, {@link ChaosProxy} parameters), recorded in the test's timeline.</li>
 * <li>{@link #during(ActiveFault)}: while that fault was active.</li>
 * <li>{@link #inSteadyState()}: outside the faults and outside the recovery after each: from the
 * heal to the start of the first successful call that started after it. Here a call must also
 * have ended in steady state: a call that was running when a fault began is not counted.</li>
 * </ul>
 * Each check looks at the window as it is when the check runs: it does not wait. A check fails
 * when no call started in its window, and says why (the window is shorter than the probe's
 * interval, no fault acted, ...).
 *
 * <p><b>Latency</b> is that of every finished call, successful or not. A call still running is
 * only seen by {@link #failsFastWithin(Duration)}.
 *
 * <p><b>Recovery</b> ({@link #recoversWithin(Duration)}) waits, watching the probe's calls (it
 * does not call the probe itself), until the probe has recovered or the budget has run out.
 *
 * <p>Every option returns a new, independent assertion; checks return the assertion they were
 * called on, so they chain. Each check is recorded in the test's timeline and report, passed or not.
 */
public final class ProbeAssert extends AbstractAssert<ProbeAssert, ProbeRecording> {

    /** How long a recovery assertion keeps waiting for a call that was running at the deadline to be recorded. */
    private static final long RECORDING_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final Duration RECOVERY_POLL = Duration.ofMillis(5);

    private enum Scope {
        WHOLE, FAULTS, FAULT, STEADY
    }

    private final Scope scope;
    private final ActiveFault windowFault;
    private final ActiveFault after;
    private final int consecutiveSuccesses;

    private ProbeAssert(ProbeRecording recording, Scope scope, ActiveFault windowFault, ActiveFault after,
            int consecutiveSuccesses) {
        super(recording, ProbeAssert.class);
        this.scope = scope;
        this.windowFault = windowFault;
        this.after = after;
        this.consecutiveSuccesses = consecutiveSuccesses;
    }

    /** Starts the assertion; prefer {@link ChaosAssertions#assertThatProbe(ProbeRecording)}. */
    public static ProbeAssert assertThatProbe(ProbeRecording recording) {
        return new ProbeAssert(recording, Scope.WHOLE, null, null, 1);
    }

    private ProbeAssert copy(Scope newScope, ActiveFault newWindowFault, ActiveFault newAfter, int successes) {
        ProbeAssert copy = new ProbeAssert(actual, newScope, newWindowFault, newAfter, successes);
        copy.info.description(info.description());
        return copy;
    }

    // ---------------------------------------------------------------- windows

    /**
     * Looks at the calls that started while any fault of the test was active.
     *
     * @throws IllegalStateException (when a check runs) if the probe was started outside a chaos test
     */
    public ProbeAssert duringFaults() {
        return copy(Scope.FAULTS, null, after, consecutiveSuccesses);
    }

    /** Looks at the calls that started while {@code fault} was active (until now if it still is). */
    public ProbeAssert during(ActiveFault fault) {
        return copy(Scope.FAULT, Objects.requireNonNull(fault, "fault"), after, consecutiveSuccesses);
    }

    /**
     * Looks at the calls that started in steady state: not while a fault was active, and not
     * while the probe was recovering from one, from the heal to the start of the first
     * successful call that started after it (that call is steady state again). When faults
     * overlap, the recovery follows the last heal. While a fault is active, or the probe has not
     * succeeded since a heal, nothing from that fault's start on is steady state. Unlike the other
     * windows, a call counts only if it also ended in steady state: a call that was running when a
     * fault began (and so failed or was slowed by it) is not held against the steady state.
     *
     * @throws IllegalStateException (when a check runs) if the probe was started outside a chaos test
     */
    public ProbeAssert inSteadyState() {
        return copy(Scope.STEADY, null, after, consecutiveSuccesses);
    }

    // ---------------------------------------------------------------- checks

    /**
     * Checks that at most {@code fraction} of the calls in the window failed.
     *
     * @param fraction between 0 and 1, such as 0.1 for 10 %
     * @throws AssertionError if more failed, or no call started in the window
     * @throws IllegalArgumentException if {@code fraction} is not between 0 and 1
     */
    public ProbeAssert hasErrorRateAtMost(double fraction) {
        return errorRate(requireFraction(fraction), true);
    }

    /**
     * Checks that at least {@code fraction} of the calls in the window failed: that a fault really
     * bit, for example.
     *
     * @param fraction between 0 and 1, such as 0.9 for 90 %
     * @throws AssertionError if fewer failed, or no call started in the window
     * @throws IllegalArgumentException if {@code fraction} is not between 0 and 1
     */
    public ProbeAssert hasErrorRateAtLeast(double fraction) {
        return errorRate(requireFraction(fraction), false);
    }

    private ProbeAssert errorRate(double fraction, boolean atMost) {
        isNotNull();
        Look look = look();
        String assertion = "error rate" + look.window.phrase() + (atMost ? " <= " : " >= ")
                + TimelineText.percent(fraction);
        String expecting = "Expecting the error rate of probe \"" + actual.name() + "\"" + look.window.phrase()
                + " to be " + (atMost ? "at most " : "at least ") + TimelineText.percent(fraction);
        if (look.samples.isEmpty()) {
            return noCalls(look, assertion, expecting);
        }
        int failed = ProbeStats.failures(look.samples);
        int total = look.samples.size();
        double tolerance = 1e-9 * total;
        boolean passed = atMost ? failed <= fraction * total + tolerance : failed >= fraction * total - tolerance;
        String measured = TimelineText.percent((double) failed / total) + " (" + failed + " of " + total
                + (total == 1 ? " call" : " calls") + " failed)";
        String hint = !atMost && (scope == Scope.FAULTS || scope == Scope.FAULT)
                ? "; did the fault act on the connections the probe uses (does its client go through the proxy)?" : "";
        return verdict(look, assertion, measured, passed, expecting + ", but it was " + measured + hint);
    }

    /**
     * Checks that no finished call in the window took longer than {@code max}. A call still
     * running is not counted here; {@link #failsFastWithin(Duration)} counts it.
     *
     * @throws AssertionError if one did, or no call started in the window
     * @throws IllegalArgumentException if {@code max} is not positive
     */
    public ProbeAssert hasMaxLatencyAtMost(Duration max) {
        RecoveryAssert.requirePositive(max, "max");
        isNotNull();
        Look look = look();
        String limit = TimelineText.duration(max.toNanos());
        String assertion = "max latency" + look.window.phrase() + " <= " + limit;
        String expecting = "Expecting the latency of every call of probe \"" + actual.name() + "\"" + look.window.phrase()
                + " to be at most " + limit;
        if (look.samples.isEmpty()) {
            return noCalls(look, assertion, expecting);
        }
        ProbeSample slowest = ProbeStats.slowest(look.samples);
        long over = look.samples.stream().filter(s -> s.latencyNanos() > max.toNanos()).count();
        String measured = TimelineText.millis(slowest.latencyNanos()) + " (the call at " + at(look, slowest.startedAtNanos())
                + " ms)";
        return verdict(look, assertion, measured, over == 0, expecting + ", but the slowest took "
                + TimelineText.millis(slowest.latencyNanos()) + " (the call that started at "
                + at(look, slowest.startedAtNanos()) + " ms; " + over + " of " + look.samples.size()
                + " calls took longer than " + limit + ")");
    }

    /**
     * Checks the latency percentile of the calls in the window, by nearest rank: sorted by
     * latency, the call at rank {@code ceil(percentile / 100 * n)} must have taken at most
     * {@code max}. So {@code hasLatencyPercentileAtMost(99, ...)} over 20 calls checks the
     * slowest, and over 200 calls the second slowest.
     *
     * @param percentile more than 0 and at most 100, such as 99 or 99.9
     * @throws AssertionError if it took longer, or no call started in the window
     * @throws IllegalArgumentException if {@code percentile} is out of range or {@code max} is not positive
     */
    public ProbeAssert hasLatencyPercentileAtMost(double percentile, Duration max) {
        return latencyPercentile(percentile, max, true);
    }

    /**
     * Checks that the latency percentile of the calls in the window, by nearest rank, is at least
     * {@code min}: that a latency fault really bit, for example. So
     * {@code during(slowDatabase).hasLatencyPercentileAtLeast(50, Duration.ofMillis(200))} checks
     * that at least half of the calls took 200 ms or more.
     *
     * @param percentile more than 0 and at most 100, such as 50
     * @throws AssertionError if it took less, or no call started in the window
     * @throws IllegalArgumentException if {@code percentile} is out of range or {@code min} is not positive
     */
    public ProbeAssert hasLatencyPercentileAtLeast(double percentile, Duration min) {
        return latencyPercentile(percentile, min, false);
    }

    private ProbeAssert latencyPercentile(double percentile, Duration limit, boolean atMost) {
        ProbeStats.requirePercentile(percentile);
        RecoveryAssert.requirePositive(limit, atMost ? "max" : "min");
        isNotNull();
        Look look = look();
        String limitText = TimelineText.duration(limit.toNanos());
        String name = "p" + strip(percentile);
        String assertion = name + " latency" + look.window.phrase() + (atMost ? " <= " : " >= ") + limitText;
        String expecting = "Expecting the " + name + " latency of probe \"" + actual.name() + "\"" + look.window.phrase()
                + " to be " + (atMost ? "at most " : "at least ") + limitText;
        if (look.samples.isEmpty()) {
            return noCalls(look, assertion, expecting);
        }
        long value = ProbeStats.percentileNanos(look.samples, percentile);
        String calls = look.samples.size() + (look.samples.size() == 1 ? " call" : " calls");
        String measured = name + " = " + TimelineText.millis(value) + " (" + calls + ")";
        boolean passed = atMost ? value <= limit.toNanos() : value >= limit.toNanos();
        String hint = !atMost && (scope == Scope.FAULTS || scope == Scope.FAULT)
                ? "; did the fault act on the connections the probe uses (does its client go through the proxy)?" : "";
        return verdict(look, assertion, measured, passed, expecting + ", but it was " + TimelineText.millis(value)
                + " (nearest rank over " + calls + ")" + hint);
    }

    /** As {@link #failsFastWithin(Duration)}. */
    public ProbeAssert failsFastWithin(long amount, TimeUnit unit) {
        return failsFastWithin(Duration.ofNanos(unit.toNanos(amount)));
    }

    /**
     * Checks that no call in the window took longer than {@code max}, counting a call that is
     * running now (or was still running when the probe stopped): a client with sensible
     * timeouts fails fast during an outage instead of hanging. Whether the calls failed does not
     * matter here; check that with {@link #hasErrorRateAtLeast(double)}.
     *
     * @throws AssertionError if a call took or takes longer, saying when it started, or no call
     *         started in the window
     * @throws IllegalArgumentException if {@code max} is not positive
     */
    public ProbeAssert failsFastWithin(Duration max) {
        RecoveryAssert.requirePositive(max, "max");
        isNotNull();
        Look look = look();
        String limit = TimelineText.duration(max.toNanos());
        String assertion = "every call" + look.window.phrase() + " ends within " + limit;
        String expecting = "Expecting every call of probe \"" + actual.name() + "\"" + look.window.phrase()
                + " to end within " + limit;
        ProbeSnapshot probe = look.probe;
        boolean openInWindow = probe.callOpen() && look.window.contains(probe.openCallStartNanos());
        if (openInWindow) {
            long running = probe.openCallNanos();
            if (running > max.toNanos()) {
                String measured = "a call hangs: running " + TimelineText.millis(running)
                        + (probe.hung() ? " when the probe stopped" : "");
                return verdict(look, assertion, measured, false, expecting + ", but the call that started at "
                        + at(look, probe.openCallStartNanos()) + " ms "
                        + (probe.hung() ? "was still running " + TimelineText.millis(running)
                                + " after it started, when the probe stopped"
                                : "has been running for " + TimelineText.millis(running))
                        + " (it hangs instead of failing fast)");
            }
        }
        if (look.samples.isEmpty()) {
            return noCalls(look, assertion, expecting);
        }
        ProbeSample slowest = ProbeStats.slowest(look.samples);
        long over = look.samples.stream().filter(s -> s.latencyNanos() > max.toNanos()).count();
        String measured = "slowest " + TimelineText.millis(slowest.latencyNanos()) + " (" + look.samples.size()
                + (look.samples.size() == 1 ? " call)" : " calls)");
        return verdict(look, assertion, measured, over == 0, expecting + ", but the call that started at "
                + at(look, slowest.startedAtNanos()) + " ms took " + TimelineText.millis(slowest.latencyNanos()) + " ("
                + over + " of " + look.samples.size() + " calls took longer than " + limit + ")");
    }

    // ---------------------------------------------------------------- recovery

    /**
     * Requires {@code n} successful calls in a row for {@link #recoversWithin(Duration)} (1 unless
     * set); recovery time is then measured to the last of them.
     *
     * @throws IllegalArgumentException if {@code n} is less than 1
     */
    public ProbeAssert consecutiveSuccesses(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("consecutiveSuccesses must be 1 or more, but was " + n);
        }
        return copy(scope, windowFault, after, n);
    }

    /**
     * Counts the recovery budget from when {@code healedFault} was healed, instead of from when
     * the last fault of the test was healed.
     *
     * @throws IllegalArgumentException if the fault is still active
     */
    public ProbeAssert after(ActiveFault healedFault) {
        Objects.requireNonNull(healedFault, "healedFault");
        if (!healedFault.isHealed()) {
            throw new IllegalArgumentException("the fault " + healedFault.spec()
                    + " is still active; heal it (close it) before asserting recovery after it");
        }
        return copy(scope, windowFault, healedFault, consecutiveSuccesses);
    }

    /** As {@link #recoversWithin(Duration)}. */
    public Duration recoversWithin(long amount, TimeUnit unit) {
        return recoversWithin(Duration.ofNanos(unit.toNanos(amount)));
    }

    /**
     * Waits until the probe has recovered, or {@code slo} after the start has passed, and checks
     * that it recovered within {@code slo}. The start is when the fault given to
     * {@link #after(ActiveFault)} was healed (it must be healed already), else when the last fault
     * of the test was healed: then it first waits for the test's scheduled faults with a known end
     * ({@link FaultSchedule#lasting(Duration) a duration} and, when repeated, a
     * {@link FaultSchedule#times(int) number of times}) to run their course, and refuses the
     * endless ones. Recovered means: among the calls that started at or after the start, a success
     * ({@link #consecutiveSuccesses(int) n in a row}); the recovery time runs from the start to
     * the moment the deciding call returned, as with {@link RecoveryAssert}. The probe's own calls
     * are watched; the probe is not called here. Windows do not apply.
     *
     * @return the recovery time
     * @throws AssertionError if the probe did not recover in time, saying how many calls it made
     *         since the start, the last error, a call still running (a hang only if it has run longer
     *         than {@code slo}), and showing the timeline
     * @throws IllegalArgumentException if {@code slo} is not positive
     * @throws IllegalStateException without {@link #after(ActiveFault)}: if the probe runs
     *         outside a chaos test, no fault acted in the test, or one is still active; if a
     *         scheduled fault of the test has no duration (it lasts until the body ends, so recovery
     *         after it cannot be measured in the body) or repeats without a number of times; or if
     *         the thread is interrupted while waiting for the schedules (its interrupt flag stays set)
     */
    public Duration recoversWithin(Duration slo) {
        RecoveryAssert.requirePositive(slo, "slo");
        isNotNull();
        if (scope != Scope.WHOLE) {
            throw new IllegalStateException("recoversWithin looks at the calls after a heal, not at a window; drop "
                    + scopeCall() + ", or use after(fault) to say which fault to recover from");
        }
        ProbeLoop loop = actual.loop();
        long start;
        String startText;
        if (after != null) {
            start = after.healedAtNanos();
            startText = " after " + FaultSpan.label(after) + " was healed";
        } else {
            TestTimeline timeline = loop.timeline();
            if (timeline == null) {
                throw new IllegalStateException("probe \"" + actual.name() + "\" was started outside a chaos test, so"
                        + " there is no \"last fault of the test\" to recover from; name the fault with after(fault)");
            }
            waitForScheduledFaults(timeline);
            ActiveFault last = lastHealedFault(timeline);
            start = last.healedAtNanos();
            startText = " after the last fault (" + FaultSpan.label(last) + ") was healed";
        }
        ProbeSnapshot before = loop.snapshot();
        if (!before.running() && !before.callOpen() && before.endNanos() - start < 0) {
            throw new IllegalStateException("probe \"" + actual.name() + "\" was stopped at " + at(before, before.endNanos())
                    + " ms, before the start of the recovery" + startText + " at " + at(before, start)
                    + " ms, so it made no call that could show a recovery; keep it running until the test ends");
        }
        long deadline = start + slo.toNanos();
        long waitNanos = Math.max(deadline - System.nanoTime(), 0) + RECORDING_GRACE_NANOS + RECOVERY_POLL.toNanos();
        try {
            Awaitility.await("recovery of probe \"" + actual.name() + "\"")
                    .atMost(Duration.ofNanos(waitNanos).plusMillis(100))
                    .pollInSameThread()
                    .pollDelay(Duration.ZERO)
                    .pollInterval(RECOVERY_POLL)
                    .until(() -> recoveryDecided(loop.snapshot(), start, deadline));
        } catch (ConditionTimeoutException e) {
            // decided below from what was recorded
        }
        ProbeSnapshot probe = loop.snapshot();
        ProbeStats.Recovery recovery = ProbeStats.Recovery.search(probe.samples(), start, consecutiveSuccesses);
        TestTimeline timeline = timelineToRecordIn(loop);
        Window slice = new Window(startText, List.of(new Window.Span(start, probe.endNanos() + 1)));
        if (recovery.recovered()) {
            long recoveredAt = recovery.deciding().endedAtNanos();
            Duration took = Duration.ofNanos(recoveredAt - start);
            boolean passed = recoveredAt - deadline <= 0;
            if (timeline != null) {
                timeline.recordRecovery(actual.name(), start, recoveredAt, recovery.firstSuccess().endedAtNanos(), slo,
                        passed, recovery.attempts(), consecutiveSuccesses, recovery.lastError());
            }
            if (!passed) {
                failWithMessage("%s", "Expecting probe \"" + actual.name() + "\" to recover within "
                        + TimelineText.duration(slo.toNanos()) + startText + ", but it recovered only after "
                        + TimelineText.millis(took.toNanos()) + " (" + recovery.attempts() + " calls since)\n"
                        + TimelineText.render(probe, slice));
            }
            return took;
        }
        if (timeline != null) {
            timeline.recordRecovery(actual.name(), start, null,
                    recovery.firstSuccess() == null ? null : recovery.firstSuccess().endedAtNanos(), slo, false,
                    recovery.attempts(), consecutiveSuccesses, recovery.lastError());
        }
        failWithMessage("%s", notRecovered(probe, recovery, slo, start, startText) + "\n"
                + TimelineText.render(probe, slice));
        throw new AssertionError("unreachable");
    }

    private boolean recoveryDecided(ProbeSnapshot probe, long start, long deadline) {
        if (ProbeStats.Recovery.search(probe.samples(), start, consecutiveSuccesses).recovered()) {
            return true;
        }
        if (!probe.running() && !probe.callOpen()) {
            return true; // stopped: nothing more will be recorded
        }
        long now = probe.takenAtNanos();
        if (now - deadline < 0) {
            return false;
        }
        // a call that returned just before the deadline may not be recorded yet on a busy machine
        boolean openSinceBeforeDeadline = probe.callOpen() && !probe.hung() && probe.openCallStartNanos() - deadline < 0;
        return !openSinceBeforeDeadline || now - deadline >= RECORDING_GRACE_NANOS;
    }

    private String notRecovered(ProbeSnapshot probe, ProbeStats.Recovery recovery, Duration slo, long start,
            String startText) {
        StringBuilder message = new StringBuilder("Expecting probe \"").append(actual.name())
                .append("\" to recover within ").append(TimelineText.duration(slo.toNanos())).append(startText)
                .append(", but after ").append(TimelineText.millis(probe.endNanos() - start)).append(' ');
        int calls = recovery.attempts();
        if (calls == 0) {
            message.append("no call had finished since");
        } else if (consecutiveSuccesses > 1 && recovery.bestRun() > 0) {
            message.append("it did not succeed ").append(consecutiveSuccesses).append(" times in a row (at best ")
                    .append(recovery.bestRun()).append(", in ").append(calls).append(calls == 1 ? " call)" : " calls)");
        } else {
            message.append(calls == 1 ? "the 1 call since had failed" : "all " + calls + " calls since had failed");
        }
        if (probe.callOpen() && probe.openCallStartNanos() - start >= 0) {
            long running = probe.openCallNanos();
            message.append("; the call that started at ").append(at(probe, probe.openCallStartNanos()))
                    .append(" ms was still running, for ").append(TimelineText.millis(running));
            if (probe.hung()) {
                message.append(" when the probe stopped (recorded as hung)");
            } else if (running > slo.toNanos()) {
                // only a call that outlasts the whole budget is a hang; a young one was merely in flight
                message.append(", longer than the SLO (the probe hangs)");
            }
        } else if (!probe.running()) {
            message.append("; the probe was stopped at ").append(at(probe, probe.endNanos())).append(" ms");
        }
        if (recovery.lastError() != null) {
            message.append("; last error: ").append(recovery.lastError());
        }
        return message.toString();
    }

    /**
     * "After the last fault" means after the last fault the test's schedules inject: waits until
     * every schedule of the test with a known end has run its course, and refuses one without (an
     * occurrence without a duration, or repetitions without a number of times).
     */
    private static void waitForScheduledFaults(TestTimeline timeline) {
        for (ScheduledFault schedule : timeline.schedules()) {
            FaultSchedule plan = schedule.schedule();
            if (schedule.isDone()) {
                continue;
            }
            String what = describe(schedule);
            if (plan.duration().isEmpty()) {
                List<ActiveFault> occurrences = schedule.occurrences();
                if (!occurrences.isEmpty() && occurrences.stream().allMatch(ActiveFault::isHealed)) {
                    continue; // healed in code: it counts like any healed fault
                }
                throw new IllegalStateException("recovery is measured from when the last fault was healed, and the"
                        + " scheduled fault " + what + (occurrences.isEmpty() ? " has not started yet; once started, it"
                                : " is still active; it")
                        + " lasts until the test method body ends, as it has no duration, so recovery after it cannot"
                        + " be measured in the body; give it a duration (durationMs, or FaultSchedule.lasting), or heal it"
                        + " in the body (close the ScheduledFault, or ChaosProxy.heal()) and name the fault to recover"
                        + " from with after(fault)");
            }
            if (plan.times().isEmpty()) {
                throw new IllegalStateException("recovery is measured from when the last fault was healed, and "
                        + schedule.spec() + " repeats until the test ends (" + plan + "), so no fault is the last"
                        + "; give the schedule a number of times, or name the fault to recover from with after(fault)");
            }
            // the whole plan, from its start, plus a margin for a loaded machine
            Duration limit = plan.delay().plus(plan.duration().get())
                    .plus(plan.period().orElse(Duration.ZERO).multipliedBy(plan.times().getAsInt() - 1L))
                    .plusSeconds(5);
            if (!schedule.awaitDone(limit)) {
                if (Thread.currentThread().isInterrupted()) {
                    // awaitDone set the flag again; the caller decides what an interrupt means
                    throw new IllegalStateException("interrupted while waiting for the scheduled fault " + what
                            + " to finish, so as to measure recovery from when it was last healed; the thread's"
                            + " interrupt flag is set");
                }
                throw new IllegalStateException("recovery is measured from when the last fault was healed, and the"
                        + " scheduled fault " + what + " did not finish within " + TimelineText.duration(limit.toNanos())
                        + "; name the fault to recover from with after(fault)");
            }
        }
    }

    /** Such as {@code DOWN on localhost:5432 (after 300 ms, until cancelled)}. */
    private static String describe(ScheduledFault schedule) {
        return schedule.spec() + " on " + schedule.proxy().name() + " (" + schedule.schedule() + ")";
    }

    private static ActiveFault lastHealedFault(TestTimeline timeline) {
        List<ActiveFault> faults = timeline.faults();
        if (faults.isEmpty()) {
            List<ScheduledFault> schedules = timeline.schedules();
            if (!schedules.isEmpty()) {
                // every schedule is done (waitForScheduledFaults), and none injected anything
                List<String> never = new ArrayList<>();
                schedules.forEach(schedule -> never.add(describe(schedule) + (schedule.isCancelled()
                                ? " was cancelled before its first occurrence (ScheduledFault.close(), or ChaosProxy.heal())"
                                : " stopped before its first occurrence, which could not be injected")));
                throw new IllegalStateException("no fault acted in this test, so there is no \"last fault\" to recover"
                        + " from: the scheduled " + (never.size() == 1 ? "fault " : "faults ") + String.join("; ", never)
                        + "; name the fault to recover from with after(fault)");
            }
            throw new IllegalStateException("no fault acted in this test, so there is no \"last fault\" to recover"
                    + " from; inject one (@ChaosPort, or ChaosProxy.inject) or name it with after(fault)");
        }
        List<String> active = new ArrayList<>();
        ActiveFault last = null;
        for (ActiveFault fault : faults) {
            if (!fault.isHealed()) {
                active.add(FaultSpan.label(fault));
            } else if (last == null || fault.healedAtNanos() - last.healedAtNanos() > 0) {
                last = fault;
            }
        }
        if (!active.isEmpty()) {
            throw new IllegalStateException("recovery is measured from when the last fault was healed, and "
                    + String.join(", ", active) + (active.size() == 1 ? " is" : " are") + " still active; heal"
                    + (active.size() == 1 ? " it" : " them") + " first (close the ActiveFault, or ChaosProxy.heal()),"
                    + " or name the fault to recover from with after(fault)");
        }
        return last;
    }

    // ---------------------------------------------------------------- shared

    /** One look at the probe: a snapshot, the window, and the calls that started in it. */
    private static final class Look {
        final ProbeSnapshot probe;
        final Window window;
        final List<ProbeSample> samples;

        Look(ProbeSnapshot probe, Window window) {
            this.probe = probe;
            this.window = window;
            this.samples = window.samples(probe);
        }
    }

    private Look look() {
        requireNoRecoveryOptions("a window check (error rate, latency, failsFastWithin)");
        ProbeSnapshot probe = actual.loop().snapshot();
        Window window;
        switch (scope) {
            case FAULTS:
                window = Window.duringFaults(probe);
                break;
            case FAULT:
                window = Window.during(probe, windowFault);
                break;
            case STEADY:
                window = Window.steadyState(probe);
                break;
            default:
                window = Window.whole(probe);
                break;
        }
        return new Look(probe, window);
    }

    private ProbeAssert verdict(Look look, String assertion, String measured, boolean passed, String failure) {
        TestTimeline timeline = timelineToRecordIn(actual.loop());
        if (timeline != null) {
            timeline.recordVerdict(actual.name(), assertion, measured, passed,
                    look.window.fromNanos(look.probe.startedAtNanos()), look.window.toNanos(look.probe.endNanos()));
        }
        if (!passed) {
            failWithMessage("%s", failure + "\n" + TimelineText.render(look.probe, look.window));
        }
        return this;
    }

    private String scopeCall() {
        switch (scope) {
            case FAULTS:
                return "duringFaults()";
            case FAULT:
                return "during(fault)";
            case STEADY:
                return "inSteadyState()";
            default:
                return "the window";
        }
    }

    /** The window checks count every call; a recovery's options would be silently ignored. */
    private void requireNoRecoveryOptions(String check) {
        if (consecutiveSuccesses != 1 || after != null) {
            throw new IllegalStateException(check + " looks at the calls in a window and ignores "
                    + (after != null ? "after(fault)" : "consecutiveSuccesses(" + consecutiveSuccesses + ")")
                    + ", which only recoversWithin uses; drop it, or use during(fault) to look at one fault");
        }
    }

    private ProbeAssert noCalls(Look look, String assertion, String expecting) {
        ProbeSnapshot probe = look.probe;
        if (!look.window.spans().isEmpty() && probe.callOpen() && look.window.contains(probe.openCallStartNanos())) {
            return verdict(look, assertion, "no finished call in the window", false, expecting
                    + ", but the one call that started in that window is still running, for "
                    + TimelineText.millis(probe.openCallNanos()));
        }
        return verdict(look, assertion, "no call in the window", false,
                expecting + ", but no call started in that window: " + whyEmpty(look));
    }

    private String whyEmpty(Look look) {
        ProbeSnapshot probe = look.probe;
        long interval = probe.intervalNanos();
        if (look.window.spans().isEmpty()) {
            switch (scope) {
                case FAULTS:
                    return "no fault acted in this test (faults count that act on a proxy chaos-junit manages:"
                            + " @ChaosPort, or a ChaosProxy parameter)";
                case STEADY:
                    return "faults and the recoveries after them took all the time";
                default:
                    return "the window is empty";
            }
        }
        if (probe.samples().isEmpty()) {
            return probe.running() ? "the probe has not finished a call yet" : "the probe never finished a call";
        }
        long length = look.window.lengthNanos();
        if (length < interval) {
            return "the window lasted " + TimelineText.millis(length) + ", less than the probe's interval of "
                    + TimelineText.duration(interval) + "; call the probe more often (intervalMs), or let the fault"
                    + " act longer";
        }
        return "the window lasted " + TimelineText.millis(length) + ", but no call started in it (a call that"
                + " started before it and ran into it counts where it started)";
    }

    /** Where to record outcomes: the test the probe runs in, else the test this thread works for. */
    private static TestTimeline timelineToRecordIn(ProbeLoop loop) {
        return loop.timeline() != null ? loop.timeline() : TestTimeline.current();
    }

    private static long at(Look look, long nanos) {
        return at(look.probe, nanos);
    }

    private static long at(ProbeSnapshot probe, long nanos) {
        return Math.round((nanos - probe.originNanos()) / 1e6);
    }

    private static double requireFraction(double fraction) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction must be between 0 and 1 (such as 0.1 for 10%), but was "
                    + fraction);
        }
        return fraction;
    }

    private static String strip(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%s", value);
    }
}
