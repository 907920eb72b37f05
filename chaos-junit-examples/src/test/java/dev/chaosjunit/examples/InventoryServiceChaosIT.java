package dev.chaosjunit.examples;

import static dev.chaosjunit.ChaosAssertions.assertThatProbe;
import static dev.chaosjunit.ChaosAssertions.assertThatRecovery;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import com.sun.net.httpserver.HttpServer;
import dev.chaosjunit.ActiveFault;
import dev.chaosjunit.ChaosPort;
import dev.chaosjunit.ChaosProxy;
import dev.chaosjunit.ChaosTarget;
import dev.chaosjunit.Fault;
import dev.chaosjunit.FaultSpec;
import dev.chaosjunit.HealthProbe;
import dev.chaosjunit.ProbeRecording;
import dev.chaosjunit.ProbeSample;
import dev.chaosjunit.ProxyFor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * A checkout's call to an inventory service over HTTP, with the JDK's HTTP client and a request
 * timeout. The inventory service is a real HTTP server on a dynamic port; the client reaches it
 * through a chaos proxy.
 *
 * <p>With a background health probe ({@link WithAHealthProbe}), the stock lookup every
 * 50 ms through a 1.5 s stall: calls fail at the 500 ms request timeout, never later, and succeed
 * again (three in a row) about 150 ms after it. What the probe found in steady state: every call
 * takes about 44 ms, because the JDK's HTTP server writes the headers and the body separately and
 * Nagle's algorithm holds the second write until the client's delayed ACK
 * ({@code -Dsun.net.httpserver.nodelay=true} on the server brings it down to about 1 ms; it is the
 * same without the proxy).
 */
class InventoryServiceChaosIT {

    static final HttpServer inventory = startInventoryService();

    @ChaosTarget("inventory")
    static InetSocketAddress inventoryAddress() {
        return inventory.getAddress();
    }

    /** The checkout's request timeout: how long it waits for the inventory before giving up. */
    static final Duration REQUEST_TIMEOUT = Duration.ofMillis(500);

    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    @AfterAll
    static void stopInventoryService() {
        inventory.stop(0);
    }

    @Test
    @ChaosPort(target = "inventory", fault = Fault.TIMEOUT)
    void aSilentServiceFailsAtTheClientTimeoutInsteadOfHanging(ChaosProxy proxy) {
        long start = System.nanoTime();
        assertThatThrownBy(() -> stockOf(proxy, "coffee")).isInstanceOf(HttpTimeoutException.class);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(took).isBetween(REQUEST_TIMEOUT.minusMillis(20), REQUEST_TIMEOUT.plusSeconds(2));
    }

    @Test
    @ChaosPort(target = "inventory", fault = Fault.RESET_PEER)
    void aResetConnectionSurfacesAsAnIoError(ChaosProxy proxy) {
        assertThatThrownBy(() -> stockOf(proxy, "coffee"))
                .isInstanceOf(IOException.class)
                .isNotInstanceOf(HttpTimeoutException.class);
    }

    @Test
    void theCheckoutRecoversWithinTheSloAfterTheServiceStallsAndComesBack(@ProxyFor(target = "inventory") ChaosProxy proxy) throws Exception {
        assertServiceHealthy(proxy);

        ActiveFault stall = proxy.inject(FaultSpec.timeout());
        assertThatThrownBy(() -> stockOf(proxy, "coffee")).isInstanceOf(HttpTimeoutException.class);
        stall.close();

        Duration recovery = assertThatRecovery(() -> stockOf(proxy, "coffee"))
                .after(stall)
                .consecutiveSuccesses(3)
                .within(Duration.ofSeconds(2));
        System.out.printf("[inventory] calls succeeded again %d ms after the stall ended%n", recovery.toMillis());
    }

    @Test
    void theCheckoutRecoversAfterConnectionsAreReset(@ProxyFor(target = "inventory") ChaosProxy proxy) throws Exception {
        assertServiceHealthy(proxy);

        ActiveFault resets = proxy.inject(FaultSpec.resetPeer());
        assertThatThrownBy(() -> stockOf(proxy, "tea")).isInstanceOf(IOException.class);
        resets.close();

        Duration recovery = assertThatRecovery(() -> stockOf(proxy, "tea"))
                .after(resets)
                .within(Duration.ofSeconds(2));
        System.out.printf("[inventory] calls succeeded again %d ms after the resets ended%n", recovery.toMillis());
    }

    /**
     * The checkout's stock lookup every 50 ms in the background, before, during and after the
     * inventory service stalls for 1.5 s. In a nested class, so that the probe's calls run only in
     * this test.
     */
    @Nested
    class WithAHealthProbe {

        ChaosProxy inventoryProxy;

        @BeforeEach
        void warmUpTheClient(@ProxyFor(target = "inventory") ChaosProxy proxy) {
            inventoryProxy = proxy;
            assertServiceHealthy(proxy);
        }

        @HealthProbe(intervalMs = 50)
        void stock() throws Exception {
            stockOf(inventoryProxy, "coffee");
        }

        @Test
        @ChaosPort(target = "inventory", fault = Fault.TIMEOUT, startAfterMs = 500, durationMs = 1_500)
        void duringAStallCallsFailAtTheRequestTimeoutAndSucceedRightAfterIt() throws InterruptedException {
            Duration recovery = assertThatProbe("stock").consecutiveSuccesses(3).recoversWithin(Duration.ofSeconds(1));
            Thread.sleep(500);

            // Each call waits for the 500 ms request timeout, no longer. Most fail; a call that began less than
            // 500 ms before the stall ended may still succeed: the heal closes the stalled connection, and the
            // client sends the GET again on a new one.
            assertThatProbe("stock").duringFaults()
                    .hasErrorRateAtLeast(0.5)
                    .failsFastWithin(REQUEST_TIMEOUT.plusMillis(500));
            // the JDK's HTTP server takes ~44 ms per call (Nagle, see the class comment): the SLO allows for that
            assertThatProbe("stock").inSteadyState()
                    .hasErrorRateAtMost(0)
                    .hasLatencyPercentileAtMost(95, Duration.ofMillis(200));

            List<ProbeSample> calls = ProbeRecording.named("stock").samples();
            System.out.printf("[inventory] probe: %d of %d calls failed during a 1.5 s stall, after %s ms (%s);"
                            + " calls succeeded again %d ms after it (3 in a row); successful calls p50 %s ms%n",
                    ProbeCalls.failedMillis(calls).size(), calls.size(), ProbeCalls.failedMillis(calls),
                    String.join(", ", ProbeCalls.errors(calls)), recovery.toMillis(),
                    ProbeCalls.percentileMillis(calls.stream().filter(ProbeSample::succeeded).toList(), 50));
        }
    }

    private void assertServiceHealthy(ChaosProxy proxy) {
        // the first call in a JVM loads the HTTP client's classes: on a loaded machine that alone can exceed 500 ms
        assertThatRecovery(() -> stockOf(proxy, "coffee")).within(Duration.ofSeconds(5));
    }

    private int stockOf(ChaosProxy proxy, String item) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://" + proxy.host() + ":" + proxy.port() + "/stock/" + item))
                .timeout(REQUEST_TIMEOUT)
                .build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return Integer.parseInt(response.body());
    }

    private static HttpServer startInventoryService() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/stock/", exchange -> {
                byte[] body = "7".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the inventory service", e);
        }
    }
}
