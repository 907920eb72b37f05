package dev.chaosjunit.internal.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The chaos tests of one test run, as the report shows them: one {@link Jvm} per test JVM that ran
 * chaos tests (several when Surefire or Failsafe fork more than one), in the order they started.
 *
 * @param run the run's id (see {@link RunId}), or {@code null} when unknown
 * @param jvms the test JVMs and their tests
 */
record Report(String run, List<Jvm> jvms) {

    Report {
        jvms = List.copyOf(jvms);
    }

    /**
     * The chaos tests of one test JVM.
     *
     * @param pid its process id
     * @param started when it started, or {@code null} when the platform does not say
     * @param tests its chaos tests, in the order they ended
     */
    record Jvm(long pid, Instant started, List<TestResult> tests) {

        Jvm {
            tests = List.copyOf(tests);
        }

        /** This JVM with {@code tests}. */
        static Jvm current(List<TestResult> tests) {
            ProcessHandle self = ProcessHandle.current();
            return new Jvm(self.pid(), self.info().startInstant().orElse(null), tests);
        }
    }

    /** A report of {@code tests}, all run by this JVM. */
    static Report of(List<TestResult> tests) {
        return new Report(null, List.of(Jvm.current(tests)));
    }

    /** Every test, JVM after JVM. */
    List<TestResult> tests() {
        List<TestResult> all = new ArrayList<>();
        jvms.forEach(jvm -> all.addAll(jvm.tests()));
        return all;
    }
}
