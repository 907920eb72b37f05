package dev.chaosjunit;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

import dev.chaosjunit.internal.probe.ProbeLoop;
import dev.chaosjunit.internal.report.TestTimeline;

/**
 * A health check called in the background at a fixed interval, recording every call: when it
 * started, how long it took, whether it succeeded and what it threw. Assert over the recording
 * with {@link ChaosAssertions#assertThatProbe(ProbeRecording)}.
 *
 * <pre>{@code
 * @Test
 * void ordersStayAvailable(@ProxyFor(port = 5432) ChaosProxy db) throws InterruptedException {
 *     ProbeRecording orders = ProbeRecording.start("orders", Duration.ofMillis(50), () -> client.listOrders());
 *     ActiveFault outage = db.inject(FaultSpec.down());
 *     Thread.sleep(1_000);
 *     outage.close();
 *     assertThatProbe(orders).recoversWithin(Duration.ofSeconds(2));
 *     assertThatProbe(orders).duringFaults().hasErrorRateAtLeast(0.9).failsFastWithin(Duration.ofSeconds(1));
 * }   // in a chaos test the recording stops with the test; elsewhere, close it
 * }</pre>
 *
 * <p><b>Threads and schedule.</b> Each recording has one daemon thread,
 * {@code chaos-junit-probe-<name>}. Call {@code k} is due at {@code start + k * interval}; a call
 * that takes longer than the interval delays the next one, which then starts right after it;
 * the calls that were due meanwhile are skipped, not made in a burst. The first call starts at once.
 *
 * <p><b>In a chaos test</b> (a test that chaos-junit runs), the recording belongs to the test:
 * it shows in the report, the faults of the test define the windows of
 * {@link ProbeAssert#duringFaults()} and {@link ProbeAssert#inSteadyState()},
 * {@code assertThatProbe(name)} finds it, and it is stopped when the test method ends, like a
 * {@link HealthProbe}. Names are unique within a test. Outside a chaos test it runs until it is
 * closed.
 *
 * <p><b>Which test.</b> Started on the test's own thread, or on a thread chaos-junit runs for the
 * test (a {@link HealthProbe}'s), it belongs to that test. Started on any other thread (a pool's,
 * Awaitility's, a {@code CompletableFuture}'s, one the test started), it belongs to the chaos test
 * running at that moment when tests run one at a time, the usual case. When JUnit runs tests in
 * parallel ({@code junit.jupiter.execution.parallel.enabled=true}) such a thread cannot tell which
 * test it serves (a pooled thread may run tasks of several), so the recording belongs to none, and
 * stderr says so; {@link #named(String)} and {@code assertThatProbe(name)} on such a thread fail,
 * saying why. There, start recordings and look them up on the test's own thread, and hand the
 * {@code ProbeRecording} itself to code on other threads: {@code assertThatProbe(recording)}
 * knows its test.
 *
 * <p><b>Stopping</b> ({@link #stop()}, {@link #close()}) makes no new call and waits for a call in
 * flight, 2 s at most. A call still running then is recorded as hung (see
 * {@link ProbeAssert#failsFastWithin(Duration)}), its thread is interrupted, and stderr says so.
 * Only stopping ends a recording: a call that leaves its thread's interrupt flag set, or throws
 * {@link InterruptedException} (recorded as a failed call), does not; the flag is cleared after
 * each call and the next call comes on schedule.
 */
public final class ProbeRecording implements AutoCloseable {

    private final ProbeLoop loop;

    private ProbeRecording(ProbeLoop loop) {
        this.loop = loop;
    }

    /**
     * Starts calling {@code probe} every {@code interval} on a new daemon thread.
     *
     * @param name names the probe in messages, the report and its thread; unique within a test
     * @param interval between the starts of two calls; at least 1 ms, like {@link HealthProbe#intervalMs()}
     * @throws IllegalArgumentException if {@code name} is blank or already names a probe of the
     *         running test, or {@code interval} is shorter than 1 ms
     */
    public static ProbeRecording start(String name, Duration interval, Probe probe) {
        return new ProbeRecording(ProbeLoop.start(name, interval, probe));
    }

