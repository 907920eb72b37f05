package dev.chaosjunit.internal.report;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;

import dev.chaosjunit.ChaosProxy;
import dev.chaosjunit.internal.probe.ProbeStats;

/**
 * What the Jupiter extension calls around each test method: {@link #begin} before the faults
 * start, {@link #end} after they are healed. {@code end} prints one line per test, publishes a
 * report entry, applies the guard and adds the test to the run's {@link RunReport}, which is
 * written when the engine's root context closes.
 *
 * <p>Configuration (JUnit configuration parameters or system properties):
 * <ul>
 * <li>{@code chaos.report.dir}: where the report goes, {@code target/chaos-report} unless set</li>
 * <li>{@code chaos.guard}: {@code warn} (default) or {@code fail}: what to do when a fault's
 * proxy saw no traffic during the test; {@code off} says nothing</li>
 * <li>{@code chaos.report.runId}: names the test run whose JVMs share one report (see {@link RunId});
 * by default the Maven JVM of a Surefire/Failsafe fork, else this JVM</li>
 * </ul>
 */
public final class ChaosReporting {

    /** Where the report goes, relative to the working directory unless absolute. */
    public static final String REPORT_DIR = "chaos.report.dir";
    /** {@code warn}, {@code fail} or {@code off}. */
    public static final String GUARD = "chaos.guard";
    static final String DEFAULT_REPORT_DIR = "target/chaos-report";

    private static final Namespace NAMESPACE = Namespace.create(ChaosReporting.class);

    private ChaosReporting() {
    }

    /** JUnit's switch for parallel execution: with it on, other tests may run at any time. */
    static final String PARALLEL = "junit.jupiter.execution.parallel.enabled";

    /**
     * Starts the timeline of the test method of {@code context}, current on this thread and
     * counted as running until {@link #end} (see {@link TestTimeline#current()}).
     */
    public static TestTimeline begin(ExtensionContext context) {
        boolean parallel = context.getConfigurationParameter(PARALLEL).map(v -> Boolean.parseBoolean(v.trim()))
                .orElse(false);
        TestTimeline timeline = new TestTimeline(className(context.getRequiredTestClass()),
                context.getRequiredTestMethod().getName() + invocationSuffix(context), System.nanoTime(), parallel);
        timeline.makeCurrent();
        return timeline;
    }

    /**
     * The class's simple name, prefixed by those of the classes around it ({@code Outer.Inner}), so
     * that {@code @Nested} classes with the same name in different test classes stay apart.
     */
    static String className(Class<?> testClass) {
        String name = testClass.getSimpleName();
        for (Class<?> c = testClass.getEnclosingClass(); c != null; c = c.getEnclosingClass()) {
            name = c.getSimpleName() + "." + name;
        }
        return name;
    }

    private static String invocationSuffix(ExtensionContext context) {
        String display = context.getDisplayName();
        // repeated and parameterized invocations: keep the "[n]" part so they stay apart
        return display.startsWith("[") || display.startsWith("repetition") ? " " + display : "";
    }

    /** Records {@code proxy} in the timeline (a few calls, no I/O). */
    public static void attach(TestTimeline timeline, ChaosProxy proxy, ProxyTraffic traffic) {
        try {
            timeline.attach(proxy, traffic);
        } catch (RuntimeException e) {
            // the report must never break a test
        }
    }

