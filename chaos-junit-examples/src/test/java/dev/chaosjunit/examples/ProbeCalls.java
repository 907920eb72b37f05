package dev.chaosjunit.examples;

import java.util.List;

import dev.chaosjunit.ActiveFault;
import dev.chaosjunit.ProbeRecording;
import dev.chaosjunit.ProbeSample;

/**
 * What the examples print about a background probe's calls: plain arithmetic on
 * {@link ProbeRecording#samples()}, for the build log. The SLOs themselves are checked with
 * {@code assertThatProbe}, which also puts what it measured into the chaos report.
 */
public final class ProbeCalls {

    private ProbeCalls() {
    }

    /** How long each failed call took, in ms, in start order. */
    public static List<Long> failedMillis(List<ProbeSample> calls) {
        return calls.stream().filter(call -> !call.succeeded()).map(call -> call.latency().toMillis()).toList();
    }

    /** The calls that started while {@code fault} acted. */
    public static List<ProbeSample> during(ProbeRecording probe, ActiveFault fault) {
        return probe.samples().stream()
                .filter(call -> call.startedAtNanos() - fault.startedAtNanos() >= 0
                        && call.startedAtNanos() - fault.healedAtNanos() < 0)
                .toList();
    }

    /** The latency percentile of {@code calls} by nearest rank, in ms with one decimal. */
    public static double percentileMillis(List<ProbeSample> calls, double percentile) {
        long[] nanos = calls.stream().mapToLong(ProbeSample::latencyNanos).sorted().toArray();
        if (nanos.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(percentile / 100 * nanos.length);
        return Math.round(nanos[Math.max(rank, 1) - 1] / 100_000.0) / 10.0;
    }

    /** The distinct errors of the failed calls, each shortened to its exception's simple name. */
    public static List<String> errors(List<ProbeSample> calls) {
        return calls.stream().filter(call -> !call.succeeded())
                .map(call -> {
                    String type = call.error().split(":", 2)[0];
                    return type.substring(type.lastIndexOf('.') + 1);
                })
                .distinct()
                .toList();
    }
}
