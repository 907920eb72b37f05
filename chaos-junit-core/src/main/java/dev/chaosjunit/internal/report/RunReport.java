package dev.chaosjunit.internal.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The chaos tests of this JVM and the files they are written to: {@code chaos-report.json} and
 * {@code index.html} in the report directory.
 *
 * <p>Written when the Jupiter engine's root context closes ({@link Flush}, put in the root store
 * by the first chaos test), which is the end of the run under Surefire and Failsafe. Each write
 * contains every chaos test this JVM ran so far, so an engine run inside a run (such as
 * {@code EngineTestKit}) does not lose the outer run's tests. Files are replaced atomically.
 */
final class RunReport {

    static final String JSON_FILE = "chaos-report.json";
    static final String HTML_FILE = "index.html";

    private static final List<TestResult> RESULTS = new CopyOnWriteArrayList<>();

    private RunReport() {
    }

    static void add(TestResult result) {
        RESULTS.add(result);
    }

    static List<TestResult> results() {
        return new ArrayList<>(RESULTS);
    }

    /** Writes both files into {@code dir}, creating it. */
    static void write(Path dir, List<TestResult> results) throws IOException {
        Files.createDirectories(dir);
        replace(dir.resolve(JSON_FILE), JsonReport.render(results));
        replace(dir.resolve(HTML_FILE), HtmlReport.render(results));
    }

    private static void replace(Path file, String content) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        try {
            Files.writeString(temp, content, StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Writes the report of every chaos test so far; a failure to write is logged, never thrown. */
    static void writeQuietly(Path dir) {
        try {
            write(dir, results());
        } catch (IOException | RuntimeException e) {
            System.err.println("[chaos] could not write the chaos report to " + dir + ": " + e);
        }
    }

    /** Root-store value: writes the report when the engine run ends. */
    static final class Flush implements AutoCloseable {

        private final Path dir;
        private final AtomicBoolean done = new AtomicBoolean();

        Flush(Path dir) {
            this.dir = dir;
        }

        @Override
        public void close() {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            List<TestResult> results = results();
            try {
                write(dir, results);
                System.out.println("[chaos] report of " + results.size() + (results.size() == 1 ? " chaos test: " : " chaos tests: ")
                        + dir.resolve(HTML_FILE).toUri());
            } catch (IOException | RuntimeException e) {
                System.err.println("[chaos] could not write the chaos report to " + dir + ": " + e);
            }
        }
    }
}
