package dev.chaosjunit.internal.report;

import java.util.List;
import java.util.Locale;

/**
 * What one chaos test recorded, immutable. Times are nanoseconds since the test method started.
 *
 * @param testClass the test class's simple name
 * @param testName the test method's display name
 * @param durationNanos how long the test method ran, faults included
 * @param status PASSED, FAILED or ABORTED
 * @param failureMessage why it failed, or {@code null}
 * @param proxies the proxies the test used, in the order it first used them
 * @param recoveries the recovery assertions it made, in order
 * @param probes the background health probes that ran during the test, in the order they started
 * @param verdicts the SLO assertions other than recovery it made (error rate, latency, fail-fast), in order
 */
record TestResult(String testClass, String testName, long durationNanos, String status, String failureMessage,
        List<ProxyResult> proxies, List<Recovery> recoveries, List<ProbeResult> probes, List<Verdict> verdicts) {

    /** {@code Class.method}. */
    String fullName() {
        return testClass + "." + testName;
    }

    /**
     * One proxy in one test.
     *
     * @param name the dependency, such as {@code localhost:5432}
     * @param listenAddress where clients connect, such as {@code 127.0.0.1:40123}
     * @param trafficObserved whether the engine reported traffic ({@code false} for shared proxies)
     * @param openAtStart connections open when the test started
     * @param sawTraffic whether anything went through the proxy during the test
     * @param connectionsEverAccepted connections the proxy accepted in its whole life, until the test ended
     * @param faults the faults that acted on it
     * @param buckets traffic per 50 ms bucket, only buckets with events
     */
    record ProxyResult(String name, String listenAddress, boolean trafficObserved, int openAtStart,
            boolean sawTraffic, long connectionsEverAccepted, List<FaultPeriod> faults, List<TrafficBucket> buckets) {

        long bytesUp() {
            return buckets.stream().mapToLong(TrafficBucket::bytesUp).sum();
        }

        long bytesDown() {
            return buckets.stream().mapToLong(TrafficBucket::bytesDown).sum();
        }

        long opened() {
            return buckets.stream().mapToLong(TrafficBucket::opened).sum();
        }

        /**
         * Faults acted here, and nothing went through: the client probably bypassed the proxy.
         * A proxy that is {@code DOWN} refuses connections before it sees them, so a test with
         * only DOWN faults counts as bypassing only if the proxy never accepted a connection.
         */
        boolean bypassed() {
            if (faults.isEmpty() || sawTraffic) {
                return false;
            }
            boolean onlyDown = faults.stream().allMatch(f -> f.fault().equals("DOWN"));
            return !onlyDown || connectionsEverAccepted == 0;
        }
    }

    /** A fault from {@code startNanos} to {@code stopNanos}; {@code healed} is false if it outlived the test. */
    record FaultPeriod(String spec, String fault, long startNanos, long stopNanos, boolean healed) {
    }

    /** Traffic in the bucket starting at {@code startNanos}. */
    record TrafficBucket(long startNanos, long bytesUp, long bytesDown, long droppedUp, long droppedDown,
            int opened, int closed) {
    }

    /**
     * A background health probe: polled at {@code intervalNanos} on its own thread while the test ran.
     *
     * @param name the probe's name, such as the {@code @HealthProbe} method's name
     * @param intervalNanos the time between the starts of two calls (a slow call delays the next)
     * @param samples every call, in start order
     * @param hungCallStartNanos when the call that was still running as the test ended started, or -1
     */
    record ProbeResult(String name, long intervalNanos, List<Sample> samples, long hungCallStartNanos) {

        long failures() {
            return samples.stream().filter(s -> !s.success()).count();
        }
    }

    /**
     * One call of a probe.
     *
     * @param startNanos when the call started
     * @param latencyNanos how long it took
     * @param success whether it returned normally
     * @param error the exception's {@code toString()} when it failed, else {@code null}
     */
    record Sample(long startNanos, long latencyNanos, boolean success, String error) {
    }

    /**
     * The outcome of one SLO assertion other than recovery (error rate, latency, fail-fast).
     *
     * @param subject what was measured, such as the probe's name
     * @param assertion what was expected, such as {@code error rate during faults <= 10%}
     * @param measured what was found, such as {@code 3% (1 of 31 calls failed)}
     * @param passed whether the expectation held
     * @param fromNanos the start of the window the assertion looked at
     * @param toNanos the end of that window
     */
    record Verdict(String subject, String assertion, String measured, boolean passed, long fromNanos, long toNanos) {
    }

    /**
     * One recovery assertion.
     *
     * @param subject the probe's name, or {@code null} for an anonymous {@link dev.chaosjunit.Probe}
     * @param startNanos when its budget started (usually when the fault was healed)
     * @param recoveryNanos the measured recovery time, or -1 if the probe did not recover: from the
     *         start to the end of the deciding call, the last of {@code consecutiveSuccesses} in a row
     * @param firstSuccessNanos from the start to the end of the first successful call after it, or
     *         -1 if none succeeded; the same as {@code recoveryNanos} when one success is enough
     * @param endNanos when the assertion returned
     * @param sloNanos the budget
     * @param passed whether the assertion passed
     * @param attempts how often the probe was called
     * @param consecutiveSuccesses how many successes in a row were required
     * @param lastError the probe's last error, or {@code null}
     */
    record Recovery(String subject, long startNanos, long recoveryNanos, long firstSuccessNanos, long endNanos,
            long sloNanos, boolean passed, int attempts, int consecutiveSuccesses, String lastError) {

        /**
         * Such as {@code recovered in 49 ms (SLO 5 s)}, or with more than one success required
         * {@code recovered in 154 ms, 3 in a row (first success after 68 ms; SLO 2 s)}.
         */
        String summary() {
            if (recoveryNanos >= 0) {
                return "recovered in " + millis(recoveryNanos)
                        + (consecutiveSuccesses > 1 ? ", " + consecutiveSuccesses + " in a row" : "")
                        + " (" + (showsFirstSuccess() ? "first success after " + millis(firstSuccessNanos) + "; " : "")
                        + "SLO " + duration(sloNanos) + ")" + (passed ? "" : " - over the SLO");
            }
            return "did not recover within " + duration(sloNanos) + " (" + attempts + " attempts"
                    + (consecutiveSuccesses > 1 && firstSuccessNanos >= 0
                            ? "; first success after " + millis(firstSuccessNanos) + ", never " + consecutiveSuccesses
                                    + " in a row"
                            : "")
                    + ")";
        }

        /** Whether the first success is worth telling apart from the recovery: n in a row, and earlier. */
        boolean showsFirstSuccess() {
            return consecutiveSuccesses > 1 && firstSuccessNanos >= 0 && firstSuccessNanos != recoveryNanos;
        }
    }

    static String millis(long nanos) {
        return Math.round(nanos / 1e6) + " ms";
    }

    /** A budget or a long time: whole seconds as {@code 5 s}, otherwise milliseconds. */
    static String duration(long nanos) {
        if (nanos >= 1_000_000_000L && nanos % 1_000_000_000L == 0) {
            return nanos / 1_000_000_000L + " s";
        }
        if (nanos >= 10_000_000_000L) {
            return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
        }
        return millis(nanos);
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        if (n < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024));
    }
}
