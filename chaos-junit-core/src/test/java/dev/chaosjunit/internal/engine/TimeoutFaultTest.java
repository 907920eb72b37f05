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
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TimeoutFaultTest {

    @Test
    void timeout_readBlocksOnALiveConnection_thenHealingClosesIt_andNewConnectionsWork() throws Exception {
        try (TestServer echo = TestServer.echo();
             ChaosProxy proxy = ChaosProxy.open("127.0.0.1", echo.port());
             Socket held = connect(proxy)) {
            assertThat(roundTrip(held, "before")).isEqualTo("before");
            ActiveFault timeout = proxy.inject(FaultSpec.timeout());

            held.getOutputStream().write("lost".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            held.setSoTimeout(500);
            assertThatThrownBy(() -> held.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            assertThat(proxy.stats().connectionsOpen()).isEqualTo(1);

            timeout.close();

            assertThat(DownFaultTest.endOfStreamOrError(held)).as("held connection closed on healing").isTrue();
            try (Socket fresh = connect(proxy)) {
                assertThat(roundTrip(fresh, "after")).isEqualTo("after");
            }
        }
    }

    @Test
    void timeoutWithDuration_closesALiveConnectionThatLongAfterTheFaultStarted() throws Exception {
        try (TestServer echo = TestServer.echo();
             ChaosProxy proxy = ChaosProxy.open("127.0.0.1", echo.port());
             Socket client = connect(proxy)) {
            assertThat(roundTrip(client, "before")).isEqualTo("before");

            try (ActiveFault timeout = proxy.inject(FaultSpec.timeout(Duration.ofMillis(300)))) {
                long start = System.nanoTime();
                assertThat(DownFaultTest.endOfStreamOrError(client)).isTrue();
                assertThat(millisSince(start)).isBetween(250L, 1_500L);
                assertThat(timeout.isHealed()).isFalse();
            }
        }
    }

    @Test
    void timeoutWithDuration_closesANewConnectionThatLongAfterItWasAccepted() throws Exception {
        try (TestServer echo = TestServer.echo();
             ChaosProxy proxy = ChaosProxy.open("127.0.0.1", echo.port());
             ActiveFault timeout = proxy.inject(FaultSpec.timeout(Duration.ofMillis(300)))) {
            Thread.sleep(400); // the clock starts at accept, not at injection
            long start = System.nanoTime();
            try (Socket client = connect(proxy)) {
                client.getOutputStream().write(1);
                assertThat(DownFaultTest.endOfStreamOrError(client)).isTrue();
                assertThat(millisSince(start)).isBetween(250L, 1_500L);
            }
            assertThat(timeout.isHealed()).isFalse();
        }
    }

    @Test
    void upstreamTimeout_dropsRequestsButLetsResponsesThrough() throws Exception {
        java.util.concurrent.CompletableFuture<Integer> serverRead = new java.util.concurrent.CompletableFuture<>();
        try (TestServer server = TestServer.start(socket -> {
                socket.getOutputStream().write(7);
                socket.setSoTimeout(700);
                try {
                    serverRead.complete(socket.getInputStream().read());
                } catch (SocketTimeoutException e) {
                    serverRead.complete(null);
                }
            });
             ChaosProxy proxy = ChaosProxy.open("127.0.0.1", server.port());
             ActiveFault timeout = proxy.inject(FaultSpec.timeout().direction(Direction.UPSTREAM));
             Socket client = connect(proxy)) {
            client.getOutputStream().write(1);

            assertThat(client.getInputStream().read()).isEqualTo(7);
            assertThat(serverRead.get(5, TimeUnit.SECONDS)).as("request dropped").isNull();
            assertThat(timeout.spec().direction()).isEqualTo(Direction.UPSTREAM);
        }
    }

    @Test
    void timeoutTogetherWithLatency_stillDropsEverything() throws Exception {
        try (TestServer echo = TestServer.echo();
             ChaosProxy proxy = ChaosProxy.open("127.0.0.1", echo.port());
             ActiveFault latency = proxy.inject(FaultSpec.latency(Duration.ofMillis(100)));
             ActiveFault timeout = proxy.inject(FaultSpec.timeout());
             Socket client = connect(proxy)) {
            client.getOutputStream().write(1);
            client.setSoTimeout(500);
            assertThatThrownBy(() -> client.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            assertThat(proxy.activeFaults()).containsExactly(latency, timeout);
        }
    }
}
