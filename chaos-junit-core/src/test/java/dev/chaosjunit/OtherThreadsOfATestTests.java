package dev.chaosjunit;

import static dev.chaosjunit.ChaosAssertions.assertThatEveryCall;
import static dev.chaosjunit.ChaosAssertions.assertThatProbe;
import static dev.chaosjunit.TestKit.chaosEntry;
import static dev.chaosjunit.TestKit.failures;
import static dev.chaosjunit.TestKit.runInParallel;
import static dev.chaosjunit.TestKit.runPassing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * Which test a thread other than the test's own works for: a pooled thread serves whichever test
 * runs now when tests run one at a time, and no test when they run in parallel, never the test
 * that happened to create it.
 */
class OtherThreadsOfATestTests {

    static final Map<String, Object> SEEN = new ConcurrentHashMap<>();

    @BeforeEach
    void clear() {
        SEEN.clear();
    }

    // ------------------------------------------------------------------ tests

    @Test
    void aPooledThreadCreatedInOneTest_worksForTheNextTest_whenTestsRunOneAtATime() {
        EngineExecutionResults results = runPassing(APoolAcrossTests.class);

        assertThat(results.testEvents().succeeded().count()).isEqualTo(2);
        // the verdict of the assertion made on the pool's thread is in each test's own report
        for (String test : new String[] {"first()", "second()"}) {
            assertThat(chaosEntry(results, test).get("chaos.slo")).as(test)
                    .matches("ping: error rate <= 0%, was 0% \\(0 of \\d+ calls? failed\\) PASSED");
        }
        // the recording started on the pool's thread joined the second test and was stopped with it
        assertThat(chaosEntry(results, "second()").get("chaos.probes")).contains("probe side: ");
        assertThat(((ProbeRecording) SEEN.get("side")).isRunning()).isFalse();
        ProbeRecordingTests.assertNoProbeThread("side");
    }

    @Test
    void aPooledThreadCreatedByAnotherTestRunningInParallel_worksForNoTest_andTheLookupByNameSaysWhy() {
        AtomicReference<EngineExecutionResults> run = new AtomicReference<>();
        String stderr = ProbeRecordingTests.stderrOf(() -> run.set(runInParallel(APoolInParallelTests.class)));
        EngineExecutionResults results = run.get();

        assertThat(failures(results)).isEmpty();
        assertThat(results.testEvents().succeeded().count()).isEqualTo(2);
        String testA = "OtherThreadsOfATestTests.APoolInParallelTests.a";
        String testB = "OtherThreadsOfATestTests.APoolInParallelTests.b";
        // b's look-up on the thread a created does not find a's probe
        assertThat(SEEN.get("look-up on the pool")).asString()
                .startsWith("the probe \"ping\" is looked up in the running chaos test, and chaos tests run in parallel ("
                        + testA + ", " + testB + ") while this thread, pool-")
                .endsWith(", belongs to none of them, so which test is meant is not known. Look the probe up on the"
                        + " test's own thread, or hand the ProbeRecording to this code (ProbeRecording.named(\"ping\")"
                        + " on the test's thread) and use assertThatProbe(recording)");
        // b's verdicts are in b's report, not in a's
        assertThat(chaosEntry(results, "a()").get("chaos.slo")).startsWith("ping: error rate <= 0%")
                .doesNotContain("every call fails", "mine");
        assertThat(chaosEntry(results, "b()").get("chaos.slo")).contains("ping: error rate <= 0%",
                "mine: error rate <= 0%");
        // the recording started on the pool's thread joined neither test, and said so
        assertThat(chaosEntry(results, "a()").get("chaos.probes")).doesNotContain("side");
        assertThat(chaosEntry(results, "b()").get("chaos.probes")).doesNotContain("side");
        assertThat(stderr).contains("[chaos] probe \"side\" was started on pool-", ", a thread that belongs to none of"
                + " the chaos tests running in parallel (" + testA + ", " + testB + "), so it joins none of them: it is"
                + " not in the report and runs until it is closed. Start it on the test's own thread to make it the"
                + " test's.");
        ProbeRecordingTests.assertNoProbeThread("side");
    }

    // ------------------------------------------------------------------ fixtures

    /** Test 1 makes the pool create its one thread; test 2 uses that thread. */
    @TestMethodOrder(MethodOrderer.MethodName.class)
    static class APoolAcrossTests {
        /** Registers chaos-junit; no proxy is made for it. */
        @ChaosTarget("nothing")
        static int port = 5988;

