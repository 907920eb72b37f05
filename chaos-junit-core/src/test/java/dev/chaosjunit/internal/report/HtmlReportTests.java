package dev.chaosjunit.internal.report;

import static dev.chaosjunit.internal.report.ReportFixtures.MS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** The page's probe rows, hung calls, recovery subjects and verdict list, from hand-built results. */
class HtmlReportTests {

    /** Where the fixture page goes, for a look in a browser or {@code .ci/check-report.sh} on it. */
    static final Path FIXTURE_DIR = Paths.get("target", "chaos-report-fixture");

    private static int count(String html, String regex) {
        Matcher m = Pattern.compile(regex).matcher(html);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    @Test
    void eachProbeCall_isOneBar_failedOnesRedWithTheErrorInTheirTitle() {
        TestResult test = ReportFixtures.outageWithProbes();
        String html = HtmlReport.render(List.of(test));

        long calls = test.probes().stream().mapToLong(p -> p.samples().size()).sum();
        long failed = test.probes().stream().mapToLong(TestResult.ProbeResult::failures).sum();
        assertThat(failed).isPositive();
        assertThat(count(html, "<rect class=\"probe-sample ok\"")).isEqualTo(calls - failed);
        assertThat(count(html, "<rect class=\"probe-sample failed\"")).isEqualTo(failed);
        assertThat(count(html, "<rect class=\"probe-error\"")).as("a tick per failure in the error strip").isEqualTo(failed);
        assertThat(html).contains("<g class=\"probe\" data-probe=\"orders-db\">", "<g class=\"probe\" data-probe=\"inventory\">",
                "failed: java.net.ConnectException: Connection refused</title></rect>",
                ": 251 ms, failed: " + ReportFixtures.POOL_TIMEOUT + "</title></rect>",
                "probe, every 50 ms", "probe, every 100 ms", "<tspan class=\"failed-count\">" + failed + " failed</tspan>",
                "none failed", "latency (log scale)");
    }

    @Test
    void latency_isOnALogScale_soAMillisecondAndASecondBothRead() {
        TestResult.ProbeResult probe = new TestResult.ProbeResult("p", 50 * MS, List.of(
                new TestResult.Sample(0, 100_000, true, null),
                new TestResult.Sample(50 * MS, 1 * MS, true, null),
                new TestResult.Sample(100 * MS, 10 * MS, true, null),
                new TestResult.Sample(150 * MS, 1000 * MS, true, null)), -1);
        String html = HtmlReport.render(List.of(new TestResult("C", "t", 1200 * MS, "PASSED", null, List.of(), List.of(),
                List.of(probe), List.of())));

        Matcher bars = Pattern.compile("<rect class=\"probe-sample ok\" x=\"[0-9.]+\" y=\"[0-9.]+\" width=\"[0-9.]+\""
                + " height=\"([0-9.]+)\"").matcher(html);
        double[] heights = new double[4];
        for (int i = 0; i < 4; i++) {
            assertThat(bars.find()).isTrue();
            heights[i] = Double.parseDouble(bars.group(1));
        }
        // 0.1 ms is the floor (2 px), then one decade = the same step: 1 ms, 10 ms, ..., 1 s at the top
        assertThat(heights[0]).isEqualTo(2.0);
        double decade = heights[1] - heights[0];
        assertThat(heights[2] - heights[1]).isCloseTo(decade, offset(0.2));
        assertThat(heights[3] - heights[2]).isCloseTo(2 * decade, offset(0.2));
        assertThat(html).contains(">1 s</text>", ">10 ms</text>", ">1 ms</text>");
    }

    @Test
    void aCallStillRunningAtTheEnd_isMarkedFromItsStartToTheEnd() {
        String html = HtmlReport.render(List.of(ReportFixtures.outageWithProbes()));
        assertThat(count(html, "<g class=\"probe-hung\">")).isEqualTo(1);
        assertThat(html).contains("<title>a call started at 5750 ms was still running when the test ended, 250 ms later</title>",
                "still running at the end</text>");
    }

    @Test
    void faultsAreShadedBehindEveryProbeRow() {
        String html = HtmlReport.render(List.of(ReportFixtures.outageWithProbes()));
        // per fault: one shade in its proxy's rows, and one in each of the two probe rows
        assertThat(count(html, "<rect class=\"fault-shade fault-DOWN\"")).isEqualTo(3);
        assertThat(count(html, "<rect class=\"fault-shade fault-LATENCY\"")).isEqualTo(3);
        assertThat(count(html, "<rect class=\"fault-band ")).isEqualTo(2);
    }

    @Test
    void aRecoveryAboutAProbe_isLabelledWithItsName() {
        String html = HtmlReport.render(List.of(ReportFixtures.outageWithProbes(), ReportFixtures.plainOutage()));
        assertThat(html).contains(">orders-db: recovered in 429 ms, 3 in a row (first success after 327 ms; SLO 2 s)"
                        + " \u2014 PASSED</text>",
                ">recovered in 49 ms (SLO 5 s) \u2014 PASSED</text>");
    }

    @Test
    void nInARow_theFirstSuccessIsMarkedOnTheRecoveryLine_withATitle() {
        String html = HtmlReport.render(List.of(ReportFixtures.outageWithProbes(), ReportFixtures.plainOutage()));
        assertThat(count(html, "<circle class=\"recovery-first-success\"")).as("only where 3 in a row were required")
                .isEqualTo(1);
        assertThat(html).contains("data-recovery-ms=\"429\" data-first-success-ms=\"327\"",
                "data-recovery-ms=\"49\" data-first-success-ms=\"49\"",
                "<title>first successful call after 327 ms (at 3827 ms); 3 in a row after 429 ms</title></circle>");
        assertThat(count(html, "class=\"recovery-marker\"")).as("what .ci/check-report.sh counts: one per recovery")
                .isEqualTo(2);
    }

    @Test
    void faultLabels_thatDoNotFitTheirBand_areCutShortOrLeftOut() {
        assertThat(HtmlReport.faultLabel("DOWN", 200)).isEqualTo("DOWN");
        assertThat(HtmlReport.faultLabel("RESET_PEER(0 ms)", 66)).isEqualTo("RESET_P\u2026");
        assertThat(HtmlReport.faultLabel("DOWN", 13)).isNull();
        assertThat(HtmlReport.faultLabel("RESET_PEER(0 ms)", 30)).isNull();

        String html = HtmlReport.render(List.of(ReportFixtures.flappingBreaker()));
        assertThat(count(html, "<rect class=\"fault-band ")).isEqualTo(3);
        assertThat(count(html, "<text class=\"fault-label\"")).as("the 60 ms DOWN has none").isEqualTo(2);
        assertThat(html).contains("<title>DOWN on localhost:6379: 1800 ms to 1860 ms (60 ms)</title>")
                .doesNotContain(">RESET_PEER(0 ms)</text>", ">D</text>");
    }

    @Test
    void theSloDeadlinesTick_staysClearOfTheRecoveryLabel() {
        String html = HtmlReport.render(List.of(ReportFixtures.flappingBreaker()));
        Matcher tick = Pattern.compile("<line class=\"slo-deadline\" x1=\"([0-9.]+)\" y1=\"([0-9.]+)\" x2=\"[0-9.]+\""
                + " y2=\"([0-9.]+)\"").matcher(html);
        Matcher label = Pattern.compile("<text class=\"recovery-label\" x=\"([0-9.]+)\" y=\"([0-9.]+)\">([^<]+)</text>")
                .matcher(html);
        assertThat(tick.find()).isTrue();
        assertThat(label.find()).isTrue();
        double tickX = Double.parseDouble(tick.group(1));
        double labelX = Double.parseDouble(label.group(1));
        assertThat(label.group(3)).startsWith("breaker: recovered in 212 ms, 3 in a row (first success after 12 ms;");
        assertThat(tickX).as("the tick falls within the label's width").isBetween(labelX, labelX + 300);
        double tickTop = Double.parseDouble(tick.group(2));
        assertThat(Double.parseDouble(label.group(2))).as("so the label goes above the line and the tick stops short")
                .isLessThanOrEqualTo(tickTop - 4);
        assertThat(Double.parseDouble(tick.group(3)) - tickTop).isGreaterThan(10);
    }

    @Test
    void aProbeWhoseOnlyCallHangs_saysSo() {
        String html = HtmlReport.render(List.of(ReportFixtures.flappingBreaker(), ReportFixtures.outageWithProbes()));
        assertThat(html).contains(">no call returned</text><text class=\"sub hung-count\" x=\"8\" y=\"",
                ">47 calls, none failed</text><text class=\"sub hung-count\" x=\"8\" y=\"")
                .doesNotContain(">0 calls, none failed</text>");
        assertThat(count(html, ">1 call still running</text>")).as("one per hung probe").isEqualTo(2);
        assertThat(HtmlReport.callCounts(3, 1, false)).isEqualTo("3 calls, <tspan class=\"failed-count\">1 failed</tspan>");
    }

    @Test
    void recoveriesWhoseLabelsWouldOverlap_goOnLinesOfTheirOwn_andOnesFarApartShareALine() {
        // three outages of a flapping dependency, each recovered ~300 ms after it ended, 1.5 s apart in a 4.7 s test:
        // each label is wider than the gap to the next recovery (the last one's goes left, over the second one's);
        // one success each, so the labels are as short as they get
        List<TestResult.Recovery> flapping = List.of(
                new TestResult.Recovery("session", 900 * MS, 296 * MS, 296 * MS, 3900 * MS, 1000 * MS, true, 6, 1, null),
                new TestResult.Recovery("session", 2400 * MS, 297 * MS, 297 * MS, 3900 * MS, 1000 * MS, true, 6, 1, null),
                new TestResult.Recovery("session", 3900 * MS, 297 * MS, 297 * MS, 4200 * MS, 1000 * MS, true, 6, 1, null));
        assertThat(HtmlReport.recoveryLanes(flapping, 4700 * MS)).as("in time order, top down").containsExactly(0, 1, 2);
        // an earlier first outage: its label ends before the last one's begins, so they share a line
        List<TestResult.Recovery> apart = List.of(
                new TestResult.Recovery("session", 100 * MS, 296 * MS, 296 * MS, 400 * MS, 1000 * MS, true, 6, 1, null),
                flapping.get(2));
        assertThat(HtmlReport.recoveryLanes(apart, 4700 * MS)).containsExactly(0, 0);

        String html = HtmlReport.render(List.of(new TestResult("CircuitBreakerChaosIT", "flapping", 4700 * MS, "PASSED",
                null, List.of(), flapping, List.of(), List.of())));
        Matcher labels = Pattern.compile("<text class=\"recovery-label\" x=\"[0-9.]+\" y=\"([0-9.]+)\"").matcher(html);
        List<Double> ys = new ArrayList<>();
        while (labels.find()) {
            ys.add(Double.parseDouble(labels.group(1)));
        }
        assertThat(ys).hasSize(3).doesNotHaveDuplicates();
        assertThat(html).as("a recovery row of three lines").contains("height=\"" + (26 + 3 * 34 + 26 + 8) + "\"");
    }

    @Test
    void verdicts_areListedUnderTheChart_passedAndFailed() {
        String html = HtmlReport.render(List.of(ReportFixtures.outageWithProbes(), ReportFixtures.plainOutage()));
        assertThat(count(html, "<li class=\"verdict passed\">")).isEqualTo(2);
        assertThat(count(html, "<li class=\"verdict failed\">")).isEqualTo(1);
        assertThat(count(html, "<div class=\"verdicts\">")).as("only the test with verdicts has a list").isEqualTo(1);
        assertThat(html).contains("<li class=\"verdict failed\"><span class=\"badge failed\">FAILED</span>"
                + " <span class=\"subject\">inventory</span> <span class=\"assertion\">p99 latency outside faults"
                + " &lt;= 200 ms</span> \u2014 measured <span class=\"measured\">312 ms (40 calls)</span>"
                + " <span class=\"window\">(from 0 ms to 6000 ms)</span></li>");
        assertThat(html.indexOf("<div class=\"verdicts\">")).isGreaterThan(html.indexOf("<svg class=\"chart\""));
    }

    @Test
    void theSelfCheck_countsProbeCallsAndVerdicts_againstThePagesData() {
        String html = HtmlReport.render(List.of(ReportFixtures.outageWithProbes()));
        assertThat(html).contains("'data-probe-samples'", "'data-probe-failed-samples'", "'data-verdicts'",
                "'data-probe-samples-expected'", "'data-probe-failed-samples-expected'", "'data-verdicts-expected'");
        assertThat(html.split("<script", -1)).hasSize(3);
        assertThat(html).doesNotContain("http://", "https://", "src=", "href=", "url(");
    }

    @Test
    void aTestWithAProbeAndNoProxy_stillGetsItsRow() {
        String html = HtmlReport.render(List.of(ReportFixtures.probeOnly("Health", "ok")));
        assertThat(html).contains("no proxy used", "<g class=\"probe\" data-probe=\"health\">",
                "at 100 ms: 1 ms, failed: (no message)");
    }

    @Test
    void latencies_readNaturally() {
        assertThat(HtmlReport.latency(420_000)).isEqualTo("0.42 ms");
        assertThat(HtmlReport.latency(100_000)).isEqualTo("0.1 ms");
        assertThat(HtmlReport.latency(3_100_000)).isEqualTo("3.1 ms");
        assertThat(HtmlReport.latency(2 * MS)).isEqualTo("2 ms");
        assertThat(HtmlReport.latency(250 * MS)).isEqualTo("250 ms");
        assertThat(HtmlReport.latency(1250 * MS)).isEqualTo("1.25 s");
        assertThat(HtmlReport.latency(2000 * MS)).isEqualTo("2 s");
    }

    /** Leaves the page in target/chaos-report-fixture/, to look at or to check with .ci/check-report.sh. */
    @Test
    void theFixturePage_isWrittenForALook() throws IOException {
        Report report = new Report("fixture", List.of(
                new Report.Jvm(101, null, List.of(ReportFixtures.outageWithProbes())),
                new Report.Jvm(102, null, List.of(ReportFixtures.plainOutage(), ReportFixtures.probeOnly("Health", "ok"),
                        ReportFixtures.flappingBreaker()))));
        Files.createDirectories(FIXTURE_DIR);
        Files.writeString(FIXTURE_DIR.resolve(RunReport.JSON_FILE), JsonReport.render(report));
        Files.writeString(FIXTURE_DIR.resolve(RunReport.HTML_FILE), HtmlReport.render(report));
        assertThat(Files.readString(FIXTURE_DIR.resolve(RunReport.HTML_FILE)))
                .contains("4 chaos tests: 3 passed, 1 failed; from 2 test JVMs of one run");
    }
}
