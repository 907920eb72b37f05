package dev.chaosjunit.internal.report;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.chaosjunit.ActiveFault;
import dev.chaosjunit.FaultSpec;
import dev.chaosjunit.ChaosProxy;
import dev.chaosjunit.ScheduledFault;
import dev.chaosjunit.ProbeSample;
import dev.chaosjunit.TrafficStats;
import dev.chaosjunit.internal.probe.ProbeLoop;
import dev.chaosjunit.internal.probe.ProbeSnapshot;

/**
 * The timeline of one running test, on the {@link System#nanoTime()} clock: the proxies it uses
 * (each a {@link ProxyLane} with its faults and traffic), the background health probes that ran
 * in it ({@link ProbeLoop}), and the SLO assertions it made (recoveries and other verdicts).
 * {@link #finish} turns it into an immutable {@link TestResult}.
 *
 * <p><b>Which test a thread works for</b> ({@link #current()}), in this order:
 * <ol>
 * <li>The test's own thread (the extension makes the timeline current there around the test
 * method body) and the threads chaos-junit starts for the test (a probe's, a schedule's) know
 * their test, as long as it runs; once it has ended, such a thread works for none.</li>
 * <li>Any other thread (a pool's, Awaitility's, a {@code CompletableFuture}'s, one the test
 * started): when exactly one chaos test is running in the JVM and JUnit does not run tests in
 * parallel, that one.</li>
 * <li>Otherwise none: with {@code junit.jupiter.execution.parallel.enabled=true} any number of
 * chaos tests may be running, and a thread that is not one of theirs cannot tell which one it
 * serves: a pooled thread created by one test may run a task of another. Guessing would read and
 * record another test's data without a word, so nothing is recorded and a look-up by name
 * ({@link dev.chaosjunit.ProbeRecording#named}) fails, saying so ({@link #runningInParallel()}).
 * Whether one or several tests happen to run at that moment does not matter, so the outcome does
 * not depend on timing.</li>
 * </ol>
 * The thread that created a thread is no hint: pools create their threads in whichever test first
 * needs one. Outside a chaos test there is no timeline and recording does nothing, so the
 * assertions work without JUnit.
 */
public final class TestTimeline {

    /**
     * The test this thread works for: on the test's own thread while it runs, on a thread
     * chaos-junit started for a test for good ({@link #NO_TEST} if it was started outside one).
     */
    private static final ThreadLocal<TestTimeline> OWN = new ThreadLocal<>();
    /** The timelines of the chaos tests running in this JVM, begun and not finished. */
    private static final Set<TestTimeline> RUNNING = ConcurrentHashMap.newKeySet();
    /** Binds a thread chaos-junit started outside any chaos test: it works for none. */
    private static final TestTimeline NO_TEST = new TestTimeline("", "", 0, false);

    static {
        NO_TEST.finished.set(true);
    }

    private final String testClass;
    private final String testName;
    private final long startNanos;
    /** Whether JUnit may run other tests at the same time ({@code junit.jupiter.execution.parallel.enabled}). */
    private final boolean parallel;
    private final Map<ChaosProxy, ProxyLane> lanes = new ConcurrentHashMap<>();
    private final List<ProxyLane> laneOrder = new CopyOnWriteArrayList<>();
    private final List<TestResult.Recovery> recoveries = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<ScheduledFault> schedules = new CopyOnWriteArrayList<>();
    private final List<ProbeLoop> probes = new CopyOnWriteArrayList<>();
    private final List<TestResult.Verdict> verdicts = new CopyOnWriteArrayList<>();
    private final AtomicBoolean finished = new AtomicBoolean();
    /** What was current on the test's thread before this test, restored after it (a test kit run inside a test). */
    private TestTimeline previous;

    TestTimeline(String testClass, String testName, long startNanos, boolean parallel) {
        this.testClass = testClass;
        this.testName = testName;
        this.startNanos = startNanos;
        this.parallel = parallel;
    }

