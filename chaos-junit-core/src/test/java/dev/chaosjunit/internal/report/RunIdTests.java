package dev.chaosjunit.internal.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Which run a test JVM belongs to: the Maven JVM for a Surefire fork, else itself. */
class RunIdTests {

    private static final RunId.Proc SELF = new RunId.Proc(300, Instant.ofEpochMilli(1_700_000_003_000L),
            "/usr/lib/jvm/java-17/bin/java");
    private static final RunId.Proc SHELL = new RunId.Proc(299, Instant.ofEpochMilli(1_700_000_002_990L), "/usr/bin/dash");
    private static final RunId.Proc MAVEN = new RunId.Proc(200, Instant.ofEpochMilli(1_700_000_000_000L),
            "/usr/lib/jvm/java-21/bin/java");
    private static final RunId.Proc LOGIN_SHELL = new RunId.Proc(100, Instant.ofEpochMilli(1_600_000_000_000L), "/bin/bash");

    @Test
    void aSurefireFork_startedThroughAShell_belongsToTheMavenJvm() {
        String command = "/work/app/target/surefire/surefirebooter-20261203180135186_4.jar /work/app/target/surefire"
                + " 2026-12-03T18-01-34_460-jvmRun2 surefire-20261203180135186_1tmp surefire_0-20261203180135186_2tmp";
        assertThat(RunId.of(command, "/work/app/target/surefire/surefirebooter-20261203180135186_4.jar",
                List.of(SELF, SHELL, MAVEN, LOGIN_SHELL))).isEqualTo("200-1700000000000");
    }

    @Test
    void aSurefireFork_isRecognizedByItsMainClass_itsBooterJar_orSurefireRealClassPath() {
        assertThat(RunId.isSurefireFork("org.apache.maven.surefire.booter.ForkedBooter /tmp/s 2026-jvmRun1 a b", null)).isTrue();
        assertThat(RunId.isSurefireFork("C:\\work\\app\\target\\surefire\\surefirebooter123.jar C:\\work x y z", null)).isTrue();
        assertThat(RunId.isSurefireFork(null, "/work/app/target/surefire/surefirebooter1.jar")).isTrue();

        assertThat(RunId.isSurefireFork("org.codehaus.plexus.classworlds.launcher.Launcher -B verify", null))
                .as("forkCount=0: Maven itself").isFalse();
        assertThat(RunId.isSurefireFork("worker.org.gradle.process.internal.worker.GradleWorkerMain 'Gradle Test Executor 1'",
                null)).as("a Gradle test worker").isFalse();
        assertThat(RunId.isSurefireFork("com.intellij.rt.junit.JUnitStarter -ideVersion5 -junit5 a.BTest", null)).isFalse();
        assertThat(RunId.isSurefireFork("", "")).isFalse();
    }

    @Test
    void onWindows_theForkIsStartedThroughCmd_andMavenIsJavaExe() {
        RunId.Proc cmd = new RunId.Proc(299, null, "C:\\Windows\\System32\\cmd.exe");
        RunId.Proc maven = new RunId.Proc(200, Instant.ofEpochMilli(5), "C:\\Program Files\\Java\\jdk-17\\bin\\java.exe");
        assertThat(RunId.of("C:\\app\\target\\surefire\\surefirebooter1.jar x", null, List.of(SELF, cmd, maven)))
                .isEqualTo("200-5");
    }

    @Test
    void anythingElse_isARunOfItsOwn() {
        RunId.Proc ide = new RunId.Proc(50, Instant.ofEpochMilli(1), "/opt/idea/jbr/bin/java");
        assertThat(RunId.of("com.intellij.rt.junit.JUnitStarter -junit5 a.BTest", null, List.of(SELF, ide)))
                .as("an IDE, itself a Java process").isEqualTo("300-1700000003000");
        assertThat(RunId.of("worker.org.gradle.process.internal.worker.GradleWorkerMain 'Gradle Test Executor 3'", null,
                List.of(SELF, MAVEN))).as("a Gradle worker: its parent, the daemon, outlives the build")
                .isEqualTo("300-1700000003000");
        assertThat(RunId.of("org.codehaus.plexus.classworlds.launcher.Launcher -B verify", null, List.of(SELF, LOGIN_SHELL)))
                .as("forkCount=0").isEqualTo("300-1700000003000");
        assertThat(RunId.of("org.apache.maven.surefire.booter.ForkedBooter x", null, List.of(SELF, SHELL, LOGIN_SHELL)))
                .as("a fork without a Java ancestor").isEqualTo("300-1700000003000");
        assertThat(RunId.of(null, null, List.of(new RunId.Proc(7, null, "")))).as("no start instant").isEqualTo("7-0");
    }

    @Test
    void chaosReportRunId_namesTheRun_inFileNameSafeCharacters() {
        assertThat(RunId.current(Optional.of(" build 7/linux#2 "))).isEqualTo("build_7_linux_2");
        assertThat(RunId.current(Optional.of("  "))).isEqualTo(RunId.current(Optional.empty()));
    }

    @Test
    void thisJvmsRun_isThisJvm_orItsMavenJvm_andItIsRunning() {
        String run = RunId.current(Optional.empty());
        assertThat(run).matches("\\d+-\\d+");
        assertThat(RunId.mayBeRunning(run)).isTrue();
        ProcessHandle self = ProcessHandle.current();
        if (!RunId.isSurefireFork(System.getProperty("sun.java.command"), System.getProperty("surefire.real.class.path"))) {
            assertThat(run).isEqualTo(RunId.Proc.of(self).runId());
        } else {
            assertThat(run).as("the Maven JVM, an ancestor").isNotEqualTo(RunId.Proc.of(self).runId());
        }
    }

    @Test
    void aRunIsOver_whenItsProcessIsGone_orStartedAtAnotherTime_orItWasNamed() throws IOException, InterruptedException {
        Process exited = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), "-version")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        exited.waitFor();
        assertThat(RunId.mayBeRunning(exited.pid() + "-1700000000000")).isFalse();
        assertThat(RunId.mayBeRunning(ProcessHandle.current().pid() + "-1")).as("pid reused by another process").isFalse();
        assertThat(RunId.mayBeRunning(RunId.Proc.of(ProcessHandle.current()).runId())).isTrue();
        assertThat(RunId.mayBeRunning("build_7")).isFalse();
    }
}
