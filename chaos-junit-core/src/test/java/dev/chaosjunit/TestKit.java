package dev.chaosjunit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/** Runs fixture classes through the Jupiter engine, the way JUnit tests its own extensions. */
final class TestKit {

    private TestKit() {
    }

    static EngineExecutionResults run(Class<?> fixture) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture)).execute();
    }

    /**
     * Runs {@code fixture} with JUnit's parallel execution on, every test concurrent, on a fixed
     * pool of 4 threads (so that two tests can run at once even on a machine with one core).
     */
    static EngineExecutionResults runInParallel(Class<?> fixture) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture))
                .configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
                .configurationParameter("junit.jupiter.execution.parallel.mode.default", "concurrent")
                .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
                .configurationParameter("junit.jupiter.execution.parallel.config.fixed.parallelism", "4")
                .execute();
    }

    /** The report entry chaos-junit published for the test method {@code method} (such as {@code "a()"}). */
    static Map<String, String> chaosEntry(EngineExecutionResults results, String method) {
        List<Map<String, String>> entries = results.allEvents().reportingEntryPublished().stream()
                .filter(e -> e.getTestDescriptor().getDisplayName().equals(method))
                .map(e -> e.getRequiredPayload(ReportEntry.class).getKeyValuePairs())
                .filter(entry -> entry.containsKey("chaos.verdict"))
                .collect(Collectors.toList());
        assertThat(entries).as("chaos report entries of " + method).hasSize(1);
        return entries.get(0);
    }

    static List<Throwable> failures(EngineExecutionResults results) {
        return results.allEvents().failed().stream()
                .map(e -> e.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow())
                .collect(Collectors.toList());
    }

    /** Runs {@code fixture} and returns its one failure. */
    static Throwable onlyFailure(Class<?> fixture) {
        List<Throwable> failures = failures(run(fixture));
        assertThat(failures).hasSize(1);
        return failures.get(0);
    }

    /** Runs {@code fixture} and checks that every test passed. */
    static EngineExecutionResults runPassing(Class<?> fixture) {
        EngineExecutionResults results = run(fixture);
        assertThat(failures(results)).isEmpty();
        assertThat(results.testEvents().succeeded().count()).isPositive();
        return results;
    }

    /** Checks that a closed proxy left nothing behind: no thread, and its port can be bound again. */
    static void assertReleased(int proxyPort) {
        Awaitility.await("release of proxy port " + proxyPort).atMost(Duration.ofSeconds(3))
                .pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
                    assertThat(Thread.getAllStackTraces().keySet())
                            .noneMatch(t -> t.getName().equals("chaos-proxy-" + proxyPort) && t.isAlive());
                    try (ServerSocket socket = new ServerSocket(proxyPort, 1, InetAddress.getByName("127.0.0.1"))) {
                        assertThat(socket.getLocalPort()).isEqualTo(proxyPort);
                    } catch (IOException e) {
                        throw new AssertionError("port " + proxyPort + " is still bound", e);
                    }
                });
    }
}
