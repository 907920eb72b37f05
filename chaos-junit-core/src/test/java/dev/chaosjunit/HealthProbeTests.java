package dev.chaosjunit;

import static dev.chaosjunit.ChaosAssertions.assertThatProbe;
import static dev.chaosjunit.TestKit.failures;
import static dev.chaosjunit.TestKit.onlyFailure;
import static dev.chaosjunit.TestKit.run;
import static dev.chaosjunit.TestKit.runPassing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** @HealthProbe through the Jupiter engine: when probes run, how they stop, what they see through a real proxy. */
class HealthProbeTests {

    static final Queue<String> LOG = new ConcurrentLinkedQueue<>();
    static final List<ProbeSample> SAMPLES = new CopyOnWriteArrayList<>();
    static final List<ActiveFault> FAULTS = new CopyOnWriteArrayList<>();
    static EchoServer echo;

    @BeforeAll
    static void startEcho() {
        echo = EchoServer.start();
    }

    @AfterAll
    static void stopEcho() {
        echo.close();
    }

    @BeforeEach
    void clear() {
        LOG.clear();
        SAMPLES.clear();
        FAULTS.clear();
    }

    static boolean probeThreadsAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().startsWith("chaos-junit-probe-") && t.isAlive());
    }

    static void assertNoProbeThreadLeft() {
        Awaitility.await("no chaos-junit-probe- thread").atMost(Duration.ofSeconds(5))
                .until(() -> !probeThreadsAlive());
    }

    static long ms(long nanos) {
        return Duration.ofNanos(nanos).toMillis();
    }

    // ------------------------------------------------------------------ tests

    @Test
    void aHealthProbe_runsBeforeDuringAndAfterAFault_throughTheRealProxy_andStopsBeforeAfterEach() {
        runPassing(ThroughAnOutage.class);

        ActiveFault outage = FAULTS.get(0);
        assertThat(SAMPLES).filteredOn(s -> s.startedAtNanos() < outage.startedAtNanos())
                .isNotEmpty().anyMatch(ProbeSample::succeeded);
        assertThat(SAMPLES).filteredOn(s -> s.startedAtNanos() > outage.startedAtNanos()
                && s.endedAtNanos() < outage.healedAtNanos())
                .isNotEmpty().allSatisfy(s -> {
                    assertThat(s.succeeded()).isFalse();
                    // refused; or, for a connection the proxy accepted as the fault began, reset
                    assertThat(s.error()).matches("java\\.net\\.ConnectException.*|java\\.net\\.SocketException: Connection reset");
                });
        assertThat(SAMPLES).filteredOn(s -> s.startedAtNanos() > outage.healedAtNanos())
                .isNotEmpty().anyMatch(ProbeSample::succeeded);
        assertThat(LOG).containsExactly("beforeEach: no probe thread", "body", "afterEach: no probe thread");
        assertNoProbeThreadLeft();
    }

    @Test
    void recoveryAfterTheLastFault_waitsForTheScheduleOfTheAnnotation_andCountsFromItsLastOccurrence() {
        runPassing(ScheduledOutages.class);

        // the probe failed in both outages and succeeded before, between and after them
        assertThat(SAMPLES).anyMatch(ProbeSample::succeeded).anyMatch(sample -> !sample.succeeded());
        assertThat(SAMPLES.get(SAMPLES.size() - 1).succeeded()).isTrue();
        assertThat(LOG).singleElement().asString().startsWith("recovered after the second outage");
        assertNoProbeThreadLeft();
    }

    @Test
    void recoveryAfterTheLastFault_ofAScheduleThatRepeatsUntilTheEnd_isRefusedWithAHint() {
        Throwable failure = onlyFailure(EndlessOutages.class);

        assertThat(failure).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("DOWN repeats until the test ends (after 50 ms, lasting 100 ms, every 300 ms,"
                        + " until cancelled), so no fault is the last")
                .hasMessageContaining("give the schedule a number of times, or name the fault to recover from with after(fault)");
        assertNoProbeThreadLeft();
    }

    @Test
    void recoveryAfterTheLastFault_interruptedWhileWaitingForTheSchedule_saysInterrupted_andKeepsTheFlag() {
        runPassing(InterruptedWhileWaiting.class);
        assertThat(LOG).containsExactly("interrupted while waiting for the scheduled fault DOWN on localhost:"
                + echo.port() + " (after 50 ms, lasting 2 s) to finish, so as to measure recovery from when it was last"
                + " healed; the thread's interrupt flag is set", "flag set: true");
    }

    @Test
    void recoveryAfterTheLastFault_beforeAScheduledFaultWithoutDurationStarted_namesIt() {
        Throwable failure = onlyFailure(OutageWithoutDurationNotStarted.class);
        assertThat(failure).isInstanceOf(IllegalStateException.class)
                .hasMessage("recovery is measured from when the last fault was healed, and the scheduled fault DOWN"
                        + " on localhost:" + echo.port() + " (after 300 ms, until cancelled) has not started yet; once started, it lasts"
                        + " until the test method body ends, as it has no duration, so recovery after it cannot be"
                        + " measured in the body; give it a duration (durationMs, or FaultSchedule.lasting), or heal it"
                        + " in the body (close the ScheduledFault, or ChaosProxy.heal()) and name the fault to recover"
                        + " from with after(fault)");
    }

    @Test
    void recoveryAfterTheLastFault_whileAScheduledFaultWithoutDurationActs_namesIt() {
        Throwable failure = onlyFailure(OutageWithoutDurationActing.class);
        assertThat(failure).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("recovery is measured from when the last fault was healed, and the scheduled"
                        + " fault DOWN on localhost:" + echo.port() + " (after 20 ms, until cancelled) is still active; it lasts until the"
                        + " test method body ends, as it has no duration, so recovery after it cannot be measured in"
                        + " the body;");
    }

    @Test
    void recoveryAfterTheLastFault_whenTheOnlyScheduleWasCancelledBeforeStarting_saysSo() {
        Throwable failure = onlyFailure(ScheduleCancelledBeforeStarting.class);
        assertThat(failure).isInstanceOf(IllegalStateException.class)
                .hasMessage("no fault acted in this test, so there is no \"last fault\" to recover from: the scheduled"
                        + " fault DOWN on localhost:" + echo.port() + " (after 5 s, lasting 100 ms) was cancelled before"
                        + " its first occurrence (ScheduledFault.close(), or ChaosProxy.heal()); name the fault to"
                        + " recover from with after(fault)");
    }

    @Test
    void aProbeStuckOnATimeoutFault_isReleasedByTheHeal_andAFailingTestLeavesNoThread() {
        Throwable failure = onlyFailure(StuckOnATimeout.class);

        assertThat(failure).hasMessage("failed on purpose");
        assertThat(LOG).containsExactly("stuck", "afterEach: no probe thread");
        assertNoProbeThreadLeft();
    }

    @Test
    void aProbeThatHangsEvenAfterTheHeal_isGivenUpOn_interrupted_andSaidSoOnStderr() {
        String stderr = ProbeRecordingTests.stderrOf(() -> runPassing(HangsForever.class));

        assertThat(stderr).contains("[chaos] probe \"forever\" of HealthProbeTests.HangsForever.test: a call has been running for ",
                "recorded as hung. Interrupting its thread chaos-junit-probe-forever");
        assertThat(LOG).containsExactly("afterEach: no probe thread");
        assertNoProbeThreadLeft();
    }

    @Test
    void aHealthProbeThatInterruptsItself_keepsRunningForTheWholeBody() {
        runPassing(InterruptsItself.class);
        assertThat(LOG).containsExactly("running: true", "afterEach: no probe thread");
        // a call every 10 ms for 300 ms: far more than the 3 calls before the interrupt
        assertThat(SAMPLES).hasSizeGreaterThanOrEqualTo(10).allMatch(ProbeSample::succeeded);
        assertNoProbeThreadLeft();
    }

    @Test
    void probesOfSuperclassesAndEnclosingClasses_runInANestedTest_withTheirNames() {
        runPassing(Enclosing.class);
        assertThat(LOG).containsExactlyInAnyOrder("outer probes [inherited, outer]",
                "inner probes [inherited, outer, renamed]");
    }

    @Test
    void aProbeStartedInCode_joinsTheTest_isFoundByName_andIsStoppedWithTheTest() {
        runPassing(StartedInCode.class);
        assertThat(LOG).containsExactly("found by name: true", "running at the end of the body: true",
                "afterEach: no probe thread");
    }

    @Test
    void assertThatProbe_withAnUnknownName_listsTheKnownOnes() {
        Throwable failure = onlyFailure(UnknownName.class);
        assertThat(failure).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("this test has no probe named \"orders\"; it has \"db\", \"cache\"");
    }

    @Test
    void aClassWhereChaosJunitIsNotRegistered_runsNoProbe_andTheLookupSaysHowToRegisterIt() {
        Throwable failure = onlyFailure(NotRegistered.class);
        assertThat(failure).isInstanceOf(IllegalStateException.class)
                .hasMessage("the probe \"db\" is looked up in the running chaos test, and there is none."
                        + " Probes are found by name only while the test method body runs (not in @BeforeEach,"
                        + " @AfterEach or other lifecycle methods), and only in test classes"
                        + " where chaos-junit is registered: by a @ChaosPort on the class or the test method, a"
                        + " @ChaosTarget field, or a @ProxyFor parameter (a ChaosProxy parameter alone does not register"
                        + " it). Elsewhere, keep the ProbeRecording you started and pass it to assertThatProbe(recording)");
        assertThat(LOG).isEmpty();
    }

    @Test
    void aLookupInAfterEach_ofAClassWhereChaosJunitIsRegistered_saysProbesAreFoundOnlyDuringTheBody() {
        Throwable failure = onlyFailure(LookupInAfterEach.class);
        assertThat(failure).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("the probe \"db\" is looked up in the running chaos test, and"
                        + " there is none. Probes are found by name only while the test method body runs")
                .hasMessageContaining("not in @BeforeEach, @AfterEach or other lifecycle methods");
        assertThat(LOG).containsExactly("body: found db");
    }

    @Test
    void aMethodLevelChaosPort_isEnoughToRunTheProbes() {
        runPassing(RegisteredByTheMethod.class);
        assertThat(LOG).singleElement().asString().startsWith("samples ");
    }

    @Test
    void aProbeWithParameters_failsTheClass() {
        assertThat(onlyFailure(WithParameters.class)).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("@HealthProbe on method WithParameters.db(String): a health probe takes no parameters,"
                        + " like Probe.check(); build what it needs in @BeforeEach or a field and use that");
    }

    @Test
    void aNonPositiveInterval_failsTheClass() {
        assertThat(onlyFailure(ZeroInterval.class)).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("@HealthProbe(intervalMs = 0) on method ZeroInterval.db(): intervalMs = 0 is not positive;"
                        + " it must be 1 or more (the milliseconds between the starts of two calls; 50 unless set)");
    }

    @Test
    void twoProbesWithOneName_failTheClass() {
        assertThat(onlyFailure(DuplicateNames.class)).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("@HealthProbe(name = \"db\") on method DuplicateNames.primary() and @HealthProbe on method"
                        + " DuplicateNames.db() both declare a probe named \"db\"; give each its own name with"
                        + " @HealthProbe(name = \"...\")");
    }

    @Test
    void aNestedProbeNamedLikeAnEnclosingOne_failsTheNestedClass() {
        EngineExecutionResults results = run(NestedDuplicate.class);
        assertThat(failures(results)).singleElement().satisfies(f -> assertThat(f).hasMessageContaining(
                "@HealthProbe on method NestedDuplicate.db() and @HealthProbe on method Inner.db() both declare a probe"
                        + " named \"db\""));
        assertThat(results.testEvents().succeeded().count()).isEqualTo(1);
    }

    @Test
    void aBlankName_failsTheClass() {
        assertThat(onlyFailure(BlankName.class)).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("@HealthProbe(name = \" \") on method BlankName.db(): name = \" \" is blank; give a name,"
                        + " or leave name out to use the method's name, db");
    }

    // ------------------------------------------------------------------ fixtures

    static class ThroughAnOutage {
        @ChaosTarget("echo")
        static Supplier<InetSocketAddress> echoAddress = () -> echo.address();

        ChaosProxy proxy;

        @BeforeEach
        void connect(ChaosProxy proxy) {
            this.proxy = proxy;
            LOG.add("beforeEach: " + (probeThreadsAlive() ? "a probe thread runs" : "no probe thread"));
        }

        @HealthProbe(intervalMs = 20)
        void echo() throws IOException {
            EchoServer.roundTrip(proxy.host(), proxy.port(), "ping", 1_000);
        }

        @Test
        void outage(ChaosProxy proxy) throws Exception {
            LOG.add("body");
            Thread.sleep(300);
            ActiveFault outage = proxy.inject(FaultSpec.down());
            FAULTS.add(outage);
            Thread.sleep(400);
            outage.close();

            Duration recovery = assertThatProbe("echo").recoversWithin(Duration.ofSeconds(5));

            assertThat(recovery).isPositive();
            Thread.sleep(300);
            assertThatProbe("echo").during(outage).hasErrorRateAtLeast(0.8).failsFastWithin(Duration.ofSeconds(1));
            assertThatProbe("echo").duringFaults().hasErrorRateAtLeast(0.8);
            assertThatProbe("echo").inSteadyState().hasErrorRateAtMost(0.2)
                    .hasLatencyPercentileAtMost(50, Duration.ofSeconds(1));
            SAMPLES.addAll(ProbeRecording.named("echo").samples());
        }

        @AfterEach
        void after() {
            LOG.add("afterEach: " + (probeThreadsAlive() ? "a probe thread runs" : "no probe thread"));
        }
    }

    static class ScheduledOutages {
        @ChaosTarget("echo")
        static Supplier<InetSocketAddress> echoAddress = () -> echo.address();

        ChaosProxy proxy;

        @BeforeEach
        void connect(ChaosProxy proxy) {
            this.proxy = proxy;
        }

        @HealthProbe(intervalMs = 20)
        void echo() throws IOException {
            EchoServer.roundTrip(proxy.host(), proxy.port(), "ping", 1_000);
        }

        @Test
        @ChaosPort(target = "echo", fault = Fault.DOWN, startAfterMs = 100, durationMs = 150, repeatEveryMs = 400,
                times = 2)
        void twoOutages() {
            long bodyStart = System.nanoTime();
            // asked at once: it must wait for the second outage (400 + 150 ms after the body started) to end
            Duration recovery = assertThatProbe("echo").recoversWithin(Duration.ofSeconds(5));
            long returned = System.nanoTime();

            assertThat(recovery).isPositive();
            assertThat(Duration.ofNanos(returned - bodyStart)).isGreaterThanOrEqualTo(Duration.ofMillis(550));
            assertThat(proxy.activeFaults()).isEmpty();
            assertThatProbe("echo").duringFaults().hasErrorRateAtLeast(0.5);
            SAMPLES.addAll(ProbeRecording.named("echo").samples());
            LOG.add("recovered after the second outage, " + ms(returned - bodyStart - recovery.toNanos())
                    + " ms after the body started");
        }
    }

    static class EndlessOutages {
        @ChaosTarget("echo")
        static Supplier<InetSocketAddress> echoAddress = () -> echo.address();

        @HealthProbe(intervalMs = 20)
        void nothing() {
        }

        @Test
        @ChaosPort(target = "echo", fault = Fault.DOWN, startAfterMs = 50, durationMs = 100, repeatEveryMs = 300)
        void endless() {
            assertThatProbe("nothing").recoversWithin(Duration.ofSeconds(1));
        }
    }

    static class InterruptedWhileWaiting {
        @ChaosTarget("echo")
        static Supplier<InetSocketAddress> echoAddress = () -> echo.address();

        @HealthProbe(intervalMs = 20)
        void nothing() {
        }

        @Test
        @ChaosPort(target = "echo", fault = Fault.DOWN, startAfterMs = 50, durationMs = 2_000)
        void interrupted() {
            Thread.currentThread().interrupt();
            try {
                assertThatProbe("nothing").recoversWithin(Duration.ofSeconds(1));
            } catch (IllegalStateException e) {
                LOG.add(e.getMessage());
            }
            LOG.add("flag set: " + Thread.interrupted());
        }
    }

    static class OutageWithoutDurationNotStarted {
        @ChaosTarget("echo")
        static Supplier<InetSocketAddress> echoAddress = () -> echo.address();

        @HealthProbe(intervalMs = 20)
        void nothing() {
        }

        @Test
        @ChaosPort(target = "echo", fault = Fault.DOWN, startAfterMs = 300)
        void tooEarly() {
            assertThatProbe("nothing").recoversWithin(Duration.ofSeconds(1));
        }
    }

    static class OutageWithoutDurationActing {
        @ChaosTarget("echo")
        static Supplier<InetSocketAddress> echoAddress = () -> echo.address();

        @HealthProbe(intervalMs = 20)
        void nothing() {
        }

        @Test
        @ChaosPort(target = "echo", fault = Fault.DOWN, startAfterMs = 20)
        void whileActing(ChaosProxy proxy) {
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !proxy.activeFaults().isEmpty());
            assertThatProbe("nothing").recoversWithin(Duration.ofSeconds(1));
        }
    }

    static class ScheduleCancelledBeforeStarting {
        @ChaosTarget("echo")
        static Supplier<InetSocketAddress> echoAddress = () -> echo.address();

        @HealthProbe(intervalMs = 20)
        void nothing() {
        }

        @Test
        void cancelled(ChaosProxy proxy) {
            proxy.schedule(FaultSpec.down(), FaultSchedule.after(Duration.ofSeconds(5)).lasting(Duration.ofMillis(100)))
                    .close();
            assertThatProbe("nothing").recoversWithin(Duration.ofSeconds(1));
        }
    }

    static class StuckOnATimeout {
        @ChaosTarget("echo")
        static Supplier<InetSocketAddress> echoAddress = () -> echo.address();

        ChaosProxy proxy;

        @BeforeEach
        void connect(ChaosProxy proxy) {
            this.proxy = proxy;
        }

        /** No timeout: under TIMEOUT the read blocks until the proxy closes the connection. */
        @HealthProbe(intervalMs = 20)
        void noTimeout() throws IOException {
            EchoServer.roundTrip(proxy.host(), proxy.port(), "ping", 0);
        }

        @Test
        @ChaosPort(target = "echo", fault = Fault.TIMEOUT)
        void fails() throws InterruptedException {
            Thread.sleep(300);
            assertThat(ProbeRecording.named("noTimeout").samples()).isEmpty();
            LOG.add("stuck");
            throw new AssertionError("failed on purpose");
        }

        @AfterEach
        void after() {
            LOG.add("afterEach: " + (probeThreadsAlive() ? "a probe thread runs" : "no probe thread"));
        }
    }

    static class HangsForever {
        @ChaosTarget("echo")
        static Supplier<InetSocketAddress> echoAddress = () -> echo.address();

        @HealthProbe(intervalMs = 20)
        void forever() throws InterruptedException {
            new java.util.concurrent.CountDownLatch(1).await();
        }

        @Test
        void test() throws InterruptedException {
            Thread.sleep(50);
        }

        @AfterEach
        void after() {
            LOG.add("afterEach: " + (probeThreadsAlive() ? "a probe thread runs" : "no probe thread"));
        }
    }

    static class InterruptsItself {
        @ChaosTarget("echo")
        static Supplier<InetSocketAddress> echoAddress = () -> echo.address();

        int calls;

        @HealthProbe(intervalMs = 10)
        void probe() {
            if (++calls == 3) {
                Thread.currentThread().interrupt();
            }
        }

        @Test
        void test() throws InterruptedException {
            Thread.sleep(300);
            ProbeRecording probe = ProbeRecording.named("probe");
            LOG.add("running: " + probe.isRunning());
            SAMPLES.addAll(probe.samples());
            assertThatProbe("probe").hasErrorRateAtMost(0);
        }

        @AfterEach
        void after() {
            LOG.add("afterEach: " + (probeThreadsAlive() ? "a probe thread runs" : "no probe thread"));
        }
    }

    static class BaseWithProbe {
        @HealthProbe(intervalMs = 10)
        void inherited() {
        }
    }

    static class Enclosing extends BaseWithProbe {
        @ChaosTarget("echo")
        static Supplier<InetSocketAddress> echoAddress = () -> echo.address();

        @HealthProbe(intervalMs = 10)
        static void outer() {
        }

        @Test
        void test() {
            LOG.add("outer probes " + names());
        }

        static List<String> names() {
            return List.of("inherited", "outer", "renamed").stream().filter(name -> {
                try {
                    assertThatProbe(name);
                    return true;
                } catch (IllegalArgumentException unknown) {
                    return false;
                }
            }).collect(java.util.stream.Collectors.toList());
        }

        @Nested
        class Inner {
            @HealthProbe(name = "renamed", intervalMs = 10)
            private void inner() {
            }

            @Test
            void test() {
                LOG.add("inner probes " + names());
            }
        }
    }

    static class StartedInCode {
        @ChaosTarget("echo")
        static Supplier<InetSocketAddress> echoAddress = () -> echo.address();

        @Test
        void test() {
            ProbeRecording recording = ProbeRecording.start("inCode", Duration.ofMillis(10), () -> { });
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> ProbeRecording.start("inCode", Duration.ofMillis(10), () -> { }))
                    .withMessage("this test already has a probe named \"inCode\"; give each probe its own name");
            ProbeRecordingTests.awaitSamples(recording, 2);
            LOG.add("found by name: " + (ProbeRecording.named("inCode").samples().size() >= 2));
            LOG.add("running at the end of the body: " + recording.isRunning());
        }

        @AfterEach
        void after() {
            LOG.add("afterEach: " + (probeThreadsAlive() ? "a probe thread runs" : "no probe thread"));
        }
    }

    static class UnknownName {
        @ChaosTarget("echo")
        static Supplier<InetSocketAddress> echoAddress = () -> echo.address();

        @HealthProbe
        void db() {
        }

        @HealthProbe
        void cache() {
        }

        @Test
        void test() {
            assertThatProbe("orders");
        }
    }

    static class NotRegistered {
        @HealthProbe(intervalMs = 5)
        void db() {
            LOG.add("called");
        }

        @Test
        void test() throws InterruptedException {
            Thread.sleep(50);
            assertThatProbe("db");
        }
    }

    static class LookupInAfterEach {
        @ChaosTarget("echo")
        static Supplier<InetSocketAddress> echoAddress = () -> echo.address();

        @HealthProbe(intervalMs = 10)
        void db() {
        }

        @Test
        void test() {
            LOG.add("body: found " + ProbeRecording.named("db").name());
        }

        @AfterEach
        void after() {
            assertThatProbe("db");
        }
    }

    static class RegisteredByTheMethod {
        @HealthProbe(intervalMs = 5)
        void db() {
        }

        @Test
        @ChaosPort(port = 5989, fault = Fault.DOWN)
        void test() {
            ProbeRecordingTests.awaitSamples(ProbeRecording.named("db"), 2);
            LOG.add("samples " + ProbeRecording.named("db").samples().size());
        }
    }

    static class WithParameters {
        @ChaosTarget("echo")
        static Supplier<InetSocketAddress> echoAddress = () -> echo.address();

        @HealthProbe
        void db(String query) {
        }

        @Test
        void test() {
        }
    }

    static class ZeroInterval {
        @ChaosTarget("echo")
        static Supplier<InetSocketAddress> echoAddress = () -> echo.address();

        @HealthProbe(intervalMs = 0)
        void db() {
        }

        @Test
        void test() {
        }
    }

    static class DuplicateNames {
        @ChaosTarget("echo")
        static Supplier<InetSocketAddress> echoAddress = () -> echo.address();

        @HealthProbe(name = "db")
        void primary() {
        }

        @HealthProbe
        void db() {
        }

        @Test
        void test() {
        }
    }

    static class BlankName {
        @ChaosTarget("echo")
        static Supplier<InetSocketAddress> echoAddress = () -> echo.address();

        @HealthProbe(name = " ")
        void db() {
        }

        @Test
        void test() {
        }
    }

    static class NestedDuplicate {
        @ChaosTarget("echo")
        static Supplier<InetSocketAddress> echoAddress = () -> echo.address();

        @HealthProbe
        void db() {
        }

        @Test
        void outer() {
        }

        @Nested
        class Inner {
            @HealthProbe
            void db() {
            }

            @Test
            void inner() {
            }
        }
    }
}
