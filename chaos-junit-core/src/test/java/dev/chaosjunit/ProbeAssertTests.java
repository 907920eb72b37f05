package dev.chaosjunit;

import static dev.chaosjunit.ChaosAssertions.assertThatProbe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import dev.chaosjunit.internal.probe.ProbeLoop;

/** Every check of ProbeAssert, passing and failing, on recorded samples (times in ms since the probe started). */
class ProbeAssertTests {

    static final long ORIGIN = 7_000_000_000L;
    static final String CONNECT = "java.net.ConnectException: Connection refused";

    static long at(long ms) {
        return ORIGIN + ms * 1_000_000L;
    }

    static ProbeSample ok(long startMs, long latencyMs) {
        return new ProbeSample(at(startMs), latencyMs * 1_000_000L, true, null);
    }

    static ProbeSample fail(long startMs, long latencyMs) {
        return new ProbeSample(at(startMs), latencyMs * 1_000_000L, false, CONNECT);
    }

    /** A probe that ran from 0 to 1000 ms, a call every 100 ms: ok, but from 300 to 500 failing, and slow at 800. */
    static ProbeRecording recorded() {
        List<ProbeSample> samples = new ArrayList<>();
        for (long t = 0; t < 1000; t += 100) {
            samples.add(t >= 300 && t < 600 ? fail(t, 2) : ok(t, t == 800 ? 40 : 1));
        }
        return recording(samples);
    }

    static ProbeRecording recording(List<ProbeSample> samples) {
        return ProbeRecording.of(ProbeLoop.finished("db", Duration.ofMillis(100), ORIGIN, at(1000), samples));
    }

    /** A fault that acted from {@code fromMs} to {@code toMs} (ms since the probe started), or is active if null. */
    static ActiveFault fault(long fromMs, Long toMs) {
        return new ActiveFault() {
            @Override
            public FaultSpec spec() {
                return FaultSpec.down();
            }

            @Override
            public ChaosProxy proxy() {
                return null;
            }

            @Override
            public long startedAtNanos() {
                return at(fromMs);
            }

            @Override
            public boolean isHealed() {
                return toMs != null;
            }

            @Override
            public long healedAtNanos() {
                return at(toMs);
            }

            @Override
            public void close() {
            }
        };
    }

    @Test
    void errorRateAtMost_passes_andFailsShowingTheTimeline() {
        assertThatProbe(recorded()).hasErrorRateAtMost(0.3).during(fault(250, 600L)).hasErrorRateAtMost(1);

        assertThatThrownBy(() -> assertThatProbe(recorded()).hasErrorRateAtMost(0.1))
                .isInstanceOf(AssertionError.class)
                .hasMessage("Expecting the error rate of probe \"db\" to be at most 10%, but it was 30% (3 of 10 calls"
                        + " failed)\n"
                        + "Timeline of probe \"db\", a call every 100 ms (ms since the probe started; > marks calls in"
                        + " the window, 0 – 1000 ms):\n"
                        + ">      0 –    201 ms  ok   ×3    1 ms\n"
                        + ">    300 –    502 ms  FAIL ×3    2 ms  " + CONNECT + "\n"
                        + ">    600 –    901 ms  ok   ×4    1–40 ms");
    }

    @Test
    void errorRateAtLeast_passes_andFailsWithAHintDuringAFault() {
        assertThatProbe(recorded()).during(fault(250, 600L)).hasErrorRateAtLeast(1.0);

        assertThatThrownBy(() -> assertThatProbe(recorded()).during(fault(50, 350L)).hasErrorRateAtLeast(0.9))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("Expecting the error rate of probe \"db\" during DOWN to be at least 90%, but it"
                        + " was 33.3% (1 of 3 calls failed); did the fault act on the connections the probe uses (does"
                        + " its client go through the proxy)?\n"
                        + "Timeline of probe \"db\", a call every 100 ms (ms since the probe started; > marks calls in"
                        + " the window during DOWN, 50 – 350 ms):\n"
                        + "       0 –      1 ms  ok   ×1    1 ms\n"
                        + ">    100 –    201 ms  ok   ×2    1 ms\n"
                        + ">    300 –    302 ms  FAIL ×1    2 ms  " + CONNECT + "\n"
                        + "     400 –    502 ms  FAIL ×2    2 ms  " + CONNECT + "\n");
    }

