package dev.chaosjunit;

import static dev.chaosjunit.ChaosAssertions.assertThatProbe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** ProbeRecording on its own, outside a chaos test: schedule, samples, stopping. */
class ProbeRecordingTests {

    static void awaitSamples(ProbeRecording recording, int n) {
        Awaitility.await("" + n + " samples of " + recording).atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(5)).until(() -> recording.samples().size() >= n);
    }

    static void assertNoProbeThread(String name) {
        Awaitility.await("thread of probe " + name + " ended").atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(Thread.getAllStackTraces().keySet())
                        .noneMatch(t -> t.getName().equals("chaos-junit-probe-" + name) && t.isAlive()));
    }

    @Test
    void everyCall_isASampleWithItsStartLatencyOutcomeAndError() {
        AtomicInteger calls = new AtomicInteger();
        ProbeRecording recording = ProbeRecording.start("alternating", Duration.ofMillis(10), () -> {
            int call = calls.incrementAndGet();
            if (call % 2 == 0) {
                throw new IllegalStateException("down #" + call);
            }
        });
        try {
            assertThat(recording.isRunning()).isTrue();
            assertThat(recording.name()).isEqualTo("alternating");
            assertThat(recording.interval()).isEqualTo(Duration.ofMillis(10));
            assertThat(Thread.getAllStackTraces().keySet()).anyMatch(t -> t.getName().equals("chaos-junit-probe-alternating"));
            awaitSamples(recording, 6);
        } finally {
            recording.stop();
        }

        List<ProbeSample> samples = recording.samples();
        assertThat(recording.isRunning()).isFalse();
        assertThat(samples.get(0).succeeded()).isTrue();
        assertThat(samples.get(0).error()).isNull();
        assertThat(samples.get(1).succeeded()).isFalse();
        assertThat(samples.get(1).error()).isEqualTo("java.lang.IllegalStateException: down #2");
        for (int i = 1; i < samples.size(); i++) {
            assertThat(samples.get(i).startedAtNanos()).isGreaterThanOrEqualTo(samples.get(i - 1).endedAtNanos());
        }
        assertThat(samples).allMatch(s -> s.latency().equals(Duration.ofNanos(s.latencyNanos())));
        assertNoProbeThread("alternating");
        assertThat(recording.samples()).as("no call after the stop").hasSameSizeAs(samples);
    }

    @Test
    void aSlowCall_delaysTheNext_butTheMissedCallsAreSkippedNotMadeInABurst() {
        AtomicInteger calls = new AtomicInteger();
        ProbeRecording recording = ProbeRecording.start("slow-once", Duration.ofMillis(50), () -> {
            if (calls.incrementAndGet() == 2) {
                Thread.sleep(400);
            }
        });
        try {
            awaitSamples(recording, 6);
        } finally {
            recording.stop();
        }
        List<ProbeSample> samples = recording.samples();
        ProbeSample slow = samples.get(1);
        assertThat(slow.latency()).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        // the next call starts right after; then the schedule goes on (a point every 50 ms), so at most
        // one more call can start within 40 ms of the slow one's end, however loaded the machine
        assertThat(samples.get(2).startedAtNanos()).isGreaterThanOrEqualTo(slow.endedAtNanos());
        long startedSoonAfter = samples.stream().filter(s -> s.startedAtNanos() >= slow.endedAtNanos()
                && s.startedAtNanos() - slow.endedAtNanos() < Duration.ofMillis(40).toNanos()).count();
        assertThat(startedSoonAfter).isBetween(1L, 2L);
    }

    @Test
    void stop_waitsForTheCallInFlight_andKeepsIt() throws InterruptedException {
        CountDownLatch inCall = new CountDownLatch(1);
        ProbeRecording recording = ProbeRecording.start("slow", Duration.ofMillis(10), () -> {
            inCall.countDown();
            Thread.sleep(150);
        });
        assertThat(inCall.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

        recording.close();

        assertThat(recording.isRunning()).isFalse();
        assertThat(recording.samples()).singleElement().satisfies(s -> {
            assertThat(s.succeeded()).isTrue();
            assertThat(s.latency()).isGreaterThanOrEqualTo(Duration.ofMillis(150));
        });
        assertNoProbeThread("slow");
        recording.close(); // idempotent
    }

    @Test
    void aCallStillRunningWhenStopped_isRecordedAsHung_andItsThreadInterrupted() {
        CountDownLatch never = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        ProbeRecording recording = ProbeRecording.start("stuck", Duration.ofMillis(10), () -> {
            if (calls.incrementAndGet() == 3) {
                never.await();
            }
        });
        awaitSamples(recording, 2);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() == 3);

        String stderr = stderrOf(recording::stop);

        assertThat(stderr).startsWith("[chaos] probe \"stuck\": a call has been running for ")
                .contains("and was still running when the probe was stopped; recorded as hung. Interrupting its"
                        + " thread chaos-junit-probe-stuck");
        assertNoProbeThread("stuck");
        assertThat(recording.samples()).hasSize(2);
        assertThatThrownBy(() -> assertThatProbe(recording).failsFastWithin(Duration.ofMillis(500)))
                .isInstanceOf(AssertionError.class)
                .message()
                .matches("(?s)Expecting every call of probe \"stuck\" to end within 500 ms, but the call that started"
                        + " at \\d+ ms was still running \\d+ ms after it started, when the probe stopped \\(it hangs"
                        + " instead of failing fast\\)\n"
                        + "Timeline of probe \"stuck\", a call every 10 ms \\(ms since the probe started; .*"
                        + "\n> +\\d+ – +\\d+ ms  HUNG ×1    still running \\d+ ms after it started, when the probe stopped");
    }

    @Test
    void aProbeThatLeavesItsInterruptFlagSet_keepsBeingCalled_andTheFlagIsClearedForTheNextCall() {
        AtomicInteger calls = new AtomicInteger();
        List<Boolean> interruptedAtStart = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (ProbeRecording recording = ProbeRecording.start("self-interrupting", Duration.ofMillis(10), () -> {
            interruptedAtStart.add(Thread.currentThread().isInterrupted());
            if (calls.incrementAndGet() == 3) {
                Thread.currentThread().interrupt();
            }
        })) {
            awaitSamples(recording, 10);

            assertThat(recording.isRunning()).isTrue();
            assertThat(Thread.getAllStackTraces().keySet())
                    .anyMatch(t -> t.getName().equals("chaos-junit-probe-self-interrupting") && t.isAlive());
            assertThat(recording.samples()).allMatch(ProbeSample::succeeded);
            assertThat(interruptedAtStart).doesNotContain(true);
        }
        assertNoProbeThread("self-interrupting");
    }

    @Test
    void aProbeThatThrowsInterruptedException_isAFailedCall_andTheProbeGoesOn() {
        AtomicInteger calls = new AtomicInteger();
        try (ProbeRecording recording = ProbeRecording.start("throws-interrupted", Duration.ofMillis(10), () -> {
            if (calls.incrementAndGet() == 3) {
                Thread.currentThread().interrupt();
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // the usual "restore the flag, then rethrow"
                    throw e;
                }
            }
        })) {
            awaitSamples(recording, 10);

            assertThat(recording.isRunning()).isTrue();
            List<ProbeSample> samples = recording.samples();
            assertThat(samples.get(2).succeeded()).isFalse();
            assertThat(samples.get(2).error()).isEqualTo("java.lang.InterruptedException: sleep interrupted");
            assertThat(samples).filteredOn(s -> !s.succeeded()).hasSize(1);
        }
        assertNoProbeThread("throws-interrupted");
    }

    @Test
    void anErrorWhoseToStringThrows_isRecordedByItsClassName_andTheProbeGoesOn() {
        class Unprintable extends IllegalStateException {
            private static final long serialVersionUID = 1L;

            @Override
            public String toString() {
                throw new AssertionError("toString failed");
            }
        }
        try (ProbeRecording recording = ProbeRecording.start("unprintable", Duration.ofMillis(10), () -> {
            throw new Unprintable();
        })) {
            awaitSamples(recording, 3);
            assertThat(recording.isRunning()).isTrue();
            assertThat(recording.samples()).allSatisfy(s -> assertThat(s.error()).isEqualTo(Unprintable.class.getName()));
        }
    }

    @Test
    void badArguments_areIllegalArguments() {
        assertThatIllegalArgumentException().isThrownBy(() -> ProbeRecording.start(" ", Duration.ofMillis(1), () -> { }))
                .withMessage("name must not be blank; it names the probe in messages and the report");
        assertThatIllegalArgumentException().isThrownBy(() -> ProbeRecording.start("p", Duration.ZERO, () -> { }))
                .withMessage("interval must be at least 1 ms, like @HealthProbe's intervalMs, but was PT0S");
        assertThatIllegalArgumentException().isThrownBy(() -> ProbeRecording.start("p", Duration.ofNanos(1), () -> { }))
                .withMessage("interval must be at least 1 ms, like @HealthProbe's intervalMs, but was PT0.000000001S");
        assertThatIllegalArgumentException().isThrownBy(() -> ProbeRecording.start("p", Duration.ofMillis(1).minusNanos(1),
                () -> { })).withMessage("interval must be at least 1 ms, like @HealthProbe's intervalMs, but was"
                        + " PT0.000999999S");
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("chaos-junit-probe-p"));
        try (ProbeRecording fastest = ProbeRecording.start("every-ms", Duration.ofMillis(1), () -> { })) {
            assertThat(fastest.interval()).isEqualTo(Duration.ofMillis(1));
        }
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new ProbeSample(0, 1, false, null))
                .withMessage("a failed call needs its error, but error was null");
    }

    @Test
    void outsideAChaosTest_faultWindowsAndTheLastFault_areUnknown_andLookupByNameSaysWhy() {
        try (ProbeRecording recording = ProbeRecording.start("alone", Duration.ofMillis(10), () -> { })) {
            awaitSamples(recording, 1);
            assertThat(assertThatProbe(recording).hasErrorRateAtMost(0)).isNotNull();
            assertThatIllegalStateException().isThrownBy(() -> assertThatProbe(recording).duringFaults().hasErrorRateAtMost(0))
                    .withMessageStartingWith("duringFaults() needs the faults of a chaos test, and probe \"alone\" was"
                            + " started outside one");
            assertThatIllegalStateException().isThrownBy(() -> assertThatProbe(recording).recoversWithin(Duration.ofSeconds(1)))
                    .withMessage("probe \"alone\" was started outside a chaos test, so there is no \"last fault of the"
                            + " test\" to recover from; name the fault with after(fault)");
        }
        assertThatIllegalStateException().isThrownBy(() -> assertThatProbe("alone"))
                .withMessageStartingWith("the probe \"alone\" is looked up in the running chaos test, and there is"
                        + " none.");
    }

    @Test
    void optionsThatACheckWouldIgnore_areRefused_insteadOfSilentlyIgnored() {
        try (ProbeRecording recording = ProbeRecording.start("misused", Duration.ofMillis(5), () -> { })) {
            assertThatIllegalStateException()
                    .isThrownBy(() -> assertThatProbe(recording).duringFaults().recoversWithin(Duration.ofSeconds(1)))
                    .withMessage("recoversWithin looks at the calls after a heal, not at a window; drop duringFaults(),"
                            + " or use after(fault) to say which fault to recover from");
            assertThatIllegalStateException()
                    .isThrownBy(() -> assertThatProbe(recording).consecutiveSuccesses(3).hasErrorRateAtMost(1.0))
                    .withMessage("a window check (error rate, latency, failsFastWithin) looks at the calls in a window"
                            + " and ignores consecutiveSuccesses(3), which only recoversWithin uses; drop it, or use"
                            + " during(fault) to look at one fault");
        }
    }

    @Test
    void recoveryAfterAFaultHealedOnlyOnceTheProbeStopped_isRefused_ratherThanMeasuredBackwards() {
        ProbeRecording recording = ProbeRecording.start("stoppedEarly", Duration.ofMillis(5), () -> { });
        recording.stop();
        try (EchoServer echo = EchoServer.start(); ChaosProxy proxy = ChaosProxy.open("localhost", echo.port())) {
            ActiveFault outage = proxy.inject(FaultSpec.down());
            outage.close();
            assertThatIllegalStateException()
                    .isThrownBy(() -> assertThatProbe(recording).after(outage).recoversWithin(Duration.ofSeconds(1)))
                    .withMessageStartingWith("probe \"stoppedEarly\" was stopped at ")
                    .withMessageContaining("before the start of the recovery after DOWN")
                    .withMessageEndingWith("so it made no call that could show a recovery; keep it running until the"
                            + " test ends");
        }
    }

    static String stderrOf(Runnable action) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
