package dev.chaosjunit.internal.probe;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import dev.chaosjunit.ProbeSample;

/**
 * A slice of a probe's timeline as text, for failure messages: the faults and the calls, in
 * order of start, in milliseconds since the test (or the probe) started. Consecutive calls with
 * the same outcome and error are one line, a run:
 *
 * <pre>
 *   Timeline of probe "db", a call every 50 ms (ms since the test started; &gt; marks calls in the window, 200 – 1200 ms):
 *        200 –   1200 ms  fault DOWN on localhost:5432
 *          0 –    182 ms  ok   ×4    1–2 ms
 *   &gt;    200 –   1190 ms  FAIL ×20   0.3–3 ms  java.net.ConnectException: Connection refused
 *       1200 –   1431 ms  ok   ×5    1–2 ms
 * </pre>
 *
 * A run never crosses the window's edge, so every line is wholly in or out. Beyond
 * {@value #MAX_LINES} lines, the lines farthest from the window and the faults are left out, and
 * said so.
 */
public final class TimelineText {

    static final int MAX_LINES = 30;
    static final int MAX_ERROR_CHARS = 160;

    private TimelineText() {
    }

    private record Line(long startNanos, long endNanos, String text, boolean inWindow, boolean fault) {
    }

    /** The timeline of {@code probe}, marking the calls in {@code window}. */
    public static String render(ProbeSnapshot probe, Window window) {
        long origin = probe.originNanos();
        List<Line> lines = new ArrayList<>();
        if (probe.faults() != null) {
            for (FaultSpan fault : probe.faults()) {
                lines.add(new Line(fault.startNanos(), fault.endNanos(),
                        "fault " + fault.label() + (fault.active() ? " (still active)" : ""), false, true));
            }
        }
        lines.addAll(runs(probe.samples(), window));
        if (probe.callOpen()) {
            long open = probe.openCallNanos();
            lines.add(new Line(probe.openCallStartNanos(), probe.openCallStartNanos() + open,
                    probe.hung() ? "HUNG ×1    still running " + millis(open) + " after it started, when the probe stopped"
                            : "call ×1    still running, for " + millis(open) + " so far",
                    window.contains(probe.openCallStartNanos()), false));
        }
        lines.sort(Comparator.comparingLong((Line l) -> l.startNanos() - origin));

        StringBuilder text = new StringBuilder("Timeline of probe \"").append(probe.name()).append("\", a call every ")
                .append(duration(probe.intervalNanos())).append(" (").append(probe.originText())
                .append("; > marks calls in the window");
        if (!window.phrase().isEmpty()) {
            text.append(window.phrase());
        }
        text.append(", ").append(spans(window, origin)).append("):");
        if (lines.isEmpty()) {
            return text.append("\n  (no call finished yet)").toString();
        }
        boolean[] keep = choose(lines);
        int leftOut = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (!keep[i]) {
                leftOut++;
                continue;
            }
            if (leftOut > 0) {
                text.append("\n  … ").append(leftOut).append(leftOut == 1 ? " line" : " lines").append(" left out …");
                leftOut = 0;
            }
            Line line = lines.get(i);
            text.append('\n').append(line.inWindow() ? "> " : "  ")
                    .append(String.format(Locale.ROOT, "%6d – %6d ms  ", ms(line.startNanos() - origin),
                            ms(line.endNanos() - origin)))
                    .append(line.text());
        }
        if (leftOut > 0) {
            text.append("\n  … ").append(leftOut).append(leftOut == 1 ? " line" : " lines").append(" left out …");
        }
        return text.toString();
    }

    /** The spans of {@code window} in ms since {@code origin}, such as {@code 200 – 1200 ms}. */
    static String spans(Window window, long origin) {
        if (window.spans().isEmpty()) {
            return "which is empty";
        }
        List<String> parts = new ArrayList<>();
        for (Window.Span span : window.spans()) {
            if (parts.size() == 3) {
                parts.add("and " + (window.spans().size() - 3) + " more");
                break;
            }
            parts.add(ms(span.fromNanos() - origin) + " – " + ms(span.toNanos() - origin) + " ms");
        }
        return String.join(", ", parts);
    }

    /** Runs of calls with the same outcome and error, split at the window's edges. */
    private static List<Line> runs(List<ProbeSample> samples, Window window) {
        List<Line> lines = new ArrayList<>();
        int i = 0;
        while (i < samples.size()) {
            ProbeSample first = samples.get(i);
            boolean in = window.includes(first);
            int j = i + 1;
            while (j < samples.size() && samples.get(j).succeeded() == first.succeeded()
                    && Objects.equals(samples.get(j).error(), first.error())
                    && window.includes(samples.get(j)) == in) {
                j++;
            }
            List<ProbeSample> run = samples.subList(i, j);
            long min = run.stream().mapToLong(ProbeSample::latencyNanos).min().orElse(0);
            long max = run.stream().mapToLong(ProbeSample::latencyNanos).max().orElse(0);
            long end = run.stream().mapToLong(ProbeSample::endedAtNanos).max().orElse(first.endedAtNanos());
            String latency = min == max ? millis(min) : millisNumber(min) + "–" + millis(max);
            String text = String.format(Locale.ROOT, "%-4s %-5s %s", first.succeeded() ? "ok" : "FAIL", "×" + run.size(),
                    latency) + (first.succeeded() ? "" : "  " + shortError(first.error()));
            lines.add(new Line(first.startedAtNanos(), end, text, in, false));
            i = j;
        }
        return lines;
    }

    /**
     * Which lines to show: all if they fit; otherwise the faults and the lines in the window,
     * then the lines nearest to them until {@value #MAX_LINES} are chosen. If the faults and the
     * window alone are too many, their first and last ones.
     */
    private static boolean[] choose(List<Line> lines) {
        boolean[] keep = new boolean[lines.size()];
        if (lines.size() <= MAX_LINES) {
            Arrays.fill(keep, true);
            return keep;
        }
        List<Integer> important = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).fault() || lines.get(i).inWindow()) {
                important.add(i);
            }
        }
        if (important.size() >= MAX_LINES) {
            int head = MAX_LINES / 2;
            for (int k = 0; k < important.size(); k++) {
                keep[important.get(k)] = k < head || k >= important.size() - (MAX_LINES - head);
            }
            return keep;
        }
        int[] distance = new int[lines.size()];
        Arrays.fill(distance, Integer.MAX_VALUE);
        for (int i : important) {
            for (int j = 0; j < lines.size(); j++) {
                distance[j] = Math.min(distance[j], Math.abs(i - j));
            }
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingInt((Integer i) -> distance[i]).thenComparingInt(i -> i));
        for (int k = 0; k < MAX_LINES; k++) {
            keep[order.get(k)] = true;
        }
        return keep;
    }

    static String shortError(String error) {
        if (error == null) {
            return "";
        }
        String firstLine = error.lines().findFirst().orElse("");
        return firstLine.length() <= MAX_ERROR_CHARS ? firstLine : firstLine.substring(0, MAX_ERROR_CHARS) + "…";
    }

    private static long ms(long nanos) {
        return Math.round(nanos / 1e6);
    }

    /** A measured time: {@code 0.4 ms}, {@code 312 ms}, {@code 12.3 s}. */
    public static String millis(long nanos) {
        if (nanos >= 10_000_000_000L) {
            return strip(nanos / 1e9, 1) + " s";
        }
        return millisNumber(nanos) + " ms";
    }

    private static String millisNumber(long nanos) {
        return nanos < 10_000_000L ? strip(nanos / 1e6, 1) : Long.toString(ms(nanos));
    }

    /** A limit or an interval: {@code 2 s}, {@code 1.5 s}, {@code 250 ms}, {@code 0.5 ms}. */
    public static String duration(long nanos) {
        if (nanos >= 1_000_000_000L) {
            return strip(nanos / 1e9, 3) + " s";
        }
        return strip(nanos / 1e6, 3) + " ms";
    }

    /** A fraction as a percentage: {@code 35%}, {@code 3.2%}, {@code 0.5%}. */
    public static String percent(double fraction) {
        return strip(fraction * 100, fraction * 100 < 1 ? 2 : 1) + "%";
    }

    private static String strip(double value, int decimals) {
        return BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }
}
