package dev.chaosjunit;

import static dev.chaosjunit.TestKit.chaosEntry;
import static dev.chaosjunit.TestKit.failures;
import static dev.chaosjunit.TestKit.run;
import static dev.chaosjunit.TestKit.runInParallel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * Chaos tests that JUnit runs in parallel: those that share a proxy take turns on it, those with
 * proxies of their own run at the same time.
 */
class ParallelExecutionTests {

    static final Map<String, Object> SEEN = new ConcurrentHashMap<>();
    static final Queue<String> LOG = new ConcurrentLinkedQueue<>();
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
        SEEN.clear();
        LOG.clear();
    }

    /**
     * Where two tests meet if their bodies run at the same time. Both tests are created together
     * (see the fixtures' constructors), so without turns both bodies run at once and both meet.
     */
    static final class Meeting {

        private int inBody;

        /** Enters a body, and waits 1 s at most for the other test to be in its body too. */
        synchronized boolean enterAndMeetTheOther() throws InterruptedException {
            inBody++;
            notifyAll();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            while (inBody < 2) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return true;
        }

        synchronized void leave() {
            inBody--;
        }
    }

    // ------------------------------------------------------------------ tests

    @Test
    void twoTestsOnOneClassWideProxy_takeTurns_soNeitherUndoesTheOthersFaults() {
        EngineExecutionResults results = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> runInParallel(TwoTestsOnOneClassWideProxy.class));

        assertThat(failures(results)).isEmpty();
        assertThat(results.testEvents().succeeded().count()).isEqualTo(2);
        assertThat(SEEN).containsEntry("a met b", false).containsEntry("b met a", false);
        // b's end no longer cancels a's schedule
        assertThat(SEEN).containsEntry("occurrences of a's schedule", 3);
        // each timeline shows its own faults only
        assertThat(chaosEntry(results, "a(ChaosProxy)").get("chaos.faults")).contains("DOWN on ")
                .doesNotContain("LATENCY");
        assertThat(chaosEntry(results, "b(ChaosProxy)").get("chaos.faults")).contains("LATENCY(")
                .doesNotContain("DOWN on ");
    }

    @Test
    void twoTestsWithProxiesOfTheirOwn_runAtTheSameTime() {
        EngineExecutionResults results = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> runInParallel(TwoTestsWithProxiesOfTheirOwn.class));

        assertThat(failures(results)).isEmpty();
        assertThat(results.testEvents().succeeded().count()).isEqualTo(2);
        assertThat(SEEN.get("a's proxy")).isNotEqualTo(SEEN.get("b's proxy"));
    }

    @Test
    void aTestWhoseBeforeEachFails_givesBackItsTurn_soTheNextTestOnTheProxyRuns() {
        EngineExecutionResults results = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> run(BeforeEachFailsAfterTheTurnIsTaken.class));

        assertThat(failures(results)).singleElement().satisfies(f -> assertThat(f)
                .hasMessage("a beforeEach callback after chaos-junit's failed on purpose"));
        assertThat(LOG).containsExactly("afterEach callbacks ran after the failed beforeEach", "b ran");
    }

    // ------------------------------------------------------------------ fixtures

    /**
     * a schedules three outages on the class-wide proxy; b injects latency on the same proxy
     * and ends while a's schedule would still run.
     */
    static class TwoTestsOnOneClassWideProxy {
        static CountDownLatch created;
        static Meeting meeting;

        @ChaosTarget("echo")
        static Supplier<InetSocketAddress> echoAddress = () -> echo.address();

        @BeforeAll
        static void latches() {
            created = new CountDownLatch(2);
            meeting = new Meeting();
        }

        TwoTestsOnOneClassWideProxy() throws InterruptedException {
            // before any callback: both tests are under way before either can take its turn
            created.countDown();
            assertThat(created.await(10, TimeUnit.SECONDS)).as("both tests started together").isTrue();
        }

        /** The proxy is first created here or by b's @ChaosPort, whichever comes first. */
        @Test
        void a(ChaosProxy proxy) throws Exception {
            try {
                SEEN.put("a met b", meeting.enterAndMeetTheOther());
                try (ScheduledFault outages = proxy.schedule(FaultSpec.down(), FaultSchedule.immediately()
                        .lasting(Duration.ofMillis(50)).every(Duration.ofMillis(150)).times(3))) {
                    assertThat(outages.awaitDone(Duration.ofSeconds(10))).isTrue();
                    SEEN.put("occurrences of a's schedule", outages.occurrences().size());
                }
            } finally {
                meeting.leave();
            }
        }

        @Test
        @ChaosPort(target = "echo", fault = Fault.LATENCY, ms = 10)
        void b(ChaosProxy proxy) throws Exception {
            try {
                SEEN.put("b met a", meeting.enterAndMeetTheOther());
                assertThat(EchoServer.roundTrip(proxy.host(), proxy.port(), "ping", 5_000)).isEqualTo("ping");
            } finally {
                meeting.leave();
            }
        }
    }

    /** An instance target: each test has a proxy of its own. */
    static class TwoTestsWithProxiesOfTheirOwn {
        static CountDownLatch inBody;

        @BeforeAll
        static void latch() {
            inBody = new CountDownLatch(2);
        }

        @ChaosTarget("echo")
        InetSocketAddress echoAddress = echo.address();

        @Test
        @ChaosPort(target = "echo", fault = Fault.LATENCY, ms = 10)
        void a(ChaosProxy proxy) throws Exception {
            body("a", proxy);
        }

        @Test
        @ChaosPort(target = "echo", fault = Fault.LATENCY, ms = 10)
        void b(ChaosProxy proxy) throws Exception {
            body("b", proxy);
        }

        private static void body(String test, ChaosProxy proxy) throws Exception {
            SEEN.put(test + "'s proxy", proxy.port());
            inBody.countDown();
            assertThat(inBody.await(10, TimeUnit.SECONDS)).as("the other test ran at the same time").isTrue();
            assertThat(EchoServer.roundTrip(proxy.host(), proxy.port(), "ping", 5_000)).isEqualTo("ping");
        }
    }

    /** Run one test at a time: a's turn on the proxy must be given back although a never starts. */
    @TestMethodOrder(MethodOrderer.MethodName.class)
    static class BeforeEachFailsAfterTheTurnIsTaken {
        @ChaosTarget("echo")
        static Supplier<InetSocketAddress> echoAddress = () -> echo.address();

        /** Method-level: registered after chaos-junit, so its beforeEach runs after chaos-junit's. */
        @Test
        @ChaosPort(target = "echo", fault = Fault.DOWN)
        @ExtendWith(FailsBeforeEach.class)
        void a() {
            LOG.add("a ran");
        }

        @Test
        @ChaosPort(target = "echo", fault = Fault.LATENCY, ms = 1)
        void b(ChaosProxy proxy) throws Exception {
            assertThat(EchoServer.roundTrip(proxy.host(), proxy.port(), "ping", 5_000)).isEqualTo("ping");
            LOG.add("b ran");
        }
    }

    static class FailsBeforeEach implements BeforeEachCallback, AfterEachCallback {

        @Override
        public void beforeEach(ExtensionContext context) {
            throw new IllegalStateException("a beforeEach callback after chaos-junit's failed on purpose");
        }

        @Override
        public void afterEach(ExtensionContext context) {
            LOG.add("afterEach callbacks ran after the failed beforeEach");
        }
    }
}
