package dev.chaosjunit;

import static dev.chaosjunit.ScheduledFaultTests.attempt;
import static dev.chaosjunit.ScheduledFaultTests.sleepUntil;
import static dev.chaosjunit.TestKit.onlyFailure;
import static dev.chaosjunit.TestKit.runPassing;
import static java.time.Duration.ofMillis;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import dev.chaosjunit.internal.report.TestTimeline;

/** {@code @ChaosPort} with a schedule, and schedules started in code, run through the Jupiter engine. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ScheduledChaosPortTests {

    static final Queue<String> LOG = new ConcurrentLinkedQueue<>();
    static final Queue<Integer> PROXY_PORTS = new ConcurrentLinkedQueue<>();
    static final Queue<ScheduledFault> SCHEDULES = new ConcurrentLinkedQueue<>();
    static final Queue<String> PROXY_NAMES = new ConcurrentLinkedQueue<>();
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
        PROXY_PORTS.clear();
        SCHEDULES.clear();
        PROXY_NAMES.clear();
    }

    /** The fixture's proxies are closed and their ports free, and no schedule is left: no fault, no thread. */
    private static void assertNothingLeft() {
        assertThat(PROXY_PORTS).isNotEmpty();
        PROXY_PORTS.stream().distinct().forEach(TestKit::assertReleased);
        assertThat(SCHEDULES).isNotEmpty().allSatisfy(schedule -> {
            assertThat(schedule.isDone()).as("%s is done", schedule).isTrue();
            assertThat(schedule.occurrences()).allMatch(ActiveFault::isHealed);
        });
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.isAlive()
                && PROXY_NAMES.stream().anyMatch(name -> t.getName().equals("chaos-junit-schedule-" + name)));
    }

    /** Records the schedules of the running test, as the extension registered them in its timeline. */
    private static void recordSchedules(ChaosProxy proxy) {
        PROXY_PORTS.add(proxy.port());
        PROXY_NAMES.add(proxy.name());
        SCHEDULES.addAll(TestTimeline.current().schedules());
    }

    @Test
    void anAnnotatedSchedule_actsDuringTheBody_fromItsStartAfterForItsDuration() {
        runPassing(DownFromTwoHundredForThreeHundred.class);
        assertThat(LOG).containsExactly("schedule DOWN after 200 ms, lasting 300 ms", "100 ms echo",
                "350 ms refused", "700 ms echo");
        assertThat(SCHEDULES).singleElement().satisfies(s -> assertThat(s.isCancelled()).as("ran to its end").isFalse());
        assertNothingLeft();
    }

    @Test
    void twoFaultsOnOnePort_whoseSchedulesNeverMeet_actOneAfterTheOther() {
        runPassing(OutageThenSlowness.class);
        assertThat(LOG).containsExactly("100 ms refused", "350 ms faults [LATENCY(150 ms, DOWNSTREAM)]",
                "350 ms echo after 150 ms or more", "800 ms faults []",
                "schedules [DOWN 1 true, LATENCY(150 ms, DOWNSTREAM) 1 true]");
        assertNothingLeft();
    }

    @Test
    void twoFaultsOnOnePort_whoseSchedulesMeet_areRejected_sayingWhen() {
        Throwable failure = onlyFailure(SchedulesThatMeet.class);
        assertThat(failure).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("both inject a fault into target 'echo' in overlapping directions"
                        + " (the whole port and DOWNSTREAM) and at the same time (both act from 200 ms after the body"
                        + " starts); keep only one of them");
    }

    @Test
    void aFailingTestBody_cancelsItsSchedule_andLeavesNoFaultThreadOrPort() {
        Throwable failure = onlyFailure(FailsWhileScheduled.class);
        assertThat(failure).isInstanceOf(AssertionError.class).hasMessage("failed on purpose");
        assertThat(LOG).containsExactly("acting [DOWN]");
        assertThat(SCHEDULES).singleElement().satisfies(s -> {
            assertThat(s.schedule()).isEqualTo(FaultSchedule.immediately().lasting(ofMillis(200)).every(ofMillis(300)));
            assertThat(s.isCancelled()).as("cancelled by the end of the body").isTrue();
        });
        assertNothingLeft();
    }

    @Test
    void aClassLevelSchedule_startsAgainWithEachTestBody() {
        runPassing(ClassLevelSchedule.class);
        assertThat(LOG).containsExactly("first: 50 ms echo", "first: 300 ms refused", "second: 50 ms echo",
                "second: 300 ms refused");
        assertThat(SCHEDULES).hasSize(2).doesNotHaveDuplicates();
        assertNothingLeft();
    }

    @Test
    void repetitions_andTimes_fromTheAnnotation() {
        runPassing(RepeatedOutages.class);
        assertThat(SCHEDULES).singleElement().satisfies(s -> {
            assertThat(s.occurrences()).hasSize(2);
            assertThat(s.occurrences().get(1).startedAtNanos() - s.occurrences().get(0).startedAtNanos())
                    .as("start to start").isBetween(ofMillis(500 - 150).toNanos(), ofMillis(500 + 150).toNanos());
        });
        // down from 0 to 200 ms and from 500 to 700 ms; no third time at 1000 ms
        assertThat(LOG).containsExactly("50 ms refused", "300 ms echo", "550 ms refused", "850 ms echo",
                "1100 ms echo");
        assertNothingLeft();
    }

    @Test
    void aScheduleStartedInCode_isRegisteredWithTheTest_andCancelledWhenTheBodyEnds() {
        runPassing(ForgottenCodeSchedule.class);
        assertThat(LOG).containsExactly("registered true", "afterEach startsAndForgets [] done true",
                "next test [] 0 new occurrences", "afterEach next [] done true");
        assertNothingLeft();
    }

    @Test
    void aFailingTestWithARepeatedRandomFault_namesItOnceInTheReplayHint() {
        Throwable failure = onlyFailure(FailsUnderRepeatedJitter.class);
        assertThat(failure).hasMessage("failed under repeated jitter");
        assertThat(SCHEDULES).singleElement().satisfies(s -> assertThat(s.occurrences()).hasSizeGreaterThan(1));
        assertThat(failure.getSuppressed()).singleElement().satisfies(hint -> assertThat(hint.getMessage())
                .isEqualTo("this test failed with random faults: LATENCY(20 ms ± 10 ms, DOWNSTREAM, seed=42)."
                        + " Replay their random choices with -Dchaos.seed=42 (or seed = 42 on the @ChaosPort,"
                        + " FaultSpec.seed(42) in code)"));
        assertNothingLeft();
    }

    // ------------------------------------------------------------------ fixtures

    static class FailsUnderRepeatedJitter {
        @ChaosTarget("echo")
        static int echoPort() {
            return echo.port();
        }

        @Test
        @ChaosPort(target = "echo", fault = Fault.LATENCY, ms = 20, jitterMs = 10, seed = 42, durationMs = 50,
                repeatEveryMs = 100)
        void body(ChaosProxy proxy) throws InterruptedException {
            recordSchedules(proxy);
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> SCHEDULES.peek().occurrences().size() >= 2);
            throw new AssertionError("failed under repeated jitter");
        }
    }

    static class DownFromTwoHundredForThreeHundred {
        @ChaosTarget("echo")
        static int echoPort() {
            return echo.port();
        }

        @Test
        @ChaosPort(target = "echo", fault = Fault.DOWN, startAfterMs = 200, durationMs = 300)
        void body(ChaosProxy proxy) throws Exception {
            long start = System.nanoTime();
            recordSchedules(proxy);
            SCHEDULES.forEach(s -> LOG.add("schedule " + s.spec() + " " + s.schedule()));
            for (long at : new long[] {100, 350, 700}) {
                sleepUntil(start, at);
                LOG.add(at + " ms " + attempt(proxy));
            }
        }
    }

    static class OutageThenSlowness {
        @ChaosTarget("echo")
        static int echoPort() {
            return echo.port();
        }

        @Test
        @ChaosPort(target = "echo", fault = Fault.DOWN, durationMs = 300)
        @ChaosPort(target = "echo", fault = Fault.LATENCY, ms = 150, startAfterMs = 300, durationMs = 300)
        void body(ChaosProxy proxy) throws Exception {
            long start = System.nanoTime();
            recordSchedules(proxy);
            sleepUntil(start, 100);
            LOG.add("100 ms " + attempt(proxy));
            // slow from 300 to 600 ms: a round trip started at 350 ms is delayed the whole 150 ms
            sleepUntil(start, 350);
            LOG.add("350 ms faults " + ChaosExtensionTests.faults(proxy));
            long before = System.nanoTime();
            String echoed = attempt(proxy);
            long took = System.nanoTime() - before;
            LOG.add("350 ms " + echoed + (took >= ofMillis(150).toNanos() ? " after 150 ms or more"
                    : " too fast: " + took / 1_000_000 + " ms"));
            sleepUntil(start, 800);
            LOG.add("800 ms faults " + ChaosExtensionTests.faults(proxy));
            // the annotations' schedules, for during(fault) and after(fault)
            List<ScheduledFault> schedules = proxy.schedules();
            LOG.add("schedules " + schedules.stream().map(s -> s.spec() + " " + s.occurrences().size() + " "
                    + s.occurrences().stream().allMatch(ActiveFault::isHealed)).collect(Collectors.toList()));
        }
    }

    static class SchedulesThatMeet {
        @ChaosTarget("echo")
        static int echoPort() {
            return echo.port();
        }

        @Test
        @ChaosPort(target = "echo", fault = Fault.DOWN, durationMs = 300)
        @ChaosPort(target = "echo", fault = Fault.LATENCY, ms = 150, startAfterMs = 200, durationMs = 300)
        void body() {
        }
    }

    static class FailsWhileScheduled {
        @ChaosTarget("echo")
        static int echoPort() {
            return echo.port();
        }

        @Test
        @ChaosPort(target = "echo", fault = Fault.DOWN, durationMs = 200, repeatEveryMs = 300)
        void body(ChaosProxy proxy) {
            recordSchedules(proxy);
            LOG.add("acting " + ChaosExtensionTests.faults(proxy));
            throw new AssertionError("failed on purpose");
        }
    }

    @ChaosPort(target = "echo", fault = Fault.DOWN, startAfterMs = 150, durationMs = 300)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class ClassLevelSchedule {
        @ChaosTarget("echo")
        static int echoPort() {
            return echo.port();
        }

        @Test
        @Order(1)
        void first(ChaosProxy proxy) throws Exception {
            probe("first", proxy);
        }

        @Test
        @Order(2)
        void second(ChaosProxy proxy) throws Exception {
            probe("second", proxy);
        }

        private static void probe(String test, ChaosProxy proxy) throws Exception {
            long start = System.nanoTime();
            recordSchedules(proxy);
            sleepUntil(start, 50);
            LOG.add(test + ": 50 ms " + attempt(proxy));
            sleepUntil(start, 300);
            LOG.add(test + ": 300 ms " + attempt(proxy));
        }
    }

    static class RepeatedOutages {
        @ChaosTarget("echo")
        static int echoPort() {
            return echo.port();
        }

        @Test
        @ChaosPort(target = "echo", fault = Fault.DOWN, durationMs = 200, repeatEveryMs = 500, times = 2)
        void body(ChaosProxy proxy) throws Exception {
            long start = System.nanoTime();
            recordSchedules(proxy);
            for (long at : new long[] {50, 300, 550, 850, 1100}) {
                sleepUntil(start, at);
                LOG.add(at + " ms " + attempt(proxy));
            }
        }
    }

    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class ForgottenCodeSchedule {
        /** A field: the proxy is the class's, shared by both tests. */
        @ChaosTarget("echo")
        static int echoPort = echo.port();

        @AfterEach
        void after(ChaosProxy proxy, TestInfo test) {
            LOG.add("afterEach " + test.getTestMethod().orElseThrow().getName() + " "
                    + ChaosExtensionTests.faults(proxy) + " done " + SCHEDULES.peek().isDone());
        }

        @Test
        @Order(1)
        void startsAndForgets(ChaosProxy proxy) {
            PROXY_PORTS.add(proxy.port());
            PROXY_NAMES.add(proxy.name());
            ScheduledFault outages = proxy.schedule(FaultSpec.down(),
                    FaultSchedule.immediately().lasting(ofMillis(100)).every(ofMillis(150)));
            SCHEDULES.add(outages);
            LOG.add("registered " + TestTimeline.current().schedules().contains(outages));
        }

        @Test
        @Order(2)
        void next(ChaosProxy proxy) throws InterruptedException {
            int before = SCHEDULES.peek().occurrences().size();
            Thread.sleep(400);
            LOG.add("next test " + ChaosExtensionTests.faults(proxy) + " "
                    + (SCHEDULES.peek().occurrences().size() - before) + " new occurrences");
        }
    }
}
