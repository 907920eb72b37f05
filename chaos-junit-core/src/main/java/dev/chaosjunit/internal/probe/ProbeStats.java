package dev.chaosjunit.internal.probe;

import java.util.List;

import dev.chaosjunit.ProbeSample;

/** Statistics over probe samples: error rate, latency, percentiles, recovery. */
public final class ProbeStats {

    private ProbeStats() {
    }

    /** How many of {@code samples} failed. */
    public static int failures(List<ProbeSample> samples) {
        return (int) samples.stream().filter(s -> !s.succeeded()).count();
    }

    /** The slowest of {@code samples}; {@code samples} must not be empty. */
    public static ProbeSample slowest(List<ProbeSample> samples) {
        ProbeSample slowest = samples.get(0);
        for (ProbeSample sample : samples) {
            if (sample.latencyNanos() > slowest.latencyNanos()) {
                slowest = sample;
            }
        }
        return slowest;
    }

    /**
     * The nearest-rank percentile of the latencies of {@code samples}: the smallest latency that
     * at least {@code percentile} percent of the calls did not exceed, that is the
     * {@code ceil(percentile / 100 * n)}-th smallest. Every value is one that was measured, never
     * an interpolation.
     *
     * @param percentile in (0, 100]
     * @throws IllegalArgumentException if {@code samples} is empty or {@code percentile} is out of range
     */
    public static long percentileNanos(List<ProbeSample> samples, double percentile) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("no samples");
        }
        return percentileOfSorted(samples.stream().mapToLong(ProbeSample::latencyNanos).sorted().toArray(), percentile);
    }

    /**
     * The nearest-rank percentile of {@code sortedNanos}, sorted ascending and not empty: the one
     * rule for the probe assertions and the report's figures alike.
     *
     * @param percentile in (0, 100]
     */
    public static long percentileOfSorted(long[] sortedNanos, double percentile) {
        requirePercentile(percentile);
        return sortedNanos[rank(sortedNanos.length, percentile) - 1];
    }

    /** The 1-based nearest rank of {@code percentile} among {@code n} values. */
    static int rank(int n, double percentile) {
        // the tolerance keeps 95 % of 20 at rank 19 when the product comes out as 19.000000000000004
        int rank = (int) Math.ceil(percentile / 100.0 * n - 1e-9);
        return Math.max(1, Math.min(n, rank));
    }

    /**
     * Checks a percentile argument.
     *
     * @throws IllegalArgumentException if it is not in (0, 100]
     */
    public static double requirePercentile(double percentile) {
        if (!(percentile > 0 && percentile <= 100)) {
            throw new IllegalArgumentException("percentile must be more than 0 and at most 100 (such as 99 or 99.9),"
                    + " but was " + percentile);
        }
        return percentile;
    }

    /**
     * Recovery after {@code startNanos}: the first run of {@code consecutive} successful calls
     * among the calls that started at or after it, in start order; any failure starts the count
     * again.
     *
     * @param deciding the last call of that run, or {@code null} if there is none yet
     * @param firstSuccess the first successful call among them (the deciding one when
     *         {@code consecutive} is 1), or {@code null} if none succeeded
     * @param attempts the calls looked at: up to the deciding one, else all since the start
     * @param bestRun the longest run of successes among them
     * @param lastError the last error among them, or {@code null}
     */
    public record Recovery(ProbeSample deciding, ProbeSample firstSuccess, int attempts, int bestRun, String lastError) {

        /** Searches {@code samples}, which are in start order. */
        public static Recovery search(List<ProbeSample> samples, long startNanos, int consecutive) {
            int attempts = 0;
            int run = 0;
            int bestRun = 0;
            String lastError = null;
            ProbeSample firstSuccess = null;
            for (ProbeSample sample : samples) {
                if (sample.startedAtNanos() - startNanos < 0) {
                    continue;
                }
                attempts++;
                if (sample.succeeded()) {
                    if (firstSuccess == null) {
                        firstSuccess = sample;
                    }
                    run++;
                    bestRun = Math.max(bestRun, run);
                    if (run >= consecutive) {
                        return new Recovery(sample, firstSuccess, attempts, bestRun, lastError);
                    }
                } else {
                    run = 0;
                    lastError = sample.error();
                }
            }
            return new Recovery(null, firstSuccess, attempts, bestRun, lastError);
        }

        public boolean recovered() {
            return deciding != null;
        }
    }
}