    @Test
    void maxLatency_passes_andFailsNamingTheSlowestCall() {
        assertThatProbe(recorded()).hasMaxLatencyAtMost(Duration.ofMillis(40));

        assertThatThrownBy(() -> assertThatProbe(recorded()).hasMaxLatencyAtMost(Duration.ofMillis(20)))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("Expecting the latency of every call of probe \"db\" to be at most 20 ms, but"
                        + " the slowest took 40 ms (the call that started at 800 ms; 1 of 10 calls took longer than"
                        + " 20 ms)\nTimeline of probe \"db\"");
    }

    @Test
    void latencyPercentile_isTheNearestRank_andFailsSayingOverHowManyCalls() {
        // 10 calls: p90 is the 9th fastest (2 ms), p91 the slowest (40 ms)
        assertThatProbe(recorded()).hasLatencyPercentileAtMost(90, Duration.ofMillis(2));

        assertThatThrownBy(() -> assertThatProbe(recorded()).hasLatencyPercentileAtMost(91, Duration.ofMillis(2)))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("Expecting the p91 latency of probe \"db\" to be at most 2 ms, but it was 40 ms"
                        + " (nearest rank over 10 calls)\n");
        assertThatThrownBy(() -> assertThatProbe(recorded()).hasLatencyPercentileAtMost(99.9, Duration.ofMillis(2)))
                .hasMessageStartingWith("Expecting the p99.9 latency of probe \"db\" to be at most 2 ms");
    }

    @Test
    void latencyPercentileAtLeast_passesWhenTheFaultSlowedTheCalls_andFailsWithAHintDuringAFault() {
        // during 750-900 ms: the calls at 800 (40 ms) and 900 (1 ms); p50 is the faster, p51 the slower
        assertThatProbe(recorded()).during(fault(750, 950L)).hasLatencyPercentileAtLeast(51, Duration.ofMillis(40));
        assertThatProbe(recorded()).hasLatencyPercentileAtLeast(50, Duration.ofMillis(1));

        assertThatThrownBy(() -> assertThatProbe(recorded()).during(fault(750, 950L))
                .hasLatencyPercentileAtLeast(50, Duration.ofMillis(40)))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("Expecting the p50 latency of probe \"db\" during DOWN to be at least 40 ms, but"
                        + " it was 1 ms (nearest rank over 2 calls); did the fault act on the connections the probe uses"
                        + " (does its client go through the proxy)?\n"
                        + "Timeline of probe \"db\", a call every 100 ms (ms since the probe started; > marks calls in"
                        + " the window during DOWN, 750 – 950 ms):\n");
        assertThatThrownBy(() -> assertThatProbe(recorded()).hasLatencyPercentileAtLeast(50, Duration.ofMillis(2)))
                .hasMessageStartingWith("Expecting the p50 latency of probe \"db\" to be at least 2 ms, but it was 1 ms"
                        + " (nearest rank over 10 calls)\n");
        assertThatThrownBy(() -> assertThatProbe(recorded()).during(fault(310, 330L))
                .hasLatencyPercentileAtLeast(50, Duration.ofMillis(1)))
                .hasMessageContaining("but no call started in that window");
        assertThatIllegalArgumentException().isThrownBy(() -> assertThatProbe(recorded())
                .hasLatencyPercentileAtLeast(50, Duration.ZERO))
                .withMessage("min must be positive, but was PT0S");
        assertThatIllegalArgumentException().isThrownBy(() -> assertThatProbe(recorded())
                .hasLatencyPercentileAtLeast(101, Duration.ofMillis(1)))
                .withMessage("percentile must be more than 0 and at most 100 (such as 99 or 99.9), but was 101.0");
    }