    /**
     * The timeline of the running chaos test this thread works for, or {@code null}: see the
     * class comment for the rules.
     */
    public static TestTimeline current() {
        TestTimeline own = OWN.get();
        if (own != null) {
            return own.finished.get() ? null : own;
        }
        TestTimeline only = null;
        for (TestTimeline running : RUNNING) {
            if (only != null) {
                return null;
            }
            only = running;
        }
        return only == null || only.parallel || only.finished.get() ? null : only;
    }

    /**
     * When {@link #current()} is {@code null} on this thread although chaos tests are running (they
     * run in parallel, and this thread is none of theirs): their names ({@code Class.method}),
     * for messages; otherwise empty.
     */
    public static List<String> runningInParallel() {
        if (OWN.get() != null || current() != null) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        RUNNING.forEach(t -> names.add(t.testFullName()));
        names.sort(null);
        return names;
    }

    /**
     * Makes the calling thread, one that chaos-junit started for {@code timeline}'s test (or
     * outside any test, when {@code null}), work for that test for as long as the thread lives:
     * {@link #current()} gives it while the test runs, and nothing after, never another test.
     */
    public static void bindThread(TestTimeline timeline) {
        OWN.set(timeline == null ? NO_TEST : timeline);
    }

    /** Makes this the timeline of the calling thread, the test's own, and counts it as running. */
    void makeCurrent() {
        previous = OWN.get();
        OWN.set(this);
        RUNNING.add(this);
    }

    /** Undoes {@link #makeCurrent()} on the test's thread; no longer running. Idempotent. */
    void clearCurrent() {
        RUNNING.remove(this);
        if (OWN.get() == this) {
            if (previous == null) {
                OWN.remove();
            } else {
                OWN.set(previous);
            }
        }
    }

    /**
     * Ends the timeline without a result, if {@link #finish} did not: for a test whose end was
     * never reported, so that it does not count as running forever. Idempotent.
     */
    public void abandon() {
        finished.set(true);
        clearCurrent();
    }

    /** {@code Class.method}, for messages. */
    public String testFullName() {
        return testClass + "." + testName;
    }

    /** When the test method started, as a {@link System#nanoTime()} value. */
    public long startNanos() {
        return startNanos;
    }

    /**
     * Adds a probe that started in this test; it is reported, and stopped by the extension when
     * the test method ends.
     *
     * @throws IllegalArgumentException if the test already has a probe of that name
     */
    public void addProbe(ProbeLoop probe) {
        synchronized (probes) {
            if (probe(probe.name()).isPresent()) {
                throw new IllegalArgumentException("this test already has a probe named \"" + probe.name()
                        + "\"; give each probe its own name");
            }
            probes.add(probe);
        }
    }

    /** The probes that started in this test, in the order they started. */
    public List<ProbeLoop> probes() {
        return List.copyOf(probes);
    }

