package dev.chaosjunit.internal.report;

import static dev.chaosjunit.ChaosAssertions.assertThatEveryCall;
import static dev.chaosjunit.ChaosAssertions.assertThatProbe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

import dev.chaosjunit.ActiveFault;
import dev.chaosjunit.ChaosProxy;
import dev.chaosjunit.ChaosTarget;
import dev.chaosjunit.FaultSpec;
import dev.chaosjunit.HealthProbe;

/** What probes and their assertions leave in the test's TestResult: samples, verdicts, recoveries. */
class ProbeReportTests {

    @TempDir
    Path reportDir;

    private EngineExecutionResults run(Class<?> fixture) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture))
                .configurationParameter(ChaosReporting.REPORT_DIR, reportDir.toString()).execute();
    }

    private static TestResult result(Class<?> fixture, String test) {
        List<TestResult> found = RunReport.results().stream()
                .filter(r -> r.testClass().equals(ChaosReporting.className(fixture)) && r.testName().equals(test))
                .collect(Collectors.toList());
        assertThat(found).as("results of " + fixture.getSimpleName() + "." + test).isNotEmpty();
        return found.get(found.size() - 1);
    }

    // ------------------------------------------------------------------ fixtures

    /** Nothing listens on the port: the probe only asks the proxy whether a fault is active. */
    static class ProbeAndVerdicts {
        @ChaosTarget("nothing")
        static int port = 5988;

        ChaosProxy proxy;

        @BeforeEach
        void proxy(ChaosProxy proxy) {
            this.proxy = proxy;
        }

        @HealthProbe(intervalMs = 10)
        void healthy() {
            if (!proxy.activeFaults().isEmpty()) {
                throw new IllegalStateException("fault active");
            }
        }

        @Test
        void outage(ChaosProxy proxy) throws InterruptedException {
            Thread.sleep(100);
            ActiveFault outage = proxy.inject(FaultSpec.down());
            Thread.sleep(200);
            outage.close();
            assertThatProbe("healthy").recoversWithin(Duration.ofSeconds(5));
            assertThatProbe("healthy").consecutiveSuccesses(3).recoversWithin(Duration.ofSeconds(5));
            assertThatProbe("healthy").duringFaults().hasErrorRateAtLeast(0.5);
            assertThatThrownBy(() -> assertThatProbe("healthy").duringFaults().hasErrorRateAtMost(0.1))
                    .isInstanceOf(AssertionError.class);
            assertThatEveryCall(() -> {
                throw new IOException("refused");
            }).attempts(2).failsWithin(Duration.ofSeconds(1));
        }
    }

    /** Checks a probe in a retry loop, as Awaitility's untilAsserted does, while a fault starts to bite. */
    static class RetriedCheck {
        @ChaosTarget("nothing")
        static int port = 5988;

        ChaosProxy proxy;

        @BeforeEach
        void proxy(ChaosProxy proxy) {
            this.proxy = proxy;
        }

        @HealthProbe(intervalMs = 10)
        void healthy() {
            if (!proxy.activeFaults().isEmpty()) {
                throw new IllegalStateException("fault active");
            }
        }

        @Test
        void retried(ChaosProxy proxy) {
            try (ActiveFault outage = proxy.inject(FaultSpec.down())) {
                Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5)).pollInSameThread()
                        .untilAsserted(() -> assertThatProbe("healthy").duringFaults().hasErrorRateAtLeast(0.5));
                assertThat(outage.isHealed()).isFalse();
            }
        }
    }

    static class HangingProbe {
        @ChaosTarget("nothing")
        static int port = 5988;

        @HealthProbe(intervalMs = 10)
        void stuck() throws InterruptedException {
            new CountDownLatch(1).await();
        }

        @Test
        void test() throws InterruptedException {
            Thread.sleep(30);
        }
    }

    // ------------------------------------------------------------------ tests

    @Test
    void aProbe_itsVerdicts_andItsRecovery_areInTheTestResult() {
        assertThat(run(ProbeAndVerdicts.class).testEvents().succeeded().count()).isEqualTo(1);
        TestResult test = result(ProbeAndVerdicts.class, "outage");
        TestResult.FaultPeriod down = test.proxies().get(0).faults().get(0);

        assertThat(test.probes()).singleElement().satisfies(probe -> {
            assertThat(probe.name()).isEqualTo("healthy");
            assertThat(probe.intervalNanos()).isEqualTo(Duration.ofMillis(10).toNanos());
            assertThat(probe.hungCallStartNanos()).isEqualTo(-1);
            assertThat(probe.samples()).hasSizeGreaterThan(3).allMatch(s -> s.startNanos() >= 0
                    && s.startNanos() + s.latencyNanos() <= test.durationNanos());
            assertThat(probe.samples()).isSortedAccordingTo((a, b) -> Long.compare(a.startNanos(), b.startNanos()));
            assertThat(probe.samples()).filteredOn(s -> !s.success()).isNotEmpty()
                    .allMatch(s -> s.error().equals("java.lang.IllegalStateException: fault active"));
            assertThat(probe.samples()).filteredOn(TestResult.Sample::success).allMatch(s -> s.error() == null);
            assertThat(probe.failures()).isPositive();
        });
        assertThat(test.recoveries()).hasSize(2);
        assertThat(test.recoveries().get(0)).satisfies(r -> {
            assertThat(r.subject()).isEqualTo("healthy");
            assertThat(r.passed()).isTrue();
            assertThat(r.startNanos()).isEqualTo(down.stopNanos());
            assertThat(r.recoveryNanos()).isBetween(0L, Duration.ofSeconds(5).toNanos());
            assertThat(r.firstSuccessNanos()).as("one success is enough").isEqualTo(r.recoveryNanos());
            assertThat(r.consecutiveSuccesses()).isEqualTo(1);
        });
        long firstSuccess = test.recoveries().get(0).firstSuccessNanos();
        assertThat(test.recoveries().get(1)).satisfies(r -> {
            assertThat(r.consecutiveSuccesses()).isEqualTo(3);
            assertThat(r.firstSuccessNanos()).as("the same first success").isEqualTo(firstSuccess);
            assertThat(r.recoveryNanos()).as("two more calls, 10 ms apart, after it")
                    .isGreaterThanOrEqualTo(firstSuccess + Duration.ofMillis(15).toNanos());
            assertThat(r.summary()).matches("recovered in \\d+ ms, 3 in a row \\(first success after \\d+ ms; SLO 5 s\\)");
        });
        assertThat(test.verdicts()).hasSize(3);
        assertThat(test.verdicts().get(0)).satisfies(v -> {
            assertThat(v.subject()).isEqualTo("healthy");
            assertThat(v.assertion()).isEqualTo("error rate during faults >= 50%");
            assertThat(v.measured()).matches("[\\d.]+% \\(\\d+ of \\d+ calls failed\\)");
            assertThat(v.passed()).isTrue();
            assertThat(v.fromNanos()).isEqualTo(down.startNanos());
            assertThat(v.toNanos()).isEqualTo(down.stopNanos());
        });
        assertThat(test.verdicts().get(1)).satisfies(v -> {
            assertThat(v.assertion()).isEqualTo("error rate during faults <= 10%");
            assertThat(v.passed()).isFalse();
        });
        assertThat(test.verdicts().get(2)).satisfies(v -> {
            assertThat(v.subject()).isEqualTo("probe");
            assertThat(v.assertion()).isEqualTo("every call fails within 1 s");
            assertThat(v.measured()).matches("slowest call [\\d.]+ ms \\(2 calls\\)");
            assertThat(v.passed()).isTrue();
            assertThat(v.fromNanos()).isLessThanOrEqualTo(v.toNanos());
        });
    }

    @Test
    void theLogLineAndTheReportEntry_sayHowTheProbeFared_andWhichSloWasNotMet() {
        TestResult.ProbeResult probe = new TestResult.ProbeResult("orders", 50_000_000L, List.of(
                new TestResult.Sample(0, 2_000_000L, true, null),
                new TestResult.Sample(50_000_000L, 1_000_000L, false, "java.net.ConnectException: refused"),
                new TestResult.Sample(100_000_000L, 9_000_000L, true, null)), -1);
        TestResult test = new TestResult("Fixture", "outage", 200_000_000L, "FAILED", "no", List.of(),
                List.of(new TestResult.Recovery("orders", 60_000_000L, 49_000_000L, 49_000_000L, 120_000_000L,
                        2_000_000_000L, true, 3, 1, null)),
                List.of(probe),
                List.of(new TestResult.Verdict("orders", "error rate during faults >= 90%", "50% (1 of 2 calls failed)",
                        false, 40_000_000L, 60_000_000L),
                        new TestResult.Verdict("orders", "p99 latency in steady state <= 100 ms", "9 ms", true, 0,
                                200_000_000L)));

        assertThat(ChaosReporting.logLine(test, List.of())).isEqualTo("[chaos] Fixture.outage: no fault;"
                + " orders recovered in 49 ms (SLO 2 s); probe orders: 3 calls, 1 failed, p99 9 ms;"
                + " SLOs 2 of 3 met; not met: orders: error rate during faults >= 90% (was 50% (1 of 2 calls failed));"
                + " 0 connections opened, 0 B up, 0 B down -- FAILED");
        assertThat(ChaosReporting.reportEntry(test, List.of()))
                .containsEntry("chaos.recovery", "orders recovered in 49 ms (SLO 2 s) PASSED")
                .containsEntry("chaos.probes", "probe orders: 3 calls, 1 failed, p99 9 ms")
                .containsEntry("chaos.slo", "orders: error rate during faults >= 90%, was 50% (1 of 2 calls failed)"
                        + " FAILED; orders: p99 latency in steady state <= 100 ms, was 9 ms PASSED");
    }

    @Test
    void nInARow_theSummarySaysWhenTheFirstSuccessCame() {
        TestResult.Recovery threeInARow = new TestResult.Recovery("orders", 1_000_000_000L, 154_000_000L, 68_000_000L,
                1_200_000_000L, 2_000_000_000L, true, 5, 3, null);
        assertThat(threeInARow.summary()).isEqualTo("recovered in 154 ms, 3 in a row (first success after 68 ms; SLO 2 s)");
        TestResult.Recovery late = new TestResult.Recovery("orders", 1_000_000_000L, 2_400_000_000L, 68_000_000L,
                3_400_000_000L, 2_000_000_000L, false, 40, 3, null);
        assertThat(late.summary())
                .isEqualTo("recovered in 2400 ms, 3 in a row (first success after 68 ms; SLO 2 s) - over the SLO");
        TestResult.Recovery never = new TestResult.Recovery(null, 1_000_000_000L, -1, 68_000_000L, 1_200_000_000L,
                150_000_000L, false, 4, 3, null);
        assertThat(never.summary())
                .isEqualTo("did not recover within 150 ms (4 attempts; first success after 68 ms, never 3 in a row)");
        TestResult.Recovery unknown = new TestResult.Recovery(null, 1_000_000_000L, 154_000_000L, -1, 1_200_000_000L,
                2_000_000_000L, true, 5, 3, null);
        assertThat(unknown.summary()).as("read from a report without firstSuccessMs")
                .isEqualTo("recovered in 154 ms, 3 in a row (SLO 2 s)");

        TestResult test = new TestResult("Fixture", "outage", 2_000_000_000L, "PASSED", null, List.of(),
                List.of(threeInARow), List.of(), List.of());
        assertThat(ChaosReporting.logLine(test, List.of())).contains(
                "; orders recovered in 154 ms, 3 in a row (first success after 68 ms; SLO 2 s); SLOs 1 of 1 met;");
        assertThat(ChaosReporting.reportEntry(test, List.of())).containsEntry("chaos.recovery",
                "orders recovered in 154 ms, 3 in a row (first success after 68 ms; SLO 2 s) PASSED");
    }

    @Test
    void theLogLine_countsRecoveriesAsSlos_andNamesTheOnesNotMet() {
        TestResult test = new TestResult("Fixture", "outages", 5_000_000_000L, "FAILED", "no", List.of(),
                List.of(new TestResult.Recovery("orders", 60_000_000L, 49_000_000L, 49_000_000L, 120_000_000L,
                                2_000_000_000L, true, 3, 1, null),
                        new TestResult.Recovery("orders", 1_000_000_000L, 2_400_000_000L, 2_400_000_000L, 3_400_000_000L,
                                2_000_000_000L, false, 40, 1, null),
                        new TestResult.Recovery(null, 3_500_000_000L, -1, -1, 3_650_000_000L, 150_000_000L, false, 4, 1,
                                "java.net.ConnectException: refused")),
                List.of(),
                List.of(new TestResult.Verdict("orders", "p99 latency in steady state <= 100 ms", "9 ms", true, 0,
                        200_000_000L)));

        assertThat(ChaosReporting.logLine(test, List.of())).isEqualTo("[chaos] Fixture.outages: no fault;"
                + " orders recovered in 49 ms (SLO 2 s); orders recovered in 2400 ms (SLO 2 s) - over the SLO;"
                + " did not recover within 150 ms (4 attempts);"
                + " SLOs 2 of 4 met; not met: orders: recovery within 2 s (was 2400 ms),"
                + " recovery within 150 ms (was none in 4 attempts);"
                + " 0 connections opened, 0 B up, 0 B down -- FAILED");
    }

    @Test
    void aCheckRetriedUntilItHolds_isOneVerdict_theLastOutcome() {
        assertThat(run(RetriedCheck.class).testEvents().succeeded().count()).isEqualTo(1);
        TestResult test = result(RetriedCheck.class, "retried");
        assertThat(test.verdicts()).singleElement().satisfies(v -> {
            assertThat(v.assertion()).isEqualTo("error rate during faults >= 50%");
            assertThat(v.passed()).isTrue();
        });
        assertThat(ChaosReporting.logLine(test, List.of())).contains("SLOs 1 of 1 met");
    }

    @Test
    void aProbeCallThatNeverReturns_isReportedAsHung() {
        run(HangingProbe.class);
        TestResult test = result(HangingProbe.class, "test");
        assertThat(test.status()).isEqualTo("PASSED");
        assertThat(test.probes()).singleElement().satisfies(probe -> {
            assertThat(probe.samples()).isEmpty();
            assertThat(probe.hungCallStartNanos()).isBetween(0L, test.durationNanos());
        });
    }
}
