package dev.chaosjunit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/** Runs fixture classes through the Jupiter engine, the way JUnit tests its own extensions. */
final class TestKit {

    private TestKit() {
    }

    static EngineExecutionResults run(Class<?> fixture) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture)).execute();
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
