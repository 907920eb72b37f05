package dev.chaosjunit.internal.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One report per run from the parts of its test JVMs; parts of earlier runs are deleted. */
class RunReportTests {

    private static final String RUN = "4242-1700000000000";

    @TempDir
    Path dir;

    private Path parts() {
        return dir.resolve(RunReport.PARTS_DIR);
    }

    /** Writes the part another JVM of {@code run} would have written. */
    private Path foreignPart(String run, long pid, Instant started, TestResult... tests) throws IOException {
        Files.createDirectories(parts());
        Path part = parts().resolve(run + RunReport.RUN_SEPARATOR + pid + ".json");
        Files.writeString(part, JsonReport.render(new Report(run, List.of(new Report.Jvm(pid, started, List.of(tests))))));
        return part;
    }

    private List<String> partNames() throws IOException {
        try (Stream<Path> files = Files.list(parts())) {
            return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    private Report written() throws IOException {
        return JsonReport.parse(Files.readString(dir.resolve(RunReport.JSON_FILE)));
    }

    @Test
    void theReport_hasTheTestsOfEveryJvmOfTheRun_inTheOrderTheJvmsStarted() throws IOException {
        foreignPart(RUN, 777, Instant.parse("2000-01-01T00:00:00Z"), ReportFixtures.plainOutage());
        foreignPart(RUN, 778, null, ReportFixtures.probeOnly("Late", "nullStart"));

        Report report = RunReport.write(dir, RUN, List.of(ReportFixtures.outageWithProbes()));

        long self = ProcessHandle.current().pid();
        assertThat(report.run()).isEqualTo(RUN);
        assertThat(report.jvms()).extracting(Report.Jvm::pid).containsExactly(777L, self, 778L);
        assertThat(report.tests()).extracting(TestResult::testClass)
                .containsExactly("InventoryServiceChaosIT", "OrderDatabaseChaosIT", "Late");
        assertThat(written()).isEqualTo(report);
        assertThat(Files.readString(dir.resolve(RunReport.HTML_FILE)))
                .contains("3 chaos tests: 2 passed, 1 failed; from 3 test JVMs of one run");
        assertThat(partNames()).contains(RUN + "--" + self + ".json", RUN + "--777.json", RUN + "--778.json", ".lock");
        assertThat(JsonReport.parse(Files.readString(parts().resolve(RUN + "--" + self + ".json"))).tests())
                .as("this JVM's part: its own tests only").extracting(TestResult::testClass)
                .containsExactly("OrderDatabaseChaosIT");
    }

    @Test
    void partsOfEarlierRuns_areDeleted_partsOfARunStillGoingAreKeptButNotShown() throws IOException, InterruptedException {
        Process exited = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), "-version")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        exited.waitFor();
        String over = exited.pid() + "-1700000000000";
        foreignPart(over, 9, null, ReportFixtures.plainOutage());
        Files.writeString(parts().resolve(over + "--9.json.9.tmp"), "half a fi");
        foreignPart("yesterdays_build", 10, null, ReportFixtures.plainOutage());
        String going = RunId.Proc.of(ProcessHandle.current()).runId();
        foreignPart(going, 11, null, ReportFixtures.plainOutage());
        Files.writeString(parts().resolve("notes.txt"), "not a part");

        Report report = RunReport.write(dir, RUN, List.of(ReportFixtures.outageWithProbes()));

        assertThat(report.tests()).extracting(TestResult::testClass).containsExactly("OrderDatabaseChaosIT");
        assertThat(partNames()).containsExactlyInAnyOrder(going + "--11.json", ".lock",
                RUN + "--" + ProcessHandle.current().pid() + ".json", "notes.txt");
    }

    @Test
    void aPartThatCannotBeRead_isLeftOut_andTheRestIsWritten() throws IOException {
        foreignPart(RUN, 777, null, ReportFixtures.plainOutage());
        Files.writeString(parts().resolve(RUN + "--778.json"), "{\"version\": 1, \"tests\": []}");
        Files.writeString(parts().resolve(RUN + "--779.json"), "{\"version\": 2, \"tests\": [");
        Files.writeString(parts().resolve(RUN + "--780.json.780.tmp"), "{\"vers");

        Report report = RunReport.write(dir, RUN, List.of(ReportFixtures.outageWithProbes()));

        assertThat(report.jvms()).extracting(Report.Jvm::pid).containsExactlyInAnyOrder(777L, ProcessHandle.current().pid());
        assertThat(partNames()).as("kept: a JVM of this run may still replace it").contains(RUN + "--778.json",
                RUN + "--779.json", RUN + "--780.json.780.tmp");
    }

    @Test
    void aPartReplacedWhileItIsRead_isReadWholeOldOrNew() throws Exception {
        Path part = foreignPart(RUN, 777, null, ReportFixtures.plainOutage());
        String one = Files.readString(part);
        String two = JsonReport.render(new Report(RUN, List.of(new Report.Jvm(777, null,
                List.of(ReportFixtures.plainOutage(), ReportFixtures.outageWithProbes())))));
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> writerFailed = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            try {
                for (int i = 0; !stop.get(); i++) {
                    Path temp = parts().resolve("writer.tmp");
                    Files.writeString(temp, i % 2 == 0 ? two : one, StandardCharsets.UTF_8);
                    Files.move(temp, part, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                }
            } catch (IOException | RuntimeException e) {
                writerFailed.set(e);
            }
        });
        writer.start();
        Report.Jvm self = Report.Jvm.current(List.of());
        Path ownPart = parts().resolve(RUN + "--" + self.pid() + ".json");
        try {
            for (int i = 0; i < 300; i++) {
                Report merged = RunReport.merge(parts(), RUN, ownPart, self);
                assertThat(merged.jvms()).hasSize(2);
                assertThat(merged.tests().size()).isBetween(1, 2);
            }
        } finally {
            stop.set(true);
            writer.join();
        }
        assertThat(writerFailed.get()).isNull();
    }

    /**
     * Four JVMs of one run write at once, five times each: the report the last one wrote has
     * all 20 tests; under {@code .parts/.lock} no JVM renders the files while another one writes.
     */
    @Test
    void jvmsWritingAtTheSameTime_endWithOneReportOfAllTheirTests() throws Exception {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> jvms = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            jvms.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    ReportPartWriter.class.getName(), dir.toString(), "parallel_run", "Jvm" + i, "5")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.INHERIT).start());
        }
        for (Process jvm : jvms) {
            assertThat(jvm.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(jvm.exitValue()).isZero();
        }

        Report report = written();
        assertThat(report.run()).isEqualTo("parallel_run");
        assertThat(report.jvms()).hasSize(4).allSatisfy(jvm -> assertThat(jvm.tests()).hasSize(5));
        assertThat(report.tests()).extracting(TestResult::testClass).containsOnly("Jvm0", "Jvm1", "Jvm2", "Jvm3");
        assertThat(Files.readString(dir.resolve(RunReport.HTML_FILE))).contains("20 chaos tests: 20 passed, 0 failed;"
                + " from 4 test JVMs of one run");
    }

    @Test
    void testsAreKeptPerReportDirectory() {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        TestResult one = ReportFixtures.probeOnly("PerDir", "one");
        TestResult two = ReportFixtures.probeOnly("PerDir", "two");
        RunReport.add(a, one);
        RunReport.add(b, two);
        assertThat(RunReport.results(a)).containsExactly(one);
        assertThat(RunReport.results(b)).containsExactly(two);
        assertThat(RunReport.results()).contains(one, two);
    }
}