    /** The probe of this test named {@code name}. */
    public Optional<ProbeLoop> probe(String name) {
        return probes.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** Every fault that acted on this test's proxies, in the order they were recorded. */
    public List<ActiveFault> faults() {
        List<ActiveFault> faults = new ArrayList<>();
        for (ProxyLane lane : laneOrder) {
            faults.addAll(lane.faults);
        }
        return faults;
    }

    /** One proxy as seen by this test. */
    static final class ProxyLane {
        final ChaosProxy proxy;
        final ProxyTraffic source;
        final TrafficSeries traffic;
        final TrafficStats statsAtStart;
        final List<ActiveFault> faults = new CopyOnWriteArrayList<>();

        ProxyLane(ChaosProxy proxy, ProxyTraffic source, long originNanos) {
            this.proxy = proxy;
            this.source = source;
            this.traffic = new TrafficSeries(originNanos);
            this.statsAtStart = proxy.stats();
        }

        TrafficSeries traffic() {
            return traffic;
        }

        void fault(ActiveFault fault) {
            ((CopyOnWriteArrayList<ActiveFault>) faults).addIfAbsent(fault);
        }
    }

    /**
     * Starts recording {@code proxy} in this test: its traffic from now on, and the faults acting
     * on it now or injected later. Idempotent.
     */
    public void attach(ChaosProxy proxy, ProxyTraffic source) {
        if (finished.get()) {
            return;
        }
        lanes.computeIfAbsent(proxy, p -> {
            ProxyLane lane = new ProxyLane(p, source, startNanos);
            laneOrder.add(lane);
            source.subscribe(lane);
            for (ActiveFault active : p.activeFaults()) {
                lane.fault(active);
            }
            return lane;
        });
    }

    /**
     * Records a fault schedule of this test: from {@code @ChaosPort} (the extension) or started in
     * code while this test runs (the scheduler). Idempotent.
     */
    public void addSchedule(ScheduledFault schedule) {
        schedules.addIfAbsent(schedule);
    }

    /** The fault schedules of this test, in the order they started. */
    public List<ScheduledFault> schedules() {
        return List.copyOf(schedules);
    }

    /**
     * Records the outcome of a recovery assertion in the current test's timeline, if there is
     * one. Never throws.
     *
     * @param startNanos when the budget started counting
     * @param recoveredAtNanos when the deciding call succeeded, or 0 if it never did
     * @param firstSuccessAtNanos when the first successful call after the start returned, or 0 if none did
     */
    public static void recordRecovery(long startNanos, long recoveredAtNanos, long firstSuccessAtNanos, Duration slo,
            boolean passed, int attempts, int consecutiveSuccesses, String lastError) {
        TestTimeline timeline = current();
        if (timeline != null) {
            timeline.recordRecovery(null, startNanos, recoveredAtNanos == 0 ? null : recoveredAtNanos,
                    firstSuccessAtNanos == 0 ? null : firstSuccessAtNanos, slo, passed, attempts,
                    consecutiveSuccesses, lastError);
        }
    }

    /**
     * Records the outcome of a recovery assertion about {@code subject} (a probe's name, or
     * {@code null}), unless the test has ended. Never throws.
     *
     * @param startNanos when the budget started counting
     * @param recoveredAtNanos when the deciding call returned, or {@code null} if it never did
     * @param firstSuccessAtNanos when the first successful call after the start returned, or
     *        {@code null} if none did
     */
    public void recordRecovery(String subject, long startNanos, Long recoveredAtNanos, Long firstSuccessAtNanos,
            Duration slo, boolean passed, int attempts, int consecutiveSuccesses, String lastError) {
        try {
            if (finished.get()) {
                return;
            }
            long endNanos = System.nanoTime();
            recoveries.add(new TestResult.Recovery(subject, startNanos - this.startNanos,
                    recoveredAtNanos == null ? -1 : recoveredAtNanos - startNanos,
                    firstSuccessAtNanos == null ? -1 : firstSuccessAtNanos - startNanos, endNanos - this.startNanos,
                    slo.toNanos(), passed, attempts, consecutiveSuccesses, lastError));
        } catch (RuntimeException e) {
            // the report must never break a test
        }
    }

    /**
     * Records the outcome of an SLO assertion other than recovery in the current test's timeline,
     * if there is one. Never throws.
     *
     * @param fromNanos the start of the window the assertion looked at, a {@link System#nanoTime()} value
     * @param toNanos its end
     */
    public static void recordVerdictInCurrent(String subject, String assertion, String measured, boolean passed,
            long fromNanos, long toNanos) {
        TestTimeline timeline = current();
        if (timeline != null) {
            timeline.recordVerdict(subject, assertion, measured, passed, fromNanos, toNanos);
        }
    }

    private static boolean isEarlierAttempt(TestResult.Verdict earlier, TestResult.Verdict now) {
        return !earlier.passed() && Objects.equals(earlier.subject(), now.subject())
                && earlier.assertion().equals(now.assertion());
    }

    /**
     * Records the outcome of an SLO assertion other than recovery, unless the test has ended.
     * Never throws.
     *
     * @param subject what was measured, such as the probe's name
     * @param assertion what was expected, such as {@code error rate during faults <= 10%}
     * @param measured what was found, such as {@code 3.2% (1 of 31 calls failed)}
     * @param fromNanos the start of the window the assertion looked at, a {@link System#nanoTime()} value
     * @param toNanos its end
     */
    public void recordVerdict(String subject, String assertion, String measured, boolean passed, long fromNanos,
            long toNanos) {
        try {
            if (finished.get()) {
                return;
            }
            TestResult.Verdict verdict = new TestResult.Verdict(subject, assertion, measured, passed,
                    fromNanos - startNanos, Math.max(fromNanos, toNanos) - startNanos);
            synchronized (verdicts) {
                // a check retried until it holds (Awaitility's untilAsserted, say) counts once, as it ended:
                // the same check's failures just before it are attempts, not verdicts
                int last = verdicts.size() - 1;
                while (last >= 0 && isEarlierAttempt(verdicts.get(last), verdict)) {
                    verdicts.remove(last--);
                }
                verdicts.add(verdict);
            }
        } catch (RuntimeException e) {
            // the report must never break a test
        }
    }

    /** The faults with random choices that acted on this test's proxies, in the order they were recorded. */
    public List<FaultSpec> randomizedFaults() {
        List<FaultSpec> randomized = new ArrayList<>();
        for (ProxyLane lane : laneOrder) {
            for (ActiveFault fault : lane.faults) {
                if (fault.spec().isRandomized()) {
                    randomized.add(fault.spec());
                }
            }
        }
        return randomized;
    }

    /** Stops recording and returns what was recorded; {@code status} is PASSED, FAILED or ABORTED. */
    TestResult finish(String status, String failureMessage) {
        long endNanos = System.nanoTime();
        finished.set(true);
        clearCurrent();
        List<TestResult.ProxyResult> proxies = new ArrayList<>();
        for (ProxyLane lane : laneOrder) {
            lane.source.unsubscribe(lane);
            proxies.add(proxyResult(lane, endNanos));
        }
        List<TestResult.ProbeResult> probeResults = new ArrayList<>();
        for (ProbeLoop probe : probes) {
            probeResults.add(probeResult(probe.snapshot()));
        }
        return new TestResult(testClass, testName, endNanos - startNanos, status, failureMessage,
                List.copyOf(proxies), List.copyOf(recoveries), List.copyOf(probeResults), List.copyOf(verdicts));
    }

    /** A probe's calls in nanoseconds since the test started; a call still running counts as hung. */
    private TestResult.ProbeResult probeResult(ProbeSnapshot probe) {
        List<TestResult.Sample> samples = new ArrayList<>();
        for (ProbeSample sample : probe.samples()) {
            samples.add(new TestResult.Sample(sample.startedAtNanos() - startNanos, sample.latencyNanos(),
                    sample.succeeded(), sample.error()));
        }
        return new TestResult.ProbeResult(probe.name(), probe.intervalNanos(), List.copyOf(samples),
                probe.callOpen() ? probe.openCallStartNanos() - startNanos : -1);
    }

    private TestResult.ProxyResult proxyResult(ProxyLane lane, long endNanos) {
        List<TestResult.FaultPeriod> faults = new ArrayList<>();
        for (ActiveFault fault : lane.faults) {
            long start = Math.max(0, fault.startedAtNanos() - startNanos);
            long stop = fault.isHealed() ? fault.healedAtNanos() - startNanos : endNanos - startNanos;
            faults.add(new TestResult.FaultPeriod(fault.spec().toString(), fault.spec().fault().name(), start,
                    Math.max(start, stop), fault.isHealed()));
        }
        List<TestResult.TrafficBucket> buckets = new ArrayList<>();
        lane.traffic.buckets().forEach((index, b) -> buckets.add(new TestResult.TrafficBucket(
                index * TrafficSeries.BUCKET_NANOS, b.bytesUp.get(), b.bytesDown.get(), b.droppedUp.get(),
                b.droppedDown.get(), (int) b.opened.get(), (int) b.closed.get())));
        TrafficStats now = lane.proxy.stats();
        TrafficStats before = lane.statsAtStart;
        boolean sawTraffic = lane.traffic.events() > 0 || now.connectionsAccepted() != before.connectionsAccepted()
                || now.bytesUpstream() != before.bytesUpstream() || now.bytesDownstream() != before.bytesDownstream();
        return new TestResult.ProxyResult(lane.proxy.name(), lane.proxy.host() + ":" + lane.proxy.port(),
                lane.source.observesEngine(), before.connectionsOpen(), sawTraffic, now.connectionsAccepted(),
                List.copyOf(faults),
                List.copyOf(buckets));
    }
}
