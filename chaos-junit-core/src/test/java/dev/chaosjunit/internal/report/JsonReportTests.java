package dev.chaosjunit.internal.report;

import static dev.chaosjunit.internal.report.ReportFixtures.MS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The JSON file, version 2: probes, verdicts, recovery subjects, run and JVMs; and reading it back. */
class JsonReportTests {

    private static final Report TWO_JVMS = new Report("4242-1700000000000", List.of(
            new Report.Jvm(101, Instant.parse("2026-01-02T03:04:05.678Z"), List.of(ReportFixtures.outageWithProbes())),
            new Report.Jvm(102, null, List.of(ReportFixtures.plainOutage(), ReportFixtures.probeOnly("Health", "ok")))));

    @Test
    void version2_saysWhichRunAndWhichJvms() {
        String json = JsonReport.render(TWO_JVMS);
        assertThat(json).startsWith("{\n  \"version\": 2,\n  \"bucketMs\": 50,\n  \"run\": \"4242-1700000000000\",\n"
                + "  \"jvms\": [{\"pid\": 101, \"started\": \"2026-01-02T03:04:05.678Z\", \"tests\": 1},"
                + " {\"pid\": 102, \"started\": null, \"tests\": 2}],\n  \"tests\": [\n    {\"class\": ");
        // one test per line start, which .ci/check-report.sh counts
        assertThat(json.split("\n    \\{\"class\": ", -1)).hasSize(4);
    }

    @Test
    void probes_haveCompactSamples_andEachDistinctErrorOnce() {
        String json = JsonReport.render(List.of(ReportFixtures.outageWithProbes()));
        assertThat(json).contains("\"probes\": [{\"name\": \"orders-db\", \"intervalMs\": 50, \"hungCallStartMs\": null,"
                        + " \"calls\": 94, \"failed\": 12,\n       \"errors\": [\"" + ReportFixtures.REFUSED + "\", \""
                        + ReportFixtures.POOL_TIMEOUT + "\"],\n       \"samples\": [[20, 0.9], [70, 1.919], ",
                "{\"name\": \"inventory\", \"intervalMs\": 100, \"hungCallStartMs\": 5750, \"calls\": 47, \"failed\": 0,",
                "[2020, 0.4, 0], ", "[2320, 251, 1], ");
        assertThat(json).containsOnlyOnce(ReportFixtures.POOL_TIMEOUT);
        // 141 calls in about 4 KB, not one object per call
        int start = json.indexOf("\"probes\"");
        assertThat(json.indexOf("\"verdicts\"") - start).isLessThan(4000);
    }

    @Test
    void verdicts_andRecoverySubjects_areThere() {
        String json = JsonReport.render(List.of(ReportFixtures.outageWithProbes(), ReportFixtures.plainOutage()));
        assertThat(json).contains("\"verdicts\": [{\"subject\": \"orders-db\", \"assertion\": \"every call during the outage"
                        + " fails within 500 ms\", \"measured\": \"slowest failed call 251 ms (29 calls)\", \"passed\": true,"
                        + " \"fromMs\": 2000, \"toMs\": 3500},",
                "{\"subject\": \"inventory\", \"assertion\": \"p99 latency outside faults \\u003c= 200 ms\", \"measured\":"
                        + " \"312 ms (40 calls)\", \"passed\": false, \"fromMs\": 0, \"toMs\": 6000}]}",
                "\"recoveries\": [{\"subject\": \"orders-db\", \"startMs\": 3500, \"recoveryMs\": 429,"
                        + " \"firstSuccessMs\": 327, ",
                "\"recoveries\": [{\"subject\": null, \"startMs\": 400, \"recoveryMs\": 49, \"firstSuccessMs\": 49, ",
                "\"probes\": [],\n     \"verdicts\": []}");
    }

    @Test
    void whatIsWritten_readsBackTheSame() {
        String json = JsonReport.render(TWO_JVMS);
        Report read = JsonReport.parse(json);
        assertThat(read).isEqualTo(TWO_JVMS);
        assertThat(JsonReport.render(read)).isEqualTo(json);
    }

    @Test
    void aRecoveryWithoutFirstSuccessMs_asWrittenBeforeItExisted_readsAsNone() {
        String json = JsonReport.render(List.of(ReportFixtures.outageWithProbes()));
        assertThat(json).contains("\"firstSuccessMs\": 327, ");
        TestResult.Recovery read = JsonReport.parse(json.replace("\"firstSuccessMs\": 327, ", "")).tests().get(0)
                .recoveries().get(0);
        assertThat(read.firstSuccessNanos()).isEqualTo(-1);
        assertThat(read.recoveryNanos()).isEqualTo(429 * MS);
        assertThat(read.summary()).isEqualTo("recovered in 429 ms, 3 in a row (SLO 2 s)");
    }

    @Test
    void readingBack_roundsToTheMicrosecond() {
        TestResult.Sample sample = new TestResult.Sample(1_234_567_891L, 999L, false, "x\n\"y\" <z> \u2028 \u00e9");
        TestResult test = new TestResult("C", "t", 2 * 1000 * MS, "PASSED", null, List.of(), List.of(),
                List.of(new TestResult.ProbeResult("p", 50 * MS, List.of(sample), -1)), List.of());
        TestResult.Sample read = JsonReport.parse(JsonReport.render(List.of(test))).tests().get(0).probes().get(0)
                .samples().get(0);
        assertThat(read).isEqualTo(new TestResult.Sample(1_234_568_000L, 1000L, false, sample.error()));
    }

    @Test
    void aFailedCallWithoutAMessage_staysOne() {
        TestResult test = ReportFixtures.probeOnly("Health", "ok");
        String json = JsonReport.render(List.of(test));
        assertThat(json).contains("\"errors\": [null]", "[100, 1, 0]");
        assertThat(JsonReport.parse(json).tests()).containsExactly(test);
    }

    @Test
    void somethingElse_isRejectedWithWhy() {
        assertThatThrownBy(() -> JsonReport.parse("{\"version\": 1, \"tests\": []}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("not a version 2 chaos report: version 1.0");
        assertThatThrownBy(() -> JsonReport.parse(JsonReport.render(TWO_JVMS).substring(0, 500)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("not JSON: expected ");
        String json = JsonReport.render(TWO_JVMS).replace("\"tests\": 2}", "\"tests\": 1}");
        assertThatThrownBy(() -> JsonReport.parse(json)).hasMessage("the jvms list 2 tests, but there are 3");
    }

    @Test
    void theReader_readsJson() {
        assertThat(JsonReader.parse(" {\"a\": [1, -2.5e3, true, false, null, \"\\u00e9\\\\\\/\\t\"], \"b\": {}} "))
                .isEqualTo(Map.of("a", listOf(1.0, -2500.0, true, false, null, "\u00e9\\/\t"), "b", Map.of()));
        assertThatThrownBy(() -> JsonReader.parse("[1,]")).hasMessage("not JSON: expected a value at offset 3, found ']'");
        assertThatThrownBy(() -> JsonReader.parse("{\"a\" 1}")).hasMessage("not JSON: expected ':' at offset 5, found '1'");
        assertThatThrownBy(() -> JsonReader.parse("[1] x")).hasMessage("not JSON: expected end of input at offset 4, found 'x'");
        assertThatThrownBy(() -> JsonReader.parse("\"abc")).hasMessage("not JSON: expected the end of the string at offset 4,"
                + " found the end");
    }

    private static List<Object> listOf(Object... values) {
        List<Object> list = new ArrayList<>();
        for (Object v : values) {
            list.add(v);
        }
        return list;
    }
}
