package dev.chaosjunit.internal.report;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The chaos tests of this JVM and the files they are written to: {@code chaos-report.json} and
 * {@code index.html} in the report directory, with the tests of every test JVM of the same run.
 *
 * <p>Each JVM keeps its own tests in {@code .parts/<run>--<pid>.json} in the report directory (a
 * report of that JVM alone, in the same JSON format), then renders the two files from all parts of
 * its {@link RunId run}, and deletes the parts of runs that are over. So the forks of one
 * {@code mvn verify} ({@code forkCount > 1}, {@code reuseForks=false}, surefire and failsafe) end
 * up in one report, and a later run starts afresh. One JVM at a time does this, under a file lock
 * on {@code .parts/.lock} (and without it, after a wait of {@link #LOCK_WAIT}, if the file system
 * cannot lock); every file is replaced atomically, and a part that vanishes or cannot be read is
 * left out.
 *
 * <p>Written after each chaos test and when the Jupiter engine's root context closes
 * ({@link Flush}). Each write contains every chaos test this JVM ran so far into the same report
 * directory, so an engine run inside a run (such as {@code EngineTestKit}) does not lose the
 * outer run's tests.
 */
final class RunReport {

    static final String JSON_FILE = "chaos-report.json";
    static final String HTML_FILE = "index.html";
    static final String PARTS_DIR = ".parts";
    static final String LOCK_FILE = ".lock";
    /** Between the run and the pid in a part's file name. */
    static final String RUN_SEPARATOR = "--";
    private static final String PART_SUFFIX = ".json";
    private static final Duration LOCK_WAIT = Duration.ofSeconds(10);

    private static final List<TestResult> RESULTS = new CopyOnWriteArrayList<>();
    private static final Map<Path, List<TestResult>> RESULTS_BY_DIR = new ConcurrentHashMap<>();
    /** One writer per JVM: a JVM cannot take the same file lock twice. */
    private static final Object WRITING = new Object();
    private static final Map<Path, CachedPart> PARTS_READ = new ConcurrentHashMap<>();

    private RunReport() {
    }

    /** Adds a test that goes into the report in {@code dir}. */
    static void add(Path dir, TestResult result) {
        RESULTS.add(result);
        RESULTS_BY_DIR.computeIfAbsent(dir, d -> new CopyOnWriteArrayList<>()).add(result);
    }

    /** Every chaos test this JVM ran. */
    static List<TestResult> results() {
        return new ArrayList<>(RESULTS);
    }

    /** The chaos tests this JVM ran into the report in {@code dir}. */
    static List<TestResult> results(Path dir) {
        return new ArrayList<>(RESULTS_BY_DIR.getOrDefault(dir, List.of()));
    }

    /**
     * Writes this JVM's part ({@code results}) and both files of run {@code run} into {@code dir},
     * creating it.
     *
     * @return what the files show: the tests of every JVM of the run
     */
    static Report write(Path dir, String run, List<TestResult> results) throws IOException {
        Path parts = dir.resolve(PARTS_DIR);
        Files.createDirectories(parts);
        Report.Jvm self = Report.Jvm.current(results);
        Path ownPart = parts.resolve(run + RUN_SEPARATOR + self.pid() + PART_SUFFIX);
        synchronized (WRITING) {
            try (FileChannel channel = FileChannel.open(parts.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE)) {
                FileLock lock = lock(channel);
                try {
                    replace(ownPart, JsonReport.render(new Report(run, List.of(self))));
                    Report report = merge(parts, run, ownPart, self);
                    replace(dir.resolve(JSON_FILE), JsonReport.render(report));
                    replace(dir.resolve(HTML_FILE), HtmlReport.render(report));
                    return report;
                } finally {
                    if (lock != null) {
                        lock.release();
                    }
                }
            }
        }
    }

    /** The lock, or {@code null} when the file system cannot lock or another JVM holds it too long. */
    private static FileLock lock(FileChannel channel) {
        long deadline = System.nanoTime() + LOCK_WAIT.toNanos();
        while (true) {
            try {
                FileLock lock = channel.tryLock();
                if (lock != null) {
                    return lock;
                }
            } catch (IOException | OverlappingFileLockException | UnsupportedOperationException e) {
                return null;
            }
            if (System.nanoTime() - deadline > 0) {
                System.err.println("[chaos] another test JVM holds " + LOCK_FILE + " for over " + LOCK_WAIT.toSeconds()
                        + " s; writing the chaos report without it");
                return null;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }

    /**
     * This JVM and the parts of the other JVMs of {@code run}, in the order the JVMs started;
     * deletes the files of runs that are over.
     */
    static Report merge(Path parts, String run, Path ownPart, Report.Jvm self) throws IOException {
        List<Report.Jvm> jvms = new ArrayList<>();
        jvms.add(self);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(parts)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                int separator = name.lastIndexOf(RUN_SEPARATOR);
                if (separator <= 0 || name.startsWith(".")) {
                    continue; // the lock, or not ours
                }
                String partRun = name.substring(0, separator);
                if (!partRun.equals(run)) {
                    if (!RunId.mayBeRunning(partRun)) {
                        deleteQuietly(file); // an earlier run's part, or its temporary file
                    }
                    continue;
                }
                if (name.endsWith(PART_SUFFIX) && !file.equals(ownPart)) {
                    jvms.addAll(read(file));
                }
            }
        }
        jvms.sort(Comparator.comparing(Report.Jvm::started, Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparingLong(Report.Jvm::pid));
        return new Report(run, jvms);
    }

    /** A part's JVMs, or none if it vanished or cannot be read; parsed once per version of the file. */
    private static List<Report.Jvm> read(Path part) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(part, BasicFileAttributes.class);
            CachedPart cached = PARTS_READ.get(part);
            if (cached != null && cached.sameFile(attributes)) {
                return cached.jvms;
            }
            List<Report.Jvm> jvms = JsonReport.parse(Files.readString(part, StandardCharsets.UTF_8)).jvms();
            PARTS_READ.put(part, new CachedPart(attributes, jvms));
            return jvms;
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException | RuntimeException e) {
            System.err.println("[chaos] left out of the chaos report: " + part + ": " + e);
            return List.of();
        }
    }

    /** A part as read, with what identifies that version of the file. */
    private static final class CachedPart {
        final Object fileKey;
        final Instant modified;
        final long size;
        final List<Report.Jvm> jvms;

        CachedPart(BasicFileAttributes attributes, List<Report.Jvm> jvms) {
            this.fileKey = attributes.fileKey();
            this.modified = attributes.lastModifiedTime().toInstant();
            this.size = attributes.size();
            this.jvms = jvms;
        }

        boolean sameFile(BasicFileAttributes attributes) {
            return fileKey != null && Objects.equals(fileKey, attributes.fileKey())
                    && modified.equals(attributes.lastModifiedTime().toInstant()) && size == attributes.size();
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
            PARTS_READ.remove(file);
        } catch (IOException e) {
            // another JVM may have deleted or be replacing it; the next write tries again
        }
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
    static void writeQuietly(Path dir, String run) {
        try {
            write(dir, run, results(dir));
        } catch (IOException | RuntimeException e) {
            System.err.println("[chaos] could not write the chaos report to " + dir + ": " + e);
        }
    }

    /** Root-store value: writes the report when the engine run ends, and says where it is. */
    static final class Flush implements AutoCloseable {

        private final Path dir;
        private final String run;
        private final AtomicBoolean done = new AtomicBoolean();

        Flush(Path dir, String run) {
            this.dir = dir;
            this.run = run;
        }

        @Override
        public void close() {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            try {
                Report report = write(dir, run, results(dir));
                int tests = report.tests().size();
                System.out.println("[chaos] report of " + tests + (tests == 1 ? " chaos test" : " chaos tests")
                        + (report.jvms().size() > 1 ? " from " + report.jvms().size() + " test JVMs" : "") + ": "
                        + dir.resolve(HTML_FILE).toUri());
            } catch (IOException | RuntimeException e) {
                System.err.println("[chaos] could not write the chaos report to " + dir + ": " + e);
            }
        }
    }
}
