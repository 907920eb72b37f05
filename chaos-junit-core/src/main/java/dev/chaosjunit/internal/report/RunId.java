package dev.chaosjunit.internal.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which test run this JVM belongs to, so that the report of a run merges the chaos tests of all
 * its test JVMs and forgets those of earlier runs.
 *
 * <p>A run is a process's life, named {@code <pid>-<start, epoch ms>}:
 * <ul>
 * <li>in a JVM that Surefire or Failsafe forked, the Maven JVM that forked it: every fork of one
 * {@code mvn} command, with any {@code forkCount} and {@code reuseForks}, surefire and failsafe
 * alike, is one run. Surefire starts a fork through a shell ({@code /bin/sh -c} on Unix,
 * {@code cmd.exe} on Windows), so the Maven JVM is the nearest ancestor that is a {@code java}
 * process;</li>
 * <li>anywhere else — an IDE, {@code forkCount=0}, the console launcher, a Gradle test worker
 * (whose parent, the Gradle daemon, lives across builds) — this JVM itself.</li>
 * </ul>
 * {@code chaos.report.runId}, when set, names the run instead (letters, digits, {@code . _ -}):
 * for a Maven daemon ({@code mvnd}) or Gradle's parallel forks, pass a per-build value to the
 * test JVMs.
 *
 * <p>A Surefire fork is recognized by its main class, {@code ForkedBooter}, or the manifest-only
 * {@code surefirebooter*.jar} that starts it (both seen in {@code sun.java.command}), or by
 * {@code surefire.real.class.path}, which only {@code ForkedBooter} sets.
 */
final class RunId {

    /** Names the run explicitly (JUnit configuration parameter or system property). */
    static final String PARAMETER = "chaos.report.runId";

    private static final String FORKED_BOOTER = "org.apache.maven.surefire.booter.ForkedBooter";
    private static final Pattern PROCESS_RUN = Pattern.compile("(\\d+)-(\\d+)");
    private static final int ANCESTORS_TO_SEARCH = 4;

    private static volatile String current;

    private RunId() {
    }

    /** A process as far as the run id cares. */
    record Proc(long pid, Instant start, String command) {

        static Proc of(ProcessHandle handle) {
            ProcessHandle.Info info = handle.info();
            return new Proc(handle.pid(), info.startInstant().orElse(null), info.command().orElse(""));
        }

        boolean isJava() {
            String name = fileName(command).toLowerCase(Locale.ROOT);
            return name.equals("java") || name.equals("java.exe") || name.equals("javaw.exe");
        }

        String runId() {
            return pid + "-" + (start == null ? 0 : start.toEpochMilli());
        }
    }

    /** The run id: {@code configured} if it is set, else that of this JVM's process (computed once). */
    static String current(Optional<String> configured) {
        Optional<String> explicit = configured.map(String::trim).filter(s -> !s.isEmpty()).map(RunId::sanitize);
        if (explicit.isPresent()) {
            return explicit.get();
        }
        String id = current;
        if (id == null) {
            List<Proc> chain = new ArrayList<>();
            Optional<ProcessHandle> p = Optional.of(ProcessHandle.current());
            while (p.isPresent() && chain.size() <= ANCESTORS_TO_SEARCH) {
                chain.add(Proc.of(p.get()));
                p = p.get().parent();
            }
            id = of(System.getProperty("sun.java.command"), System.getProperty("surefire.real.class.path"), chain);
            current = id;
        }
        return id;
    }

    /**
     * The run of the first process of {@code selfAndAncestors} (this JVM, its parent, ...).
     *
     * @param javaCommand the system property {@code sun.java.command}: main class or jar, then arguments
     * @param surefireRealClassPath the system property {@code surefire.real.class.path}
     */
    static String of(String javaCommand, String surefireRealClassPath, List<Proc> selfAndAncestors) {
        Proc self = selfAndAncestors.get(0);
        if (isSurefireFork(javaCommand, surefireRealClassPath)) {
            for (Proc ancestor : selfAndAncestors.subList(1, selfAndAncestors.size())) {
                if (ancestor.isJava()) {
                    return ancestor.runId();
                }
            }
        }
        return self.runId();
    }

    static boolean isSurefireFork(String javaCommand, String surefireRealClassPath) {
        if (surefireRealClassPath != null && !surefireRealClassPath.isEmpty()) {
            return true;
        }
        if (javaCommand == null || javaCommand.isBlank()) {
            return false;
        }
        String main = javaCommand.trim().split("\\s+", 2)[0];
        if (main.equals(FORKED_BOOTER)) {
            return true;
        }
        String file = fileName(main);
        return file.startsWith("surefirebooter") && file.endsWith(".jar");
    }

    private static String fileName(String path) {
        return path.substring(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
    }

    /**
     * Whether run {@code id} may still be going: its process is alive and started when the id
     * says. An explicitly named run cannot be checked and counts as over.
     */
    static boolean mayBeRunning(String id) {
        Matcher m = PROCESS_RUN.matcher(id);
        if (!m.matches()) {
            return false;
        }
        try {
            long pid = Long.parseLong(m.group(1));
            long startMillis = Long.parseLong(m.group(2));
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .map(h -> h.info().startInstant().map(s -> startMillis == 0 || s.toEpochMilli() == startMillis)
                            .orElse(true))
                    .orElse(false);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String sanitize(String id) {
        String safe = id.replaceAll("[^A-Za-z0-9._-]", "_");
        return safe.length() > 64 ? safe.substring(0, 64) : safe;
    }
}
