package dev.chaosjunit.internal.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Renders a report as one self-contained HTML page: inline CSS, one inline SVG chart per test,
 * nothing loaded from anywhere, and only a small script that counts what the browser drew. Each
 * chart has, per proxy, a row of fault periods ({@code rect.fault-band}, also shaded behind the
 * proxy's other rows), a row of bytes per 50 ms bucket (upstream above the line, downstream
 * below, dropped in red) and a step line of open connections; per probe, a row with one bar per
 * call at its start time, as high as its latency on a log scale ({@code rect.probe-sample.ok},
 * failed calls {@code rect.probe-sample.failed} in red, with a tick in the row's top strip), a
 * bar for a call still running at the end ({@code .probe-hung}) and every fault shaded behind;
 * then a row of recovery assertions, from the start of the budget to the recovery
 * ({@code .recovery-marker}), green when the SLO was met and red when not, with a hollow circle at
 * the first successful call where n in a row were required ({@code .recovery-first-success}), on lines of their own
 * where their labels would overlap. Under the chart, the
 * test's SLO verdicts ({@code li.verdict.passed}, {@code li.verdict.failed}).
 */
final class HtmlReport {

    private static final int WIDTH = 1100;
    private static final int LEFT = 190;
    private static final int RIGHT = 24;
    private static final int PLOT = WIDTH - LEFT - RIGHT;
    private static final int FAULT_ROW = 24;
    private static final int BYTES_ROW = 72;
    private static final int CONN_ROW = 40;
    private static final int RECOVERY_ROW = 34;
    private static final int NO_PROXY_ROW = 26;
    private static final int PROBE_ROW = 84;
    /** The strip at the top of a probe row where failed calls get a tick. */
    private static final int ERROR_STRIP = 10;
    /** The latency scale's floor: 0.1 ms and less are drawn as the shortest bar. */
    private static final long LATENCY_FLOOR_NANOS = 100_000L;
    private static final int PROBE_NAME_CHARS = 24;
    /** A generous width of one character of a fault band's label (10 px, bold, mostly capitals). */
    private static final double FAULT_LABEL_CHAR_PX = 7;
    private static final double FAULT_LABEL_PAD = 4;
    private static final int AXIS = 26;
    private static final int GAP = 8;

    private HtmlReport() {
    }

    /** The page of {@code results}, all run by this JVM. */
    static String render(List<TestResult> results) {
        return render(Report.of(results));
    }

    static String render(Report report) {
        List<TestResult> results = report.tests();
        long passed = results.stream().filter(r -> r.status().equals("PASSED")).count();
        long failed = results.stream().filter(r -> r.status().equals("FAILED")).count();
        StringBuilder html = new StringBuilder(64 * 1024);
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>chaos-junit report</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n")
                .append("<header><h1>chaos-junit report</h1><p class=\"summary\">").append(results.size())
                .append(results.size() == 1 ? " chaos test: " : " chaos tests: ").append(passed).append(" passed, ")
                .append(failed).append(" failed").append(results.size() - passed - failed > 0
                        ? ", " + (results.size() - passed - failed) + " aborted" : "")
                .append(report.jvms().size() > 1 ? "; from " + report.jvms().size() + " test JVMs of one run" : "")
                .append("</p>\n").append(LEGEND).append("</header>\n<main>\n");
        if (results.isEmpty()) {
            html.append("<p class=\"empty\">No chaos test ran.</p>\n");
        }
        for (int i = 0; i < results.size(); i++) {
            test(html, results.get(i), i);
        }
        html.append("</main>\n<script type=\"application/json\" id=\"chaos-data\">")
                .append(JsonReport.render(report)).append("</script>\n<script>").append(SELF_CHECK)
                .append("</script>\n</body>\n</html>\n");
        return html.toString();
    }

    private static void test(StringBuilder html, TestResult t, int index) {
        String status = t.status().toLowerCase(Locale.ROOT);
        html.append("<section class=\"test ").append(status).append("\" id=\"test-").append(index).append("\">\n")
                .append("<h2><span class=\"badge ").append(status).append("\">").append(t.status()).append("</span> ")
                .append(esc(t.fullName())).append(" <span class=\"duration\">")
                .append(TestResult.millis(t.durationNanos())).append("</span></h2>\n<p class=\"line\">")
                .append(esc(ChaosReporting.logLine(t, t.proxies().stream()
                        .filter(TestResult.ProxyResult::bypassed).toList()).substring("[chaos] ".length())))
                .append("</p>\n");
        if (t.failureMessage() != null) {
            html.append("<pre class=\"failure\">").append(esc(t.failureMessage())).append("</pre>\n");
        }
        chart(html, t);
        verdicts(html, t);
        html.append("</section>\n");
    }

    private static void chart(StringBuilder svg, TestResult t) {
        long total = Math.max(t.durationNanos(), 1);
        for (TestResult.ProxyResult p : t.proxies()) {
            for (TestResult.FaultPeriod f : p.faults()) {
                total = Math.max(total, f.stopNanos());
            }
            for (TestResult.TrafficBucket b : p.buckets()) {
                total = Math.max(total, b.startNanos() + TrafficSeries.BUCKET_NANOS);
            }
        }
        for (TestResult.Recovery r : t.recoveries()) {
            total = Math.max(total, r.endNanos());
        }
        for (TestResult.ProbeResult p : t.probes()) {
            for (TestResult.Sample sample : p.samples()) {
                total = Math.max(total, sample.startNanos() + sample.latencyNanos());
            }
            total = Math.max(total, p.hungCallStartNanos());
        }
        int proxyHeight = FAULT_ROW + BYTES_ROW + CONN_ROW + GAP;
        int[] lanes = recoveryLanes(t.recoveries(), total);
        int laneCount = 1;
        for (int lane : lanes) {
            laneCount = Math.max(laneCount, lane + 1);
        }
        int height = (t.proxies().isEmpty() ? NO_PROXY_ROW : t.proxies().size() * proxyHeight)
                + t.probes().size() * PROBE_ROW + laneCount * RECOVERY_ROW + AXIS + GAP;
        svg.append("<svg class=\"chart\" width=\"").append(WIDTH).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height)
                .append("\" role=\"img\" aria-label=\"timeline of ").append(esc(t.fullName())).append("\">\n");
        int plotBottom = height - AXIS;
        // grid and time axis
        long step = niceStep(total);
        for (long tick = 0; tick <= total; tick += step) {
            double x = x(tick, total);
            svg.append("<line class=\"grid\" x1=\"").append(f(x)).append("\" y1=\"0\" x2=\"").append(f(x))
                    .append("\" y2=\"").append(plotBottom).append("\"/>")
                    .append("<text class=\"tick\" x=\"").append(f(x)).append("\" y=\"").append(plotBottom + 16)
                    .append("\">").append(tickLabel(tick, step)).append("</text>\n");
        }
        int y = 0;
        if (t.proxies().isEmpty()) {
            svg.append("<text class=\"label\" x=\"8\" y=\"").append(y + 17).append("\">no proxy used</text>\n");
            y += NO_PROXY_ROW;
        }
        for (TestResult.ProxyResult p : t.proxies()) {
            proxy(svg, p, total, y);
            y += proxyHeight;
        }
        for (TestResult.ProbeResult p : t.probes()) {
            probe(svg, t, p, total, y);
            y += PROBE_ROW;
        }
        // recoveries
        svg.append("<text class=\"label\" x=\"8\" y=\"").append(y + 21).append("\">recovery</text>\n");
        for (int i = 0; i < t.recoveries().size(); i++) {
            recovery(svg, t.recoveries().get(i), total, y + lanes[i] * RECOVERY_ROW, plotBottom);
        }
        if (t.recoveries().isEmpty()) {
            svg.append("<text class=\"none\" x=\"").append(LEFT + 4).append("\" y=\"").append(y + 21)
                    .append("\">no recovery assertion</text>\n");
        }
        svg.append("</svg>\n");
    }

    private static void proxy(StringBuilder svg, TestResult.ProxyResult p, long total, int top) {
        int bytesTop = top + FAULT_ROW;
        int connTop = bytesTop + BYTES_ROW;
        int bottom = connTop + CONN_ROW;
        svg.append("<g class=\"proxy\" data-proxy=\"").append(esc(p.name())).append("\">\n");
        svg.append("<text class=\"label proxy-name\" x=\"8\" y=\"").append(top + 16).append("\">")
                .append(esc(p.name())).append("</text>")
                .append("<text class=\"label\" x=\"8\" y=\"").append(bytesTop + 20).append("\">bytes / 50 ms</text>")
                .append("<text class=\"sub\" x=\"8\" y=\"").append(bytesTop + 34).append("\">\u25b2 up  \u25bc down</text>")
                .append("<text class=\"label\" x=\"8\" y=\"").append(connTop + 24).append("\">open connections</text>\n");
        svg.append("<rect class=\"lane\" x=\"").append(LEFT).append("\" y=\"").append(top).append("\" width=\"")
                .append(PLOT).append("\" height=\"").append(bottom - top).append("\"/>\n");
        for (TestResult.FaultPeriod fault : p.faults()) {
            double x1 = x(fault.startNanos(), total);
            double w = Math.max(2, x(fault.stopNanos(), total) - x1);
            String title = fault.spec() + " on " + p.name() + ": " + TestResult.millis(fault.startNanos()) + " to "
                    + TestResult.millis(fault.stopNanos()) + " (" + TestResult.millis(fault.stopNanos() - fault.startNanos())
                    + ")" + (fault.healed() ? "" : ", still active at the end");
            svg.append("<rect class=\"fault-shade fault-").append(fault.fault()).append("\" x=\"").append(f(x1))
                    .append("\" y=\"").append(bytesTop).append("\" width=\"").append(f(w)).append("\" height=\"")
                    .append(bottom - bytesTop).append("\"/>")
                    .append("<rect class=\"fault-band fault-").append(fault.fault()).append("\" data-fault=\"")
                    .append(fault.fault()).append("\" data-start-ms=\"").append(JsonReport.ms(fault.startNanos()))
                    .append("\" data-stop-ms=\"").append(JsonReport.ms(fault.stopNanos())).append("\" x=\"")
                    .append(f(x1)).append("\" y=\"").append(top + 3).append("\" width=\"").append(f(w))
                    .append("\" height=\"").append(FAULT_ROW - 6).append("\"><title>").append(esc(title))
                    .append("</title></rect>");
            String label = faultLabel(fault.spec(), w);
            if (label != null) {
                svg.append("<text class=\"fault-label\" x=\"").append(f(x1 + 4)).append("\" y=\"").append(top + 16)
                        .append("\">").append(esc(label)).append("</text>");
            }
            svg.append('\n');
        }
        if (p.bypassed()) {
            svg.append("<text class=\"bypass\" x=\"").append(LEFT + PLOT / 2).append("\" y=\"").append(bytesTop + 40)
                    .append("\">no traffic through this proxy: does the client bypass it?</text>\n");
        }
        long max = 1;
        for (TestResult.TrafficBucket b : p.buckets()) {
            max = Math.max(max, Math.max(b.bytesUp() + b.droppedUp(), b.bytesDown() + b.droppedDown()));
        }
        double mid = bytesTop + BYTES_ROW / 2.0;
        double half = BYTES_ROW / 2.0 - 3;
        svg.append("<line class=\"axis\" x1=\"").append(LEFT).append("\" y1=\"").append(f(mid)).append("\" x2=\"")
                .append(LEFT + PLOT).append("\" y2=\"").append(f(mid)).append("\"/>")
                .append("<text class=\"sub\" x=\"").append(LEFT - 4).append("\" y=\"").append(bytesTop + 10)
                .append("\" text-anchor=\"end\">").append(TestResult.bytes(max)).append("</text>\n");
        double bw = Math.max(1, (double) TrafficSeries.BUCKET_NANOS / total * PLOT - 0.5);
        int open = p.openAtStart();
        int maxOpen = open;
        StringBuilder steps = new StringBuilder();
        for (TestResult.TrafficBucket b : p.buckets()) {
            double bx = x(b.startNanos(), total);
            String title = TestResult.millis(b.startNanos()) + "+50 ms: " + TestResult.bytes(b.bytesUp()) + " up, "
                    + TestResult.bytes(b.bytesDown()) + " down" + (b.droppedUp() + b.droppedDown() > 0
                            ? ", " + TestResult.bytes(b.droppedUp() + b.droppedDown()) + " dropped" : "")
                    + ", " + b.opened() + " opened, " + b.closed() + " closed";
            bar(svg, "bytes-up", bx, mid - b.bytesUp() * half / max, bw, b.bytesUp() * half / max, title);
            bar(svg, "bytes-dropped", bx, mid - (b.bytesUp() + b.droppedUp()) * half / max, bw,
                    b.droppedUp() * half / max, title);
            bar(svg, "bytes-down", bx, mid, bw, b.bytesDown() * half / max, title);
            bar(svg, "bytes-dropped", bx, mid + b.bytesDown() * half / max, bw, b.droppedDown() * half / max, title);
            open += b.opened() - b.closed();
            maxOpen = Math.max(maxOpen, open);
        }
        // open connections: a step line, changing at the end of each bucket
        double scale = (CONN_ROW - 8) / (double) Math.max(1, maxOpen);
        double base = connTop + CONN_ROW - 3;
        open = p.openAtStart();
        steps.append(f(LEFT)).append(',').append(f(base - open * scale));
        for (TestResult.TrafficBucket b : p.buckets()) {
            if (b.opened() == 0 && b.closed() == 0) {
                continue;
            }
            double bx = x(b.startNanos() + TrafficSeries.BUCKET_NANOS, total);
            steps.append(' ').append(f(bx)).append(',').append(f(base - open * scale));
            open += b.opened() - b.closed();
            steps.append(' ').append(f(bx)).append(',').append(f(base - open * scale));
        }
        steps.append(' ').append(f(LEFT + PLOT)).append(',').append(f(base - open * scale));
        svg.append("<polyline class=\"conn-line\" points=\"").append(steps).append("\"><title>open connections: ")
                .append(p.openAtStart()).append(" at the start, at most ").append(maxOpen).append(", ").append(open)
                .append(" at the end</title></polyline>")
                .append("<text class=\"sub\" x=\"").append(LEFT - 4).append("\" y=\"").append(connTop + 12)
                .append("\" text-anchor=\"end\">").append(maxOpen).append("</text>\n</g>\n");
    }

    /**
     * The label of a fault band {@code width} px wide: its spec, cut short with an ellipsis where
     * it would run past the band (white text on the white lane), or {@code null} where not even a
     * few characters fit. The band's title has the full spec.
     */
    static String faultLabel(String spec, double width) {
        int fits = (int) ((width - 2 * FAULT_LABEL_PAD) / FAULT_LABEL_CHAR_PX);
        if (spec.length() <= fits) {
            return spec;
        }
        return fits >= 4 ? shorten(spec, fits) : null;
    }

    private static void bar(StringBuilder svg, String css, double x, double y, double w, double h, String title) {
        if (h <= 0) {
            return;
        }
        svg.append("<rect class=\"").append(css).append("\" x=\"").append(f(x)).append("\" y=\"").append(f(y))
                .append("\" width=\"").append(f(w)).append("\" height=\"").append(f(Math.max(h, 0.8)))
                .append("\"><title>").append(esc(title)).append("</title></rect>");
    }

    /**
     * One probe's row: a strip on top with a tick per failed call, then a bar per call at its
     * start, as high as its latency on a log scale from 0.1 ms to the slowest call; the faults of
     * every proxy shaded behind.
     */
    private static void probe(StringBuilder svg, TestResult t, TestResult.ProbeResult p, long total, int top) {
        int bottom = top + PROBE_ROW - GAP;
        int scaleTop = top + ERROR_STRIP + 6;
        LatencyScale scale = LatencyScale.of(p, scaleTop, bottom - 1);
        long failures = p.failures();
        svg.append("<g class=\"probe\" data-probe=\"").append(esc(p.name())).append("\">\n")
                .append("<text class=\"label proxy-name\" x=\"8\" y=\"").append(top + 14).append("\">")
                .append(esc(shorten(p.name(), PROBE_NAME_CHARS))).append("<title>probe ").append(esc(p.name()))
                .append("</title></text>")
                .append("<text class=\"sub\" x=\"8\" y=\"").append(top + 28).append("\">probe, every ")
                .append(latency(p.intervalNanos())).append("</text>")
                .append("<text class=\"sub\" x=\"8\" y=\"").append(top + 41).append("\">")
                .append(callCounts(p.samples().size(), failures, p.hungCallStartNanos() >= 0)).append("</text>")
                .append(p.hungCallStartNanos() < 0 ? "" : "<text class=\"sub hung-count\" x=\"8\" y=\"" + (top + 67)
                        + "\">1 call still running</text>")
                .append("<text class=\"sub\" x=\"8\" y=\"").append(top + 54)
                .append("\">latency (log scale)</text>\n");
        svg.append("<rect class=\"lane\" x=\"").append(LEFT).append("\" y=\"").append(top).append("\" width=\"")
                .append(PLOT).append("\" height=\"").append(bottom - top).append("\"/>")
                .append("<rect class=\"error-strip\" x=\"").append(LEFT).append("\" y=\"").append(top)
                .append("\" width=\"").append(PLOT).append("\" height=\"").append(ERROR_STRIP).append("\"/>")
                .append("<text class=\"sub\" x=\"").append(LEFT - 4).append("\" y=\"").append(top + ERROR_STRIP - 1)
                .append("\" text-anchor=\"end\">errors</text>\n");
        for (TestResult.ProxyResult proxy : t.proxies()) {
            for (TestResult.FaultPeriod fault : proxy.faults()) {
                double x1 = x(fault.startNanos(), total);
                svg.append("<rect class=\"fault-shade fault-").append(fault.fault()).append("\" x=\"").append(f(x1))
                        .append("\" y=\"").append(top).append("\" width=\"")
                        .append(f(Math.max(2, x(fault.stopNanos(), total) - x1))).append("\" height=\"")
                        .append(bottom - top).append("\"/>");
            }
        }
        scale.axis(svg);
        double intervalPx = (double) p.intervalNanos() / total * PLOT;
        double w = Math.max(1.5, Math.min(6, intervalPx * 0.7));
        StringBuilder ticks = new StringBuilder();
        for (TestResult.Sample sample : p.samples()) {
            double sx = Math.min(x(sample.startNanos(), total), LEFT + PLOT - w);
            double sy = scale.y(sample.latencyNanos());
            String title = "at " + TestResult.millis(sample.startNanos()) + ": " + latency(sample.latencyNanos())
                    + (sample.success() ? ", ok" : ", failed: " + (sample.error() == null ? "(no message)" : sample.error()));
            svg.append("<rect class=\"probe-sample ").append(sample.success() ? "ok" : "failed").append("\" x=\"")
                    .append(f(sx)).append("\" y=\"").append(f(sy)).append("\" width=\"").append(f(w))
                    .append("\" height=\"").append(f(scale.base() - sy)).append("\"><title>").append(esc(title))
                    .append("</title></rect>");
            if (!sample.success()) {
                ticks.append("<rect class=\"probe-error\" x=\"").append(f(sx)).append("\" y=\"").append(top + 1)
                        .append("\" width=\"").append(f(Math.max(2, w))).append("\" height=\"").append(ERROR_STRIP - 2)
                        .append("\"><title>").append(esc(title)).append("</title></rect>");
            }
        }
        svg.append(ticks).append('\n');
        if (p.hungCallStartNanos() >= 0) {
            double hx = x(p.hungCallStartNanos(), total);
            double hw = Math.max(2, LEFT + PLOT - hx);
            svg.append("<g class=\"probe-hung\"><title>a call started at ").append(TestResult.millis(p.hungCallStartNanos()))
                    .append(" was still running when the test ended, ")
                    .append(latency(Math.max(0, t.durationNanos() - p.hungCallStartNanos()))).append(" later</title>")
                    .append("<rect class=\"probe-hung-bar\" x=\"").append(f(hx)).append("\" y=\"").append(scaleTop - 4)
                    .append("\" width=\"").append(f(hw)).append("\" height=\"4\"/>");
            boolean after = hw > 130;
            svg.append("<text class=\"probe-hung-label\" x=\"").append(f(after ? hx + 4 : LEFT + PLOT - 2))
                    .append("\" y=\"").append(scaleTop + 8).append(after ? "\">" : "\" text-anchor=\"end\">")
                    .append("still running at the end</text>");
            svg.append("</g>\n");
        }
        svg.append("</g>\n");
    }

    /**
     * Such as {@code 31 calls, 3 failed}, or {@code no call returned} when the only call had not
     * returned when the test ended (a line of its own under the row's labels says so). Markup.
     */
    static String callCounts(int calls, long failures, boolean oneRunning) {
        if (calls == 0 && oneRunning) {
            return "no call returned";
        }
        return calls + (calls == 1 ? " call" : " calls")
                + (failures == 0 ? ", none failed" : ", <tspan class=\"failed-count\">" + failures + " failed</tspan>");
    }

    /** Latency on a log scale from {@link #LATENCY_FLOOR_NANOS} to the slowest call (at least 1 ms), bottom to top. */
    private record LatencyScale(long max, double top, double base) {

        static LatencyScale of(TestResult.ProbeResult p, double top, double base) {
            long max = 1_000_000L;
            for (TestResult.Sample sample : p.samples()) {
                max = Math.max(max, sample.latencyNanos());
            }
            return new LatencyScale(max, top, base);
        }

        /** The top of a bar of {@code nanos}; the shortest bar is 2 px. */
        double y(long nanos) {
            double fraction = Math.log(Math.max(nanos, LATENCY_FLOOR_NANOS) / (double) LATENCY_FLOOR_NANOS)
                    / Math.log(max / (double) LATENCY_FLOOR_NANOS);
            return base - 2 - Math.max(0, Math.min(1, fraction)) * (base - top - 2);
        }

        /** Labels the slowest call at the top, and 0.1 ms, 1 ms, 10 ms, ... where they fit. */
        void axis(StringBuilder svg) {
            svg.append("<line class=\"axis\" x1=\"").append(LEFT).append("\" y1=\"").append(f(base)).append("\" x2=\"")
                    .append(LEFT + PLOT).append("\" y2=\"").append(f(base)).append("\"/>")
                    .append("<text class=\"sub\" x=\"").append(LEFT - 4).append("\" y=\"").append(f(top + 4))
                    .append("\" text-anchor=\"end\">").append(latency(max)).append("</text>");
            double lastLabel = Double.MAX_VALUE;
            for (long decade = LATENCY_FLOOR_NANOS; decade < max; decade *= 10) {
                double y = y(decade);
                if (lastLabel - y < 11 || y - top < 11) {
                    continue; // too close to the label below, or to the slowest call's at the top
                }
                svg.append("<line class=\"grid-latency\" x1=\"").append(LEFT).append("\" y1=\"").append(f(y))
                        .append("\" x2=\"").append(LEFT + PLOT).append("\" y2=\"").append(f(y)).append("\"/>");
                if (decade > LATENCY_FLOOR_NANOS || base - y < 3) {
                    svg.append("<text class=\"sub\" x=\"").append(LEFT - 4).append("\" y=\"").append(f(y + 3.5))
                            .append("\" text-anchor=\"end\">").append(latency(decade)).append("</text>");
                }
                lastLabel = y;
            }
            svg.append('\n');
        }
    }

    /** Such as {@code 0.42 ms}, {@code 3.1 ms}, {@code 250 ms}, {@code 1.25 s}. */
    static String latency(long nanos) {
        if (nanos < 1_000_000L) {
            return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6).replace("0 ms", " ms").replace(". ms", " ms");
        }
        if (nanos < 10_000_000L) {
            return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6).replace(".0 ms", " ms");
        }
        if (nanos < 1_000_000_000L) {
            return Math.round(nanos / 1e6) + " ms";
        }
        return String.format(Locale.ROOT, "%.2f s", nanos / 1e9).replace(".00 s", " s");
    }

    private static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "\u2026";
    }

    /** The test's SLO verdicts other than recovery, as a list under the chart. */
    private static void verdicts(StringBuilder html, TestResult t) {
        if (t.verdicts().isEmpty()) {
            return;
        }
        html.append("<div class=\"verdicts\"><span class=\"verdicts-title\">SLO verdicts</span>\n<ul>\n");
        for (TestResult.Verdict v : t.verdicts()) {
            String verdict = v.passed() ? "passed" : "failed";
            html.append("<li class=\"verdict ").append(verdict).append("\"><span class=\"badge ").append(verdict)
                    .append("\">").append(v.passed() ? "PASSED" : "FAILED").append("</span> ");
            if (v.subject() != null) {
                html.append("<span class=\"subject\">").append(esc(v.subject())).append("</span> ");
            }
            html.append("<span class=\"assertion\">").append(esc(v.assertion())).append("</span>")
                    .append(" \u2014 measured <span class=\"measured\">").append(esc(v.measured())).append("</span>")
                    .append(" <span class=\"window\">(from ").append(TestResult.millis(v.fromNanos())).append(" to ")
                    .append(TestResult.millis(v.toNanos())).append(")</span></li>\n");
        }
        html.append("</ul></div>\n");
    }

    /**
     * Where a recovery and its label go on the x axis: the span from the start of the budget to
     * the recovery (or the end of the budget), the SLO deadline's tick, and the label, right of
     * the marker when it fits, else left of the start, else ending at the marker. The label goes
     * above the line ({@code labelAbove}) when it ends at the marker, or when the deadline's tick
     * would cross it; the tick then stops short of it.
     */
    private record RecoveryLayout(double x1, double x2, double labelX, boolean labelRight, boolean labelAbove,
            double from, double to) {

        static RecoveryLayout of(TestResult.Recovery r, long total) {
            double x1 = x(Math.max(0, r.startNanos()), total);
            long endNanos = r.recoveryNanos() >= 0 ? r.startNanos() + r.recoveryNanos() : r.endNanos();
            double x2 = x(endNanos, total);
            double labelWidth = label(r).length() * 6.5;
            boolean right = x2 + 9 + labelWidth < WIDTH;
            double labelX = right ? x2 + 9 : x1 - 9 - labelWidth > LEFT ? x1 - 9 : Math.max(x1, x2) - 9;
            boolean above = !right && labelX >= x1;
            double from = Math.min(x1, right ? x1 : labelX - labelWidth);
            double to = Math.max(x2, right ? labelX + labelWidth : Math.max(x1, x2));
            long deadline = r.startNanos() + r.sloNanos();
            if (deadline <= total) {
                double xd = x(deadline, total);
                double labelFrom = right ? labelX : labelX - labelWidth;
                above |= xd > labelFrom - 3 && xd < labelFrom + labelWidth + 3;
                to = Math.max(to, xd);
            }
            return new RecoveryLayout(x1, x2, labelX, right, above, from, to);
        }
    }

    private static String label(TestResult.Recovery r) {
        return (r.subject() == null ? "" : r.subject() + ": ") + r.summary()
                + (r.passed() ? " \u2014 PASSED" : " \u2014 FAILED");
    }

    /**
     * The line of the recovery row each recovery goes on, so that no two overlap (with their
     * labels and SLO ticks): in the order the recoveries start, each takes the first line where the
     * ones already there end before it begins. Recoveries far apart share the first line.
     */
    static int[] recoveryLanes(List<TestResult.Recovery> recoveries, long total) {
        int[] lanes = new int[recoveries.size()];
        List<RecoveryLayout> layouts = recoveries.stream().map(r -> RecoveryLayout.of(r, total)).toList();
        Integer[] order = new Integer[recoveries.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> layouts.get(i).x1()));
        List<List<RecoveryLayout>> taken = new ArrayList<>();
        for (int i : order) {
            RecoveryLayout layout = layouts.get(i);
            int lane = 0;
            while (lane < taken.size() && taken.get(lane).stream()
                    .anyMatch(other -> layout.from() < other.to() + 6 && other.from() < layout.to() + 6)) {
                lane++;
            }
            if (lane == taken.size()) {
                taken.add(new ArrayList<>());
            }
            taken.get(lane).add(layout);
            lanes[i] = lane;
        }
        return lanes;
    }

    private static void recovery(StringBuilder svg, TestResult.Recovery r, long total, int top, int plotBottom) {
        String verdict = r.passed() ? "passed" : "failed";
        RecoveryLayout layout = RecoveryLayout.of(r, total);
        double x1 = layout.x1();
        double x2 = layout.x2();
        double mid = top + RECOVERY_ROW / 2.0;
        String title = (r.subject() == null ? "" : r.subject() + ": ") + r.summary()
                + (r.passed() ? ", PASSED" : ", FAILED") + "; " + r.attempts() + " attempts"
                + (r.lastError() == null ? "" : "; last error: " + r.lastError());
        svg.append("<g class=\"recovery ").append(verdict).append("\" data-recovery-ms=\"")
                .append(r.recoveryNanos() < 0 ? "" : JsonReport.ms(r.recoveryNanos()))
                .append("\" data-first-success-ms=\"")
                .append(r.firstSuccessNanos() < 0 ? "" : JsonReport.ms(r.firstSuccessNanos())).append("\" data-slo-ms=\"")
                .append(JsonReport.ms(r.sloNanos())).append("\"><title>").append(esc(title)).append("</title>")
                .append("<line class=\"recovery-start\" x1=\"").append(f(x1)).append("\" y1=\"0\" x2=\"").append(f(x1))
                .append("\" y2=\"").append(plotBottom).append("\"/>")
                .append("<line class=\"recovery-span\" x1=\"").append(f(x1)).append("\" y1=\"").append(f(mid))
                .append("\" x2=\"").append(f(x2)).append("\" y2=\"").append(f(mid)).append("\"/>");
        long deadline = r.startNanos() + r.sloNanos();
        if (deadline <= total) {
            double xd = x(deadline, total);
            // shorter under a label that sits above the line, so it does not cross it
            svg.append("<line class=\"slo-deadline\" x1=\"").append(f(xd)).append("\" y1=\"")
                    .append(f(layout.labelAbove() ? mid - 3 : mid - 10))
                    .append("\" x2=\"").append(f(xd)).append("\" y2=\"").append(f(mid + 10)).append("\"/>");
        }
        if (r.firstSuccessNanos() >= 0 && r.firstSuccessNanos() != r.recoveryNanos()) {
            String what = "first successful call after " + TestResult.millis(r.firstSuccessNanos()) + " (at "
                    + TestResult.millis(r.startNanos() + r.firstSuccessNanos()) + "); "
                    + (r.recoveryNanos() >= 0
                            ? r.consecutiveSuccesses() + " in a row after " + TestResult.millis(r.recoveryNanos())
                            : "never " + r.consecutiveSuccesses() + " in a row");
            svg.append("<circle class=\"recovery-first-success\" cx=\"")
                    .append(f(x(r.startNanos() + r.firstSuccessNanos(), total))).append("\" cy=\"").append(f(mid))
                    .append("\" r=\"3.5\"><title>").append(esc(what)).append("</title></circle>");
        }
        if (r.recoveryNanos() >= 0) {
            svg.append("<line class=\"recovery-marker\" x1=\"").append(f(x2)).append("\" y1=\"0\" x2=\"").append(f(x2))
                    .append("\" y2=\"").append(plotBottom).append("\"/>")
                    .append("<circle class=\"recovery-point\" cx=\"").append(f(x2)).append("\" cy=\"").append(f(mid))
                    .append("\" r=\"5\"/>");
        } else {
            svg.append("<text class=\"recovery-marker never\" x=\"").append(f(x2)).append("\" y=\"").append(f(mid + 5))
                    .append("\" text-anchor=\"middle\">\u2715</text>");
        }
        boolean right = layout.labelRight();
        double labelX = layout.labelX();
        svg.append("<text class=\"recovery-label\" x=\"").append(f(labelX)).append("\" y=\"")
                .append(f(layout.labelAbove() ? mid - 7 : mid + 4)).append(right ? "\"" : "\" text-anchor=\"end\"")
                .append('>').append(esc(label(r)))
                .append("</text></g>\n");
    }

    private static double x(long nanos, long total) {
        return LEFT + (double) Math.max(0, Math.min(nanos, total)) / total * PLOT;
    }

    private static long niceStep(long total) {
        long target = total / 8;
        long step = 1_000_000; // 1 ms
        long[] factors = {1, 2, 5};
        while (true) {
            for (long factor : factors) {
                if (step * factor >= target) {
                    return step * factor;
                }
            }
            step *= 10;
        }
    }

    private static String tickLabel(long nanos, long step) {
        if (step >= 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.0f s", nanos / 1e9);
        }
        if (step >= 100_000_000L && nanos >= 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
        }
        return Math.round(nanos / 1e6) + " ms";
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String esc(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * After layout, counts the charts, fault bands, recovery markers, probe calls (all and failed)
     * and verdicts the browser actually drew (with a size) and writes the counts on
     * {@code <body>}, with how many probe calls and verdicts the page's data has, so a headless
     * browser's {@code --dump-dom} shows whether the charts rendered. Nothing else runs.
     */
    private static final String SELF_CHECK = "(function () {"
            + " function drawn(selector) { var n = 0; document.querySelectorAll(selector).forEach(function (e) {"
            + " var r = e.getBoundingClientRect(); if (r.width > 0 || r.height > 0) { n++; } }); return n; }"
            + " var b = document.body;"
            + " b.setAttribute('data-charts', drawn('svg.chart'));"
            + " b.setAttribute('data-fault-bands', drawn('rect.fault-band'));"
            + " b.setAttribute('data-recovery-markers', drawn('.recovery-marker'));"
            + " b.setAttribute('data-probe-samples', drawn('rect.probe-sample'));"
            + " b.setAttribute('data-probe-failed-samples', drawn('rect.probe-sample.failed'));"
            + " b.setAttribute('data-verdicts', drawn('li.verdict'));"
            + " try { var d = JSON.parse(document.getElementById('chaos-data').textContent), s = 0, f = 0, v = 0;"
            + " d.tests.forEach(function (t) { v += t.verdicts.length; t.probes.forEach(function (p) {"
            + " s += p.samples.length; p.samples.forEach(function (x) { if (x.length > 2) { f++; } }); }); });"
            + " b.setAttribute('data-probe-samples-expected', s); b.setAttribute('data-probe-failed-samples-expected', f);"
            + " b.setAttribute('data-verdicts-expected', v);"
            + " } catch (e) { b.setAttribute('data-error', 'unreadable'); }"
            + " b.setAttribute('data-rendered', 'yes');"
            + " })();";

    private static final String LEGEND = "<p class=\"legend\">"
            + "<span class=\"key fault-band fault-LATENCY\"></span>fault active "
            + "<span class=\"key bytes-up\"></span>bytes to the dependency "
            + "<span class=\"key bytes-down\"></span>bytes to the client "
            + "<span class=\"key bytes-dropped\"></span>bytes dropped by a fault "
            + "<span class=\"key conn\"></span>open connections "
            + "<span class=\"key rec-ok\"></span>recovery within the SLO "
            + "<span class=\"key rec-bad\"></span>recovery over the SLO (tick: SLO deadline) "
            + "<span class=\"key first-success\"></span>first success, where n in a row were required "
            + "<span class=\"key probe-ok\"></span>probe call (height: latency, log scale) "
            + "<span class=\"key probe-failed\"></span>failed probe call "
            + "<span class=\"key probe-hung\"></span>probe call still running at the end</p>\n";

    private static final String CSS = """
            body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #1f2328; background: #f6f8fa; }
            header { background: #24292f; color: #fff; padding: 16px 24px; }
            header h1 { margin: 0 0 4px; font-size: 20px; }
            .summary { margin: 0 0 8px; }
            .legend { margin: 0; font-size: 12px; color: #d0d7de; }
            .legend .key { display: inline-block; width: 14px; height: 10px; margin: 0 4px 0 12px; vertical-align: middle; }
            .legend .key.fault-band { background: #f0a54a; }
            .legend .key.bytes-up { background: #3b82c4; }
            .legend .key.bytes-down { background: #8a63d2; }
            .legend .key.bytes-dropped { background: #d1242f; }
            .legend .key.conn { background: #1a7f37; height: 3px; }
            .legend .key.rec-ok { background: #1a7f37; }
            .legend .key.rec-bad { background: #cf222e; }
            .legend .key.first-success { width: 6px; height: 6px; border: 2px solid #d0d7de; border-radius: 50%; }
            .legend .key.probe-ok { background: #2da44e; width: 4px; height: 12px; }
            .legend .key.probe-failed { background: #cf222e; width: 4px; height: 12px; }
            .legend .key.probe-hung { background: #9a6700; height: 4px; }
            main { padding: 8px 24px 24px; }
            .test { background: #fff; border: 1px solid #d0d7de; border-radius: 6px; margin: 16px 0; padding: 12px 16px; }
            .test.failed { border-color: #cf222e; }
            .test h2 { font-size: 16px; margin: 0 0 4px; }
            .duration { color: #656d76; font-weight: normal; font-size: 13px; }
            .badge { font-size: 11px; padding: 2px 6px; border-radius: 10px; color: #fff; vertical-align: middle; }
            .badge.passed { background: #1a7f37; } .badge.failed { background: #cf222e; } .badge.aborted { background: #9a6700; }
            .line { margin: 0 0 8px; color: #424a53; font-family: ui-monospace, monospace; font-size: 12px; }
            .failure { background: #ffebe9; padding: 6px; white-space: pre-wrap; font-size: 12px; margin: 0 0 8px; }
            svg.chart { display: block; font-size: 11px; }
            .lane { fill: #fafbfc; stroke: #eaeef2; }
            .grid { stroke: #eaeef2; }
            .axis { stroke: #afb8c1; }
            .tick { fill: #656d76; text-anchor: middle; }
            .label { fill: #1f2328; } .proxy-name { font-weight: 600; } .sub { fill: #656d76; font-size: 10px; }
            .none { fill: #8c959f; font-style: italic; }
            .fault-band { fill: #f0a54a; } .fault-band.fault-DOWN { fill: #cf222e; } .fault-band.fault-TIMEOUT { fill: #8250df; }
            .fault-band.fault-RESET_PEER { fill: #bc4c00; }
            .fault-shade { fill: #f0a54a; opacity: .13; } .fault-shade.fault-DOWN { fill: #cf222e; }
            .fault-shade.fault-TIMEOUT { fill: #8250df; } .fault-shade.fault-RESET_PEER { fill: #bc4c00; }
            .fault-label { fill: #fff; font-weight: 600; font-size: 10px; pointer-events: none; }
            .bytes-up { fill: #3b82c4; } .bytes-down { fill: #8a63d2; } .bytes-dropped { fill: #d1242f; }
            .conn-line { fill: none; stroke: #1a7f37; stroke-width: 1.5; }
            .bypass { fill: #cf222e; text-anchor: middle; font-weight: 600; }
            .recovery-start { stroke: #656d76; stroke-dasharray: 3 3; }
            .recovery-span { stroke-width: 4; }
            .recovery.passed .recovery-span, .recovery.passed .recovery-marker { stroke: #1a7f37; }
            .recovery.failed .recovery-span, .recovery.failed .recovery-marker { stroke: #cf222e; }
            .recovery-marker { stroke-dasharray: 4 2; } .recovery-marker.never { fill: #cf222e; stroke: none; font-size: 14px; }
            .recovery.passed .recovery-point { fill: #1a7f37; } .recovery.failed .recovery-point { fill: #cf222e; }
            .recovery-first-success { fill: #fff; stroke-width: 2; }
            .recovery.passed .recovery-first-success { stroke: #1a7f37; } .recovery.failed .recovery-first-success { stroke: #cf222e; }
            .slo-deadline { stroke: #1f2328; stroke-width: 2; }
            .error-strip { fill: #f6f8fa; } .grid-latency { stroke: #d8dee4; stroke-dasharray: 2 3; }
            .probe-sample.ok { fill: #2da44e; } .probe-sample.failed, .probe-error { fill: #cf222e; }
            .failed-count { fill: #cf222e; font-weight: 600; } .sub.hung-count { fill: #9a6700; font-weight: 600; }
            .probe-hung-bar { fill: #9a6700; } .probe-hung-label { fill: #9a6700; font-size: 10px; font-weight: 600;
                paint-order: stroke; stroke: #fff; stroke-width: 3px; }
            .verdicts { margin: 10px 0 0; font-size: 13px; }
            .verdicts-title { font-weight: 600; }
            .verdicts ul { list-style: none; margin: 4px 0 0; padding: 0; }
            .verdict { margin: 2px 0; padding: 3px 8px; border-left: 4px solid #1a7f37; background: #f6f8fa; }
            .verdict.failed { border-left-color: #cf222e; background: #ffebe9; }
            .verdict .subject { font-weight: 600; } .verdict .measured { font-family: ui-monospace, monospace; font-size: 12px; }
            .verdict .window { color: #656d76; font-size: 12px; }
            .recovery-label { font-weight: 600; paint-order: stroke; stroke: #fff; stroke-width: 3px; } .recovery.passed .recovery-label { fill: #1a7f37; }
            .recovery.failed .recovery-label { fill: #cf222e; }
            """;
}
