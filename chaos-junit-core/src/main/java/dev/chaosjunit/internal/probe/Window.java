package dev.chaosjunit.internal.probe;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

import dev.chaosjunit.ActiveFault;
import dev.chaosjunit.ProbeSample;

/**
 * The part of a probe's timeline an assertion looks at: one or more spans of time. A call belongs
 * to the window it <em>started</em> in; in steady state it must also have <em>ended</em> in the
 * same span, so that a call a fault broke (or slowed) as it began does not count as steady state.
 *
 * @param phrase how the window is named in assertion texts, such as {@code " during faults"};
 *        empty for the whole recording
 * @param spans from (inclusive) to (exclusive), as {@link System#nanoTime()} values, in order, not
 *        overlapping
 * @param wholeCall whether a call must also end in the span it started in
 */
public record Window(String phrase, List<Span> spans, boolean wholeCall) {

    /** From {@code fromNanos} (inclusive) to {@code toNanos} (exclusive). */
    public record Span(long fromNanos, long toNanos) {

        boolean contains(long nanos) {
            return nanos - fromNanos >= 0 && nanos - toNanos < 0;
        }

        long length() {
            return toNanos - fromNanos;
        }
    }

    public Window {
        Objects.requireNonNull(phrase, "phrase");
        spans = List.copyOf(spans);
    }

    /** A window that takes the calls that started in it. */
    public Window(String phrase, List<Span> spans) {
        this(phrase, spans, false);
    }

    /** The whole recording: from the probe's start until now, or until it was stopped. */
    public static Window whole(ProbeSnapshot probe) {
        return new Window("", List.of(new Span(probe.startedAtNanos(), probe.endNanos() + 1)));
    }

    /**
     * While any fault of the test was active: the union of the faults' spans; a fault still
     * active counts until now.
     *
     * @throws IllegalStateException if the probe did not run in a chaos test
     */
    public static Window duringFaults(ProbeSnapshot probe) {
        return new Window(" during faults", merge(faultSpans(probe, "duringFaults()")));
    }

    /** While {@code fault} was active; until now if it still is. */
    public static Window during(ProbeSnapshot probe, ActiveFault fault) {
        FaultSpan span = FaultSpan.of(fault, probe.takenAtNanos());
        return new Window(" during " + span.label(), List.of(new Span(span.startNanos(), span.endNanos())));
    }

    /**
     * Steady state: the recording without the faults and without the recovery after each. The
     * recovery after a fault (after overlapping faults: after the last of them is healed) lasts
     * from the heal to the start of the first successful call that started at or after it; that
     * call is steady state again. While a fault is active, or the probe has not succeeded since
     * it was healed, everything from the fault's start on is left out. A call counts only if it
     * started and ended in steady state: one that was running when a fault began is left out.
     *
     * @throws IllegalStateException if the probe did not run in a chaos test
     */
    public static Window steadyState(ProbeSnapshot probe) {
        List<FaultSpan> faults = faultSpans(probe, "inSteadyState()");
        long end = probe.endNanos() + 1;
        List<Span> excluded = new ArrayList<>();
        for (Span fault : merge(faults)) {
            boolean active = faults.stream().anyMatch(f -> f.active() && fault.contains(f.startNanos()));
            long recovered = end;
            if (!active) {
                for (ProbeSample sample : probe.samples()) {
                    if (sample.succeeded() && sample.startedAtNanos() - fault.toNanos() >= 0) {
                        recovered = sample.startedAtNanos();
                        break;
                    }
                }
            }
            excluded.add(new Span(fault.fromNanos(), recovered));
        }
        List<Span> steady = new ArrayList<>();
        long from = probe.startedAtNanos();
        for (Span gap : mergeSpans(excluded)) {
            if (gap.fromNanos() - from > 0) {
                steady.add(new Span(from, Math.min(gap.fromNanos(), end)));
            }
            if (gap.toNanos() - from > 0) {
                from = gap.toNanos();
            }
        }
        if (end - from > 0) {
            steady.add(new Span(from, end));
        }
        return new Window(" in steady state", steady, true);
    }

    private static List<FaultSpan> faultSpans(ProbeSnapshot probe, String method) {
        if (probe.faults() == null) {
            throw new IllegalStateException(method + " needs the faults of a chaos test, and probe \"" + probe.name()
                    + "\" was started outside one; name the fault with during(fault), or start the probe in the"
                    + " test method of a chaos test");
        }
        return probe.faults();
    }

    /** The union of the spans of {@code faults}, in order. */
    static List<Span> merge(List<FaultSpan> faults) {
        List<Span> spans = new ArrayList<>();
        for (FaultSpan fault : faults) {
            spans.add(new Span(fault.startNanos(), fault.endNanos()));
        }
        return mergeSpans(spans);
    }

    private static List<Span> mergeSpans(List<Span> spans) {
        List<Span> sorted = new ArrayList<>(spans);
        sorted.sort(Comparator.comparingLong(Span::fromNanos));
        List<Span> merged = new ArrayList<>();
        for (Span span : sorted) {
            if (!merged.isEmpty() && span.fromNanos() - merged.get(merged.size() - 1).toNanos() <= 0) {
                Span last = merged.remove(merged.size() - 1);
                merged.add(new Span(last.fromNanos(), Math.max(last.toNanos(), span.toNanos())));
            } else if (span.length() > 0) {
                merged.add(span);
            }
        }
        return merged;
    }

    /** Whether a call that started at {@code nanos} belongs to this window. */
    public boolean contains(long nanos) {
        for (Span span : spans) {
            if (span.contains(nanos)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code sample} belongs to this window: it started in it (and, if required, ended in the same span). */
    public boolean includes(ProbeSample sample) {
        for (Span span : spans) {
            if (span.contains(sample.startedAtNanos())) {
                return !wholeCall || sample.endedAtNanos() - span.toNanos() < 0;
            }
        }
        return false;
    }

    /** The calls that belong to this window, in start order. */
    public List<ProbeSample> samples(ProbeSnapshot probe) {
        List<ProbeSample> in = new ArrayList<>();
        for (ProbeSample sample : probe.samples()) {
            if (includes(sample)) {
                in.add(sample);
            }
        }
        return in;
    }

    /** The total time the window covers. */
    public long lengthNanos() {
        return spans.stream().mapToLong(Span::length).sum();
    }

    /** Where the window starts, or {@code fallback} when it is empty. */
    public long fromNanos(long fallback) {
        return spans.isEmpty() ? fallback : spans.get(0).fromNanos();
    }

    /** Where the window ends, or {@code fallback} when it is empty. */
    public long toNanos(long fallback) {
        return spans.isEmpty() ? fallback : spans.get(spans.size() - 1).toNanos();
    }
}