        static ExecutorService pool;

        @BeforeAll
        static void createPool() {
            pool = Executors.newSingleThreadExecutor();
        }

        @AfterAll
        static void shutDownPool() {
            pool.shutdownNow();
        }

        @HealthProbe(intervalMs = 10)
        void ping() {
        }

        @Test
        void first() throws Exception {
            lookUpOnThePool();
        }

        @Test
        void second() throws Exception {
            lookUpOnThePool();

            ProbeRecording side = pool.submit(() -> ProbeRecording.start("side", Duration.ofMillis(10), () -> { }))
                    .get(10, TimeUnit.SECONDS);
            SEEN.put("side", side);
            assertThat(ProbeRecording.named("side").isRunning()).as("found by name on the test's thread").isTrue();
        }

        private static void lookUpOnThePool() throws Exception {
            ProbeRecording ping = ProbeRecording.named("ping");
            ProbeRecordingTests.awaitSamples(ping, 1);
            long firstCall = ping.samples().get(0).startedAtNanos();

            long firstCallSeenOnThePool = pool.submit(() -> {
                assertThatProbe("ping").hasErrorRateAtMost(0);
                return ProbeRecording.named("ping").samples().get(0).startedAtNanos();
            }).get(10, TimeUnit.SECONDS);

            assertThat(firstCallSeenOnThePool).as("the first call of the probe found on the pool").isEqualTo(firstCall);
        }
    }

    /**
     * Run in parallel: a makes the pool create its one thread and keeps running until b, which
     * waits for that, has used the thread.
     */
    static class APoolInParallelTests {
        /** Registers chaos-junit; no proxy is made for it, so the tests do not take turns. */
        @ChaosTarget("nothing")
        static int port = 5988;

        static ExecutorService pool;
        static CountDownLatch poolThreadCreated;
        static CountDownLatch bDone;

        @BeforeAll
        static void createPool() {
            pool = Executors.newSingleThreadExecutor();
            poolThreadCreated = new CountDownLatch(1);
            bDone = new CountDownLatch(1);
        }

        @AfterAll
        static void shutDownPool() {
            pool.shutdownNow();
        }

        @HealthProbe(intervalMs = 10)
        void ping() {
        }

        @Test
        void a() throws Exception {
            pool.submit(() -> { }).get(10, TimeUnit.SECONDS);
            poolThreadCreated.countDown();
            assertThat(bDone.await(10, TimeUnit.SECONDS)).as("b ran while a did").isTrue();

            ProbeRecordingTests.awaitSamples(ProbeRecording.named("ping"), 1);
            assertThatProbe("ping").hasErrorRateAtMost(0);
        }

        @Test
        void b() throws Exception {
            ProbeRecording side = null;
            try {
                assertThat(poolThreadCreated.await(10, TimeUnit.SECONDS)).as("a ran while b did").isTrue();

                SEEN.put("look-up on the pool", pool.submit(() -> {
                    try {
                        return "found " + ProbeRecording.named("ping");
                    } catch (IllegalStateException e) {
                        return e.getMessage();
                    }
                }).get(10, TimeUnit.SECONDS));
                side = pool.submit(() -> ProbeRecording.start("side", Duration.ofMillis(10), () -> { }))
                        .get(10, TimeUnit.SECONDS);
                pool.submit(() -> assertThatEveryCall(() -> {
                    throw new IOException("down");
                }).attempts(1).failsWithin(Duration.ofSeconds(5))).get(10, TimeUnit.SECONDS);

                // what works in parallel: the test's own thread, and a ProbeRecording handed to the pool
                ProbeRecording mine = ProbeRecording.start("mine", Duration.ofMillis(10), () -> { });
                ProbeRecordingTests.awaitSamples(mine, 1);
                pool.submit(() -> assertThatProbe(mine).hasErrorRateAtMost(0)).get(10, TimeUnit.SECONDS);
                ProbeRecordingTests.awaitSamples(ProbeRecording.named("ping"), 1);
                assertThatProbe("ping").hasErrorRateAtMost(0);
                ProbeRecording started = side;
                assertThatIllegalArgumentException().isThrownBy(() -> ProbeRecording.named(started.name()));
            } finally {
                bDone.countDown();
                if (side != null) {
                    side.close();
                }
            }
        }
    }
}