    /**
     * The probe named {@code name} of the running chaos test (the test whose thread this is; on
     * another thread, see "Which test" above): a {@link HealthProbe} or a recording the test
     * started. For its {@link #samples()}; to assert, use
     * {@link ChaosAssertions#assertThatProbe(String)}.
     *
     * @throws IllegalStateException if no chaos test is running: probes are found only while the
     *         test method body runs (not in {@code @BeforeEach} or {@code @AfterEach}), in a class
     *         where chaos-junit is registered (a {@link ChaosPort} on the class or the test method, a
     *         {@link ChaosTarget} field, or a {@link ProxyFor} parameter); or if chaos tests run in
     *         parallel and this thread is not the test's own
     * @throws IllegalArgumentException if the test has no probe of that name, listing the ones it has
     */
    public static ProbeRecording named(String name) {
        Objects.requireNonNull(name, "name");
        TestTimeline timeline = TestTimeline.current();
        if (timeline == null) {
            List<String> parallel = TestTimeline.runningInParallel();
            if (!parallel.isEmpty()) {
                throw new IllegalStateException("the probe \"" + name + "\" is looked up in the running chaos test,"
                        + " and chaos tests run in parallel (" + String.join(", ", parallel) + ") while this thread, "
                        + Thread.currentThread().getName() + ", belongs to none of them, so which test is meant is"
                        + " not known. Look the probe up on the test's own thread, or hand the ProbeRecording to"
                        + " this code (ProbeRecording.named(\"" + name + "\") on the test's thread) and use"
                        + " assertThatProbe(recording)");
            }
            // From here we cannot tell a lifecycle method of a chaos test from a class without chaos-junit: say both.
            throw new IllegalStateException("the probe \"" + name + "\" is looked up in the running chaos test,"
                    + " and there is none. Probes are found by name only while the test method"
                    + " body runs (not in @BeforeEach, @AfterEach or other lifecycle methods), and only in test classes where chaos-junit is registered: by a @ChaosPort on the class"
                    + " or the test method, a @ChaosTarget field, or a @ProxyFor parameter (a ChaosProxy parameter"
                    + " alone does not register it). Elsewhere, keep the ProbeRecording you started and pass it to"
                    + " assertThatProbe(recording)");
        }
        List<ProbeLoop> probes = timeline.probes();
        return probes.stream().filter(p -> p.name().equals(name)).findFirst()
                .map(ProbeRecording::of)
                .orElseThrow(() -> new IllegalArgumentException("this test has no probe named \"" + name + "\"; "
                        + (probes.isEmpty()
                                ? "it has none: declare one with @HealthProbe on a method of the test class, or start"
                                        + " one with ProbeRecording.start(name, interval, probe)"
                                : "it has " + probes.stream().map(p -> "\"" + p.name() + "\"")
                                        .collect(Collectors.joining(", ")))));
    }

    /** A view of a loop that is already running, such as a {@link HealthProbe}'s. */
    static ProbeRecording of(ProbeLoop loop) {
        return new ProbeRecording(Objects.requireNonNull(loop, "loop"));
    }

    ProbeLoop loop() {
        return loop;
    }

    /** The probe's name. */
    public String name() {
        return loop.name();
    }

    /** The time between the starts of two calls. */
    public Duration interval() {
        return loop.interval();
    }

    /** The calls made so far that have returned or thrown, in start order; a copy. */
    public List<ProbeSample> samples() {
        return loop.samples();
    }

    /** Whether new calls are still made: true until the recording is stopped. */
    public boolean isRunning() {
        return loop.isRunning();
    }

    /**
     * Makes no new call, and waits (2 s at most) for the call in flight. Does nothing if already
     * stopped.
     */
    public void stop() {
        loop.stop(ProbeLoop.STOP_WAIT);
    }

    /** As {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "ProbeRecording " + loop;
    }
}
