package dev.chaosjunit.internal.engine;

import static dev.chaosjunit.internal.engine.Sockets.connect;
import static dev.chaosjunit.internal.engine.Sockets.millisSince;
import static dev.chaosjunit.internal.engine.Sockets.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chaosjunit.ActiveFault;
import dev.chaosjunit.ChaosProxy;
import dev.chaosjunit.Direction;
import dev.chaosjunit.FaultSpec;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ResetPeerFaultTest {

    @Test
    void resetPeer_resetsALiveConnectionAtOnce() throws Exception {
        try (TestServer echo = TestServer.echo();
             ChaosProxy proxy = ChaosProxy.open("127.0.0.1", echo.port());
             Socket client = connect(proxy)) {
            assertThat(roundTrip(client, "before")).isEqualTo("before");

            try (ActiveFault reset = proxy.inject(FaultSpec.resetPeer())) {
                assertThatThrownBy(() -> client.getInputStream().read())
                        .isInstanceOf(SocketException.class)
                        .hasMessageContaining("reset");
                assertThat(reset.isHealed()).isFalse();
            }
        }
    }

    @Test
    void resetPeerWithDelay_resetsThatLongAfterTheFaultStarted() throws Exception {
        try (TestServer echo = TestServer.echo();
             ChaosProxy proxy = ChaosProxy.open("127.0.0.1", echo.port());
             Socket client = connect(proxy)) {
            assertThat(roundTrip(client, "before")).isEqualTo("before");

            try (ActiveFault reset = proxy.inject(FaultSpec.resetPeer(Duration.ofMillis(300)))) {
                long start = System.nanoTime();
                assertThat(roundTrip(client, "still fine")).isEqualTo("still fine");
                assertThatThrownBy(() -> client.getInputStream().read())
                        .isInstanceOf(SocketException.class)
                        .hasMessageContaining("reset");
                assertThat(millisSince(start)).isBetween(250L, 1_500L);
                assertThat(reset.isHealed()).isFalse();
            }
        }
    }

    @Test
    void resetPeer_newConnectionIsResetAfterTheDelayFromAccept() throws Exception {
        try (TestServer echo = TestServer.echo();
             ChaosProxy proxy = ChaosProxy.open("127.0.0.1", echo.port());
             ActiveFault reset = proxy.inject(FaultSpec.resetPeer(Duration.ofMillis(300)))) {
            Thread.sleep(400);
            long start = System.nanoTime();
            try (Socket client = connect(proxy)) {
                assertThat(roundTrip(client, "works for a while")).isEqualTo("works for a while");
                assertThatThrownBy(() -> client.getInputStream().read()).isInstanceOf(SocketException.class);
                assertThat(millisSince(start)).isBetween(250L, 1_500L);
            }
            assertThat(reset.isHealed()).isFalse();
        }
    }

    @Test
    void healingBeforeTheDelay_cancelsTheReset() throws Exception {
        try (TestServer echo = TestServer.echo();
             ChaosProxy proxy = ChaosProxy.open("127.0.0.1", echo.port());
             Socket client = connect(proxy)) {
            proxy.inject(FaultSpec.resetPeer(Duration.ofMillis(300))).close();
            Thread.sleep(500);
            assertThat(roundTrip(client, "alive")).isEqualTo("alive");
        }
    }

    @Test
    void downstreamReset_resetsTheClientAndClosesTheDependencyNormally() throws Exception {
        CompletableFuture<String> serverSaw = new CompletableFuture<>();
        try (TestServer server = TestServer.start(socket -> serverSaw.complete(outcomeOfRead(socket)));
             ChaosProxy proxy = ChaosProxy.open("127.0.0.1", server.port());
             Socket client = connect(proxy)) {
            awaitOpen(proxy);
            proxy.inject(FaultSpec.resetPeer().direction(Direction.DOWNSTREAM));

            assertThat(outcomeOfRead(client)).contains("reset");
            assertThat(serverSaw.get(5, TimeUnit.SECONDS)).isEqualTo("end of stream");
        }
    }

    @Test
    void upstreamReset_resetsTheDependencyAndClosesTheClientNormally() throws Exception {
        CompletableFuture<String> serverSaw = new CompletableFuture<>();
        try (TestServer server = TestServer.start(socket -> serverSaw.complete(outcomeOfRead(socket)));
             ChaosProxy proxy = ChaosProxy.open("127.0.0.1", server.port());
             Socket client = connect(proxy)) {
            awaitOpen(proxy);
            proxy.inject(FaultSpec.resetPeer().direction(Direction.UPSTREAM));

            assertThat(outcomeOfRead(client)).isEqualTo("end of stream");
            assertThat(serverSaw.get(5, TimeUnit.SECONDS)).contains("reset");
        }
    }

    private static void awaitOpen(ChaosProxy proxy) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> proxy.stats().connectionsOpen() == 1);
    }

    private static String outcomeOfRead(Socket socket) {
        try {
            socket.setSoTimeout(5_000);
            int read = socket.getInputStream().read();
            return read < 0 ? "end of stream" : "byte " + read;
        } catch (IOException e) {
            return e.getMessage();
        }
    }
}