    @Test
    void failsFastWithin_passes_andFailsOnASlowCall() {
        assertThatProbe(recorded()).during(fault(250, 600L)).failsFastWithin(Duration.ofMillis(10))
                .failsFastWithin(10, TimeUnit.MILLISECONDS);

        assertThatThrownBy(() -> assertThatProbe(recorded()).failsFastWithin(Duration.ofMillis(10)))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("Expecting every call of probe \"db\" to end within 10 ms, but the call that"
                        + " started at 800 ms took 40 ms (1 of 10 calls took longer than 10 ms)\n");
    }

    @Test
    void failsFastWithin_seesACallThatIsHangingRightNow() throws Exception {
        AtomicBoolean hang = new AtomicBoolean();
        Object lock = new Object();
        try (ProbeRecording recording = ProbeRecording.start("hanging", Duration.ofMillis(10), () -> {
            if (hang.get()) {
                synchronized (lock) {
                    lock.wait();
                }
            }
        })) {
            ProbeRecordingTests.awaitSamples(recording, 2);
            hang.set(true);
            Thread.sleep(400);

            assertThatThrownBy(() -> assertThatProbe(recording).failsFastWithin(Duration.ofMillis(200)))
                    .isInstanceOf(AssertionError.class)
                    .message()
                    .matches("(?s)Expecting every call of probe \"hanging\" to end within 200 ms, but the call that"
                            + " started at \\d+ ms has been running for \\d+ ms \\(it hangs instead of failing fast\\)\n"
                            + ".*\n> +\\d+ – +\\d+ ms  call ×1    still running, for \\d+ ms so far");
            // the latency statistics count finished calls only
            assertThatProbe(recording).hasMaxLatencyAtMost(Duration.ofMillis(200));
            hang.set(false);
            synchronized (lock) {
                lock.notifyAll();
            }
        }
    }

    @Test
    void anEmptyWindow_failsEveryCheck_sayingWhy() {
        assertThatThrownBy(() -> assertThatProbe(recorded()).during(fault(310, 330L)).hasErrorRateAtLeast(0.5))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("Expecting the error rate of probe \"db\" during DOWN to be at least 50%, but no"
                        + " call started in that window: the window lasted 20 ms, less than the probe's interval of"
                        + " 100 ms; call the probe more often (intervalMs), or let the fault act longer\n");
        assertThatThrownBy(() -> assertThatProbe(recording(List.of())).hasMaxLatencyAtMost(Duration.ofSeconds(1)))
                .hasMessageStartingWith("Expecting the latency of every call of probe \"db\" to be at most 1 s, but no"
                        + " call started in that window: the probe never finished a call\n");
        assertThatThrownBy(() -> assertThatProbe(recorded()).during(fault(310, 330L)).failsFastWithin(Duration.ofSeconds(1)))
                .hasMessageContaining("but no call started in that window");
        assertThatThrownBy(() -> assertThatProbe(recorded()).during(fault(310, 330L))
                .hasLatencyPercentileAtMost(50, Duration.ofSeconds(1)))
                .hasMessageContaining("but no call started in that window");
    }

    @Test
    void recovery_afterAFault_isMeasuredToTheEndOfTheDecidingCall() {
        // healed at 550: the call at 600 succeeds and returns at 601
        assertThat(assertThatProbe(recorded()).after(fault(250, 550L)).recoversWithin(Duration.ofMillis(100)))
                .isEqualTo(Duration.ofMillis(51));
        // three in a row: 600, 700, 800 (which returns at 840)
        assertThat(assertThatProbe(recorded()).after(fault(250, 550L)).consecutiveSuccesses(3)
                .recoversWithin(1, TimeUnit.SECONDS)).isEqualTo(Duration.ofMillis(290));
    }

