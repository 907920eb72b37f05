package dev.chaosjunit.internal.report;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * A test JVM in a process of its own, for {@link RunReportTests}: {@code dir run name times}
 * writes the report {@code times} times, one more test named {@code name-i} each time.
 */
public final class ReportPartWriter {

    private ReportPartWriter() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Paths.get(args[0]);
        List<TestResult> tests = new ArrayList<>();
        for (int i = 0; i < Integer.parseInt(args[3]); i++) {
            tests.add(ReportFixtures.probeOnly(args[2], "test" + i));
            RunReport.write(dir, args[1], tests);
        }
    }
}