    /**
     * Finishes the timeline, reports it and applies the guard.
     *
     * @return {@code failure}, or the guard's failure when {@code chaos.guard=fail} and a fault's
     *         proxy saw no traffic
     */
    public static Throwable end(TestTimeline timeline, ExtensionContext context, Throwable failure) {
        TestResult result;
        try {
            result = timeline.finish(status(failure), failure == null ? null : String.valueOf(failure.getMessage()));
        } catch (RuntimeException e) {
            timeline.abandon();
            return failure;
        }
        String guard = context.getConfigurationParameter(GUARD).orElse("warn").trim().toLowerCase(Locale.ROOT);
        List<TestResult.ProxyResult> bypassed = new ArrayList<>();
        if (!guard.equals("off")) {
            result.proxies().stream().filter(TestResult.ProxyResult::bypassed).forEach(bypassed::add);
        }
        Throwable outcome = failure;
        if (!bypassed.isEmpty() && guard.equals("fail")) {
            AssertionError guardFailure = new AssertionError(guardMessage(bypassed)
                    + " (chaos.guard=fail; set chaos.guard=warn to only warn)");
            if (outcome == null) {
                outcome = guardFailure;
                result = new TestResult(result.testClass(), result.testName(), result.durationNanos(), "FAILED",
                        guardFailure.getMessage(), result.proxies(), result.recoveries(), result.probes(), result.verdicts());
            } else {
                outcome.addSuppressed(guardFailure);
            }
        }
        try {
            System.out.println(logLine(result, bypassed));
            context.publishReportEntry(reportEntry(result, bypassed));
            Path dir = reportDir(context);
            String run = RunId.current(context.getConfigurationParameter(RunId.PARAMETER));
            RunReport.add(dir, result);
            // Rewritten after every chaos test: JUnit before 5.13 never closes the root store's
            // Flush, so the files must not depend on it; Flush adds the closing log line.
            RunReport.writeQuietly(dir, run);
            ExtensionContext.Store root = context.getRoot().getStore(NAMESPACE);
            synchronized (RunReport.class) {
                if (root.get(RunReport.Flush.class) == null) {
                    root.put(RunReport.Flush.class, new RunReport.Flush(dir, run));
                }
            }
        } catch (RuntimeException e) {
            System.err.println("[chaos] could not report " + result.fullName() + ": " + e);
        }
        return outcome;
    }

    static Path reportDir(ExtensionContext context) {
        return Paths.get(context.getConfigurationParameter(REPORT_DIR).filter(s -> !s.isBlank())
                .orElse(DEFAULT_REPORT_DIR)).toAbsolutePath();
    }

    private static String status(Throwable failure) {
        if (failure == null) {
            return "PASSED";
        }
        return failure.getClass().getName().equals("org.opentest4j.TestAbortedException") ? "ABORTED" : "FAILED";
    }

    static String guardMessage(List<TestResult.ProxyResult> bypassed) {
        StringBuilder message = new StringBuilder();
        for (TestResult.ProxyResult proxy : bypassed) {
            if (message.length() > 0) {
                message.append("; ");
            }
            message.append("no traffic went through the chaos proxy for ").append(proxy.name()).append(" (")
                    .append(proxy.listenAddress()).append(") while ").append(faultsText(proxy))
                    .append(" acted on it, so the fault had no effect: the client probably connects to ")
                    .append(proxy.name()).append(" directly; point it at proxy.host():proxy.port() (")
                    .append(proxy.listenAddress()).append(") instead");
        }
        return message.toString();
    }

    private static String faultsText(TestResult.ProxyResult proxy) {
        List<String> names = new ArrayList<>();
        proxy.faults().forEach(f -> names.add(f.spec()));
        return String.join(", ", names);
    }

    /**
     * Such as {@code [chaos] OrderDatabaseChaosIT.thePoolRecovers: DOWN on localhost:39811 for
     * 12 ms; recovered in 49 ms (SLO 5 s); probe db: 61 calls, 20 failed, p99 12 ms; SLOs 3 of 3 met;
     * 2 connections opened, 1.2 KiB up, 3.4 KiB down -- PASSED}.
     */
    static String logLine(TestResult result, List<TestResult.ProxyResult> bypassed) {
        List<String> parts = new ArrayList<>();
        List<String> faults = new ArrayList<>();
        for (TestResult.ProxyResult proxy : result.proxies()) {
            for (TestResult.FaultPeriod fault : proxy.faults()) {
                faults.add(fault.spec() + " on " + proxy.name() + " for "
                        + TestResult.millis(fault.stopNanos() - fault.startNanos()));
            }
        }
        parts.add(faults.isEmpty() ? "no fault" : String.join(", ", faults));
        result.recoveries().forEach(r -> parts.add(r.subject() == null ? r.summary() : r.subject() + " " + r.summary()));
        result.probes().forEach(probe -> parts.add(probeText(probe)));
        if (!result.recoveries().isEmpty() || !result.verdicts().isEmpty()) {
            parts.add(verdictsText(result.recoveries(), result.verdicts()));
        }
        parts.add(trafficText(result));
        StringBuilder line = new StringBuilder("[chaos] ").append(result.fullName()).append(": ")
                .append(String.join("; ", parts)).append(" -- ").append(result.status());
        if (!bypassed.isEmpty()) {
            line.append(" -- WARNING: ").append(guardMessage(bypassed));
        }
        return line.toString();
    }