    @Test
    void recovery_tooLate_orNever_failsWithTheCallsSinceTheHeal() {
        assertThatThrownBy(() -> assertThatProbe(recorded()).after(fault(250, 550L)).consecutiveSuccesses(3)
                .recoversWithin(Duration.ofMillis(200)))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("Expecting probe \"db\" to recover within 200 ms after DOWN was healed, but it"
                        + " recovered only after 290 ms (3 calls since)\n"
                        + "Timeline of probe \"db\", a call every 100 ms (ms since the probe started; > marks calls in"
                        + " the window after DOWN was healed, 550 – 1000 ms):\n");

        List<ProbeSample> neverAgain = List.of(ok(0, 1), fail(100, 2), fail(200, 2), fail(300, 3));
        assertThatThrownBy(() -> assertThatProbe(recording(neverAgain)).after(fault(50, 150L))
                .recoversWithin(Duration.ofSeconds(5)))
                .isInstanceOf(AssertionError.class)
                .message()
                .matches("(?s)Expecting probe \"db\" to recover within 5 s after DOWN was healed, but after \\d+ ms all"
                        + " 2 calls since had failed; the probe was stopped at 1000 ms; last error: " + CONNECT + "\n"
                        + "Timeline of probe \"db\".*");

        List<ProbeSample> flaky = List.of(fail(100, 2), ok(200, 1), fail(300, 2), ok(400, 1));
        assertThatThrownBy(() -> assertThatProbe(recording(flaky)).after(fault(50, 150L)).consecutiveSuccesses(2)
                .recoversWithin(Duration.ofSeconds(5)))
                .message()
                .contains("it did not succeed 2 times in a row (at best 1, in 3 calls)");
    }

    /** A DOWN fault healed at {@code healedAtNanos}, a {@link System#nanoTime()} value. */
    static ActiveFault healedAt(long healedAtNanos) {
        return new ActiveFault() {
            @Override
            public FaultSpec spec() {
                return FaultSpec.down();
            }

            @Override
            public ChaosProxy proxy() {
                return null;
            }

            @Override
            public long startedAtNanos() {
                return healedAtNanos - 1;
            }

            @Override
            public boolean isHealed() {
                return true;
            }

            @Override
            public long healedAtNanos() {
                return healedAtNanos;
            }

            @Override
            public void close() {
            }
        };
    }

    @Test
    void recovery_withACallInFlightShorterThanTheSlo_saysItWasStillRunning_notThatTheProbeHangs() throws Exception {
        AtomicBoolean block = new AtomicBoolean();
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        long healed = System.nanoTime();
        try (ProbeRecording recording = ProbeRecording.start("young", Duration.ofMillis(10), () -> {
            if (block.get()) {
                release.await();
            }
            throw new IllegalStateException("still down");
        })) {
            Thread.sleep(400);
            block.set(true);   // the next call starts within 10 ms and stays in flight; about 600 ms at the 1 s deadline

            assertThatThrownBy(() -> assertThatProbe(recording).after(healedAt(healed)).recoversWithin(Duration.ofSeconds(1)))
                    .isInstanceOf(AssertionError.class)
                    .message()
                    .matches("(?s)Expecting probe \"young\" to recover within 1 s after DOWN was healed, but after \\d+ ms"
                            + " all \\d+ calls since had failed; the call that started at \\d+ ms was still running, for"
                            + " \\d+ ms; last error: java.lang.IllegalStateException: still down\n.*")
                    .doesNotContain("hang");
            release.countDown();
        }
    }

