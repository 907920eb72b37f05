package dev.chaosjunit.internal.engine;

import static dev.chaosjunit.internal.engine.Sockets.connect;
import static dev.chaosjunit.internal.engine.Sockets.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.chaosjunit.ActiveFault;
import dev.chaosjunit.ChaosProxy;
import dev.chaosjunit.FaultSpec;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DownFaultTest {

    @Test
    void down_refusesNewConnections() throws Exception {
        try (TestServer echo = TestServer.echo();
             ChaosProxy proxy = ChaosProxy.open("127.0.0.1", echo.port());
             ActiveFault down = proxy.inject(FaultSpec.down())) {
            assertThatThrownBy(() -> connect(proxy))
                    .isInstanceOf(ConnectException.class)
                    .hasMessageContaining("Connection refused");
            assertThat(down.isHealed()).isFalse();
        }
    }

    @Test
    void down_closesOpenConnections() throws Exception {
        try (TestServer echo = TestServer.echo();
             ChaosProxy proxy = ChaosProxy.open("127.0.0.1", echo.port());
             Socket client = connect(proxy)) {
            assertThat(roundTrip(client, "before")).isEqualTo("before");

            try (ActiveFault down = proxy.inject(FaultSpec.down())) {
                assertThat(endOfStreamOrError(client)).isTrue();
                await().atMost(Duration.ofSeconds(5)).until(() -> proxy.stats().connectionsOpen() == 0);
                assertThat(down.isHealed()).isFalse();
            }
        }
    }

    @Test
    void healing_listensAgainOnTheSamePort() throws Exception {
        try (TestServer echo = TestServer.echo();
             ChaosProxy proxy = ChaosProxy.open("127.0.0.1", echo.port())) {
            int port = proxy.port();
            for (int round = 0; round < 3; round++) {
                try (Socket client = connect(proxy)) {
                    assertThat(roundTrip(client, "round " + round)).isEqualTo("round " + round);
                }
                ActiveFault down = proxy.inject(FaultSpec.down());
                assertThatThrownBy(() -> connect(proxy)).isInstanceOf(ConnectException.class);
                down.close();
                assertThat(down.isHealed()).isTrue();
                assertThat(down.healedAtNanos() - down.startedAtNanos()).isPositive();
            }
            assertThat(proxy.port()).isEqualTo(port);
            try (Socket client = connect(proxy)) {
                assertThat(client.getPort()).isEqualTo(port);
                assertThat(roundTrip(client, "after")).isEqualTo("after");
            }
        }
    }

    @Test
    void twoDownFaults_portStaysClosedUntilBothAreHealed() throws Exception {
        try (TestServer echo = TestServer.echo();
             ChaosProxy proxy = ChaosProxy.open("127.0.0.1", echo.port())) {
            ActiveFault first = proxy.inject(FaultSpec.down());
            ActiveFault second = proxy.inject(FaultSpec.down());

            first.close();
            assertThatThrownBy(() -> connect(proxy)).isInstanceOf(ConnectException.class);

            second.close();
            try (Socket client = connect(proxy)) {
                assertThat(roundTrip(client, "up")).isEqualTo("up");
            }
        }
    }

    /** Whether the next read ends the stream or fails, as a closed connection does. */
    static boolean endOfStreamOrError(Socket client) {
        try {
            client.setSoTimeout(5_000);
            return client.getInputStream().read() == -1;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