    /** Such as {@code probe orders: 61 calls, 20 failed, p99 12 ms}. */
    static String probeText(TestResult.ProbeResult probe) {
        long[] latencies = probe.samples().stream().mapToLong(TestResult.Sample::latencyNanos).sorted().toArray();
        String text = "probe " + probe.name() + ": " + probe.samples().size()
                + (probe.samples().size() == 1 ? " call, " : " calls, ") + probe.failures() + " failed";
        if (latencies.length > 0) {
            text += ", p99 " + TestResult.millis(ProbeStats.percentileOfSorted(latencies, 99));
        }
        return text + (probe.hungCallStartNanos() >= 0 ? ", a call still running at the end" : "");
    }

    /**
     * Every SLO of the test, recoveries included (one that passed is an SLO met), such as
     * {@code SLOs 3 of 5 met; not met: orders: recovery within 2 s (was 2.4 s), orders: error rate during
     * faults >= 90% (was 40% ...)}.
     */
    static String verdictsText(List<TestResult.Recovery> recoveries, List<TestResult.Verdict> verdicts) {
        List<String> unmet = new ArrayList<>();
        for (TestResult.Recovery recovery : recoveries) {
            if (!recovery.passed()) {
                unmet.add((recovery.subject() == null ? "" : recovery.subject() + ": ") + "recovery within "
                        + TestResult.duration(recovery.sloNanos()) + " (was " + (recovery.recoveryNanos() >= 0
                                ? TestResult.millis(recovery.recoveryNanos())
                                : "none in " + recovery.attempts() + (recovery.attempts() == 1 ? " attempt" : " attempts"))
                        + ")");
            }
        }
        for (TestResult.Verdict verdict : verdicts) {
            if (!verdict.passed()) {
                unmet.add(verdict.subject() + ": " + verdict.assertion() + " (was " + verdict.measured() + ")");
            }
        }
        int all = recoveries.size() + verdicts.size();
        String text = "SLOs " + (all - unmet.size()) + " of " + all + " met";
        return unmet.isEmpty() ? text : text + "; not met: " + String.join(", ", unmet);
    }

    private static String trafficText(TestResult result) {
        long opened = 0;
        long up = 0;
        long down = 0;
        for (TestResult.ProxyResult proxy : result.proxies()) {
            opened += proxy.opened();
            up += proxy.bytesUp();
            down += proxy.bytesDown();
        }
        return opened + (opened == 1 ? " connection" : " connections") + " opened, " + TestResult.bytes(up)
                + " up, " + TestResult.bytes(down) + " down";
    }

    static Map<String, String> reportEntry(TestResult result, List<TestResult.ProxyResult> bypassed) {
        Map<String, String> entry = new LinkedHashMap<>();
        List<String> faults = new ArrayList<>();
        for (TestResult.ProxyResult proxy : result.proxies()) {
            for (TestResult.FaultPeriod fault : proxy.faults()) {
                faults.add(fault.spec() + " on " + proxy.name() + " from " + TestResult.millis(fault.startNanos())
                        + " to " + TestResult.millis(fault.stopNanos()));
            }
        }
        entry.put("chaos.faults", faults.isEmpty() ? "none" : String.join(", ", faults));
        if (!result.recoveries().isEmpty()) {
            List<String> recoveries = new ArrayList<>();
            result.recoveries().forEach(r -> recoveries.add((r.subject() == null ? "" : r.subject() + " ")
                    + r.summary() + (r.passed() ? " PASSED" : " FAILED")));
            entry.put("chaos.recovery", String.join(", ", recoveries));
        }
        if (!result.probes().isEmpty()) {
            List<String> probes = new ArrayList<>();
            result.probes().forEach(probe -> probes.add(probeText(probe)));
            entry.put("chaos.probes", String.join(", ", probes));
        }
        if (!result.verdicts().isEmpty()) {
            List<String> verdicts = new ArrayList<>();
            result.verdicts().forEach(v -> verdicts.add(v.subject() + ": " + v.assertion() + ", was " + v.measured()
                    + (v.passed() ? " PASSED" : " FAILED")));
            entry.put("chaos.slo", String.join("; ", verdicts));
        }
        entry.put("chaos.traffic", trafficText(result));
        if (!bypassed.isEmpty()) {
            entry.put("chaos.guard", guardMessage(bypassed));
        }
        entry.put("chaos.verdict", result.status());
        return entry;
    }
}