    @Test
    void recovery_withACallInFlightLongerThanTheSlo_saysTheProbeHangs() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        long healed = System.nanoTime();
        try (ProbeRecording recording = ProbeRecording.start("stuck", Duration.ofMillis(10), release::await)) {
            Thread.sleep(500);   // the first call has been running for 500 ms; the SLO is 100 ms

            assertThatThrownBy(() -> assertThatProbe(recording).after(healedAt(healed)).recoversWithin(Duration.ofMillis(100)))
                    .isInstanceOf(AssertionError.class)
                    .message()
                    .matches("(?s)Expecting probe \"stuck\" to recover within 100 ms after DOWN was healed, but after \\d+"
                            + " ms no call had finished since; the call that started at \\d+ ms was still running, for"
                            + " \\d+ ms, longer than the SLO \\(the probe hangs\\)\n.*");
            release.countDown();
        }
    }

    @Test
    void after_anActiveFault_andBadArguments_areIllegalArguments() {
        ProbeAssert probe = assertThatProbe(recorded());
        assertThatIllegalArgumentException().isThrownBy(() -> probe.after(fault(0, null)))
                .withMessage("the fault DOWN is still active; heal it (close it) before asserting recovery after it");
        assertThatIllegalArgumentException().isThrownBy(() -> probe.hasErrorRateAtMost(10))
                .withMessage("fraction must be between 0 and 1 (such as 0.1 for 10%), but was 10.0");
        assertThatIllegalArgumentException().isThrownBy(() -> probe.hasErrorRateAtLeast(-0.1))
                .withMessage("fraction must be between 0 and 1 (such as 0.1 for 10%), but was -0.1");
        assertThatIllegalArgumentException().isThrownBy(() -> probe.hasLatencyPercentileAtMost(0, Duration.ofSeconds(1)))
                .withMessage("percentile must be more than 0 and at most 100 (such as 99 or 99.9), but was 0.0");
        assertThatIllegalArgumentException().isThrownBy(() -> probe.hasMaxLatencyAtMost(Duration.ZERO))
                .withMessage("max must be positive, but was PT0S");
        assertThatIllegalArgumentException().isThrownBy(() -> probe.failsFastWithin(Duration.ofMillis(-1)))
                .withMessage("max must be positive, but was PT-0.001S");
        assertThatIllegalArgumentException().isThrownBy(() -> probe.recoversWithin(Duration.ZERO))
                .withMessage("slo must be positive, but was PT0S");
        assertThatIllegalArgumentException().isThrownBy(() -> probe.consecutiveSuccesses(0))
                .withMessage("consecutiveSuccesses must be 1 or more, but was 0");
    }

    @Test
    void aNullName_isANullPointerExceptionNamingTheArgument() {
        assertThatThrownBy(() -> assertThatProbe((String) null)).isInstanceOf(NullPointerException.class)
                .hasMessage("name");
        assertThatThrownBy(() -> ProbeRecording.named(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("name");
    }

    @Test
    void aNullRecording_failsEveryCheck_asAssertJDoes() {
        ProbeAssert probe = assertThatProbe((ProbeRecording) null);
        List<org.assertj.core.api.ThrowableAssert.ThrowingCallable> checks = List.of(
                () -> probe.hasErrorRateAtMost(0),
                () -> probe.duringFaults().hasErrorRateAtLeast(1),
                () -> probe.inSteadyState().hasMaxLatencyAtMost(Duration.ofSeconds(1)),
                () -> probe.hasLatencyPercentileAtMost(99, Duration.ofSeconds(1)),
                () -> probe.failsFastWithin(Duration.ofSeconds(1)),
                () -> probe.recoversWithin(Duration.ofSeconds(1)));
        for (org.assertj.core.api.ThrowableAssert.ThrowingCallable check : checks) {
            assertThatThrownBy(check).isInstanceOf(AssertionError.class)
                    .hasMessage(String.format("%nExpecting actual not to be null"));
        }
    }

    @Test
    void options_returnNewAssertions_andKeepTheDescription() {
        ProbeAssert base = assertThatProbe(recorded()).as("orders API");
        ProbeAssert during = base.during(fault(250, 600L));

        assertThat(during).isNotSameAs(base);
        base.hasErrorRateAtLeast(0.3); // the whole recording: base is unchanged
        assertThatThrownBy(() -> during.hasErrorRateAtMost(0.5))
                .hasMessageStartingWith("[orders API] Expecting the error rate of probe \"db\" during DOWN");
        assertThat(base.hasErrorRateAtMost(0.3)).isSameAs(base);
    }
}
