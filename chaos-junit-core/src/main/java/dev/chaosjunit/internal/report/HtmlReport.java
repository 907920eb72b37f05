package dev.chaosjunit.internal.report;

import java.util.List;
import java.util.Locale;

/**
 * Renders test results as one self-contained HTML page: inline CSS, one inline SVG chart per
 * test, no scripts to run and nothing loaded from anywhere. Each chart has, per proxy, a row of
 * fault periods ({@code rect.fault-band}, also shaded behind the proxy's other rows), a row of
 * bytes per 50 ms bucket (upstream above the line, downstream below, dropped in red) and a step
 * line of open connections; then a row of recovery assertions, from the start of the budget to
 * the recovery ({@code .recovery-marker}), green when the SLO was met and red when not.
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
    private static final int AXIS = 26;
    private static final int GAP = 8;

    private HtmlReport() {
    }

    static String render(List<TestResult> results) {
        long passed = results.stream().filter(r -> r.status().equals("PASSED")).count();
        long failed = results.stream().filter(r -> r.status().equals("FAILED")).count();
        StringBuilder html = new StringBuilder(64 * 1024);
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>chaos-junit report</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n")
                .append("<header><h1>chaos-junit report</h1><p class=\"summary\">").append(results.size())
                .append(results.size() == 1 ? " chaos test: " : " chaos tests: ").append(passed).append(" passed, ")
                .append(failed).append(" failed").append(results.size() - passed - failed > 0
                        ? ", " + (results.size() - passed - failed) + " aborted" : "")
                .append("</p>\n").append(LEGEND).append("</header>\n<main>\n");
        if (results.isEmpty()) {
            html.append("<p class=\"empty\">No chaos test ran.</p>\n");
        }
        for (int i = 0; i < results.size(); i++) {
            test(html, results.get(i), i);
        }
        html.append("</main>\n<script type=\"application/json\" id=\"chaos-data\">")
                .append(JsonReport.render(results)).append("</script>\n<script>").append(SELF_CHECK)
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
        int proxyHeight = FAULT_ROW + BYTES_ROW + CONN_ROW + GAP;
        int height = Math.max(1, t.proxies().size()) * proxyHeight + RECOVERY_ROW + AXIS + GAP;
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
            svg.append("<text class=\"label\" x=\"8\" y=\"").append(y + 20).append("\">no proxy used</text>\n");
            y += proxyHeight;
        }
        for (TestResult.ProxyResult p : t.proxies()) {
            proxy(svg, p, total, y);
            y += proxyHeight;
        }
        // recoveries
        svg.append("<text class=\"label\" x=\"8\" y=\"").append(y + 21).append("\">recovery</text>\n");
        for (TestResult.Recovery r : t.recoveries()) {
            recovery(svg, r, total, y, plotBottom);
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
                    .append("</title></rect>")
                    .append("<text class=\"fault-label\" x=\"").append(f(x1 + 4)).append("\" y=\"").append(top + 16)
                    .append("\">").append(esc(fault.spec())).append("</text>\n");
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

    private static void bar(StringBuilder svg, String css, double x, double y, double w, double h, String title) {
        if (h <= 0) {
            return;
        }
        svg.append("<rect class=\"").append(css).append("\" x=\"").append(f(x)).append("\" y=\"").append(f(y))
                .append("\" width=\"").append(f(w)).append("\" height=\"").append(f(Math.max(h, 0.8)))
                .append("\"><title>").append(esc(title)).append("</title></rect>");
    }

    private static void recovery(StringBuilder svg, TestResult.Recovery r, long total, int top, int plotBottom) {
        String verdict = r.passed() ? "passed" : "failed";
        double x1 = x(Math.max(0, r.startNanos()), total);
        long endNanos = r.recoveryNanos() >= 0 ? r.startNanos() + r.recoveryNanos() : r.endNanos();
        double x2 = x(endNanos, total);
        double mid = top + RECOVERY_ROW / 2.0;
        String title = r.summary() + (r.passed() ? ", PASSED" : ", FAILED") + "; " + r.attempts() + " attempts"
                + (r.lastError() == null ? "" : "; last error: " + r.lastError());
        svg.append("<g class=\"recovery ").append(verdict).append("\" data-recovery-ms=\"")
                .append(r.recoveryNanos() < 0 ? "" : JsonReport.ms(r.recoveryNanos())).append("\" data-slo-ms=\"")
                .append(JsonReport.ms(r.sloNanos())).append("\"><title>").append(esc(title)).append("</title>")
                .append("<line class=\"recovery-start\" x1=\"").append(f(x1)).append("\" y1=\"0\" x2=\"").append(f(x1))
                .append("\" y2=\"").append(plotBottom).append("\"/>")
                .append("<line class=\"recovery-span\" x1=\"").append(f(x1)).append("\" y1=\"").append(f(mid))
                .append("\" x2=\"").append(f(x2)).append("\" y2=\"").append(f(mid)).append("\"/>");
        long deadline = r.startNanos() + r.sloNanos();
        if (deadline <= total) {
            double xd = x(deadline, total);
            svg.append("<line class=\"slo-deadline\" x1=\"").append(f(xd)).append("\" y1=\"").append(f(mid - 10))
                    .append("\" x2=\"").append(f(xd)).append("\" y2=\"").append(f(mid + 10)).append("\"/>");
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
        String label = r.summary() + (r.passed() ? " \u2014 PASSED" : " \u2014 FAILED");
        double labelWidth = label.length() * 6.5;
        boolean right = x2 + 9 + labelWidth < WIDTH;
        double labelX = right ? x2 + 9 : x1 - 9 - labelWidth > LEFT ? x1 - 9 : Math.max(x1, x2) - 9;
        svg.append("<text class=\"recovery-label\" x=\"").append(f(labelX)).append("\" y=\"")
                .append(f(right || labelX < x1 ? mid + 4 : mid - 7)).append(right ? "\"" : "\" text-anchor=\"end\"")
                .append('>').append(esc(label))
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
     * After layout, counts the fault bands and recovery markers the browser actually drew (with a
     * size) and writes the counts on {@code <body>}, so a headless browser's {@code --dump-dom}
     * shows whether the charts rendered. Nothing else runs.
     */
    private static final String SELF_CHECK = "(function () {"
            + " function drawn(selector) { var n = 0; document.querySelectorAll(selector).forEach(function (e) {"
            + " var r = e.getBoundingClientRect(); if (r.width > 0 || r.height > 0) { n++; } }); return n; }"
            + " var b = document.body;"
            + " b.setAttribute('data-charts', drawn('svg.chart'));"
            + " b.setAttribute('data-fault-bands', drawn('rect.fault-band'));"
            + " b.setAttribute('data-recovery-markers', drawn('.recovery-marker'));"
            + " b.setAttribute('data-rendered', 'yes');"
            + " })();";

    private static final String LEGEND = "<p class=\"legend\">"
            + "<span class=\"key fault-band fault-LATENCY\"></span>fault active "
            + "<span class=\"key bytes-up\"></span>bytes to the dependency "
            + "<span class=\"key bytes-down\"></span>bytes to the client "
            + "<span class=\"key bytes-dropped\"></span>bytes dropped by a fault "
            + "<span class=\"key conn\"></span>open connections "
            + "<span class=\"key rec-ok\"></span>recovery within the SLO "
            + "<span class=\"key rec-bad\"></span>recovery over the SLO (tick: SLO deadline)</p>\n";

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
            .slo-deadline { stroke: #1f2328; stroke-width: 2; }
            .recovery-label { font-weight: 600; } .recovery.passed .recovery-label { fill: #1a7f37; }
            .recovery.failed .recovery-label { fill: #cf222e; }
            """;
}
