package dev.chaosjunit.internal.engine;

import static dev.chaosjunit.internal.engine.Sockets.connect;
import static dev.chaosjunit.internal.engine.Sockets.millisSince;
import static dev.chaosjunit.internal.engine.Sockets.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chaosjunit.ActiveFault;
import dev.chaosjunit.ChaosProxy;
import dev.chaosjunit.FaultSpec;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** ACCEPT_AND_CLOSE, ACCEPT_AND_HANG, FAIL_FIRST and FLAP: what a JDK client sees. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConnectionFaultsTest {

    @Test
    void acceptAndClose_connectSucceeds_thenTheClientReadsEndOfStream() throws Exception {
        try (TestServer echo = TestServer.echo();
             ChaosProxy proxy = ChaosProxy.open("127.0.0.1", echo.port())) {
            Socket before = connect(proxy);
            assertThat(roundTrip(before, "x")).isEqualTo("x");
            try (ActiveFault fault = proxy.inject(FaultSpec.acceptAndClose());
                 Socket client = connect(proxy)) {
                assertThat(client.getInputStream().read()).isEqualTo(-1);
                assertThat(DownFaultTest.endOfStreamOrError(before)).isTrue();
                assertThat(fault.spec().toString()).isEqualTo("ACCEPT_AND_CLOSE");
            }
            try (Socket after = connect(proxy)) {
                assertThat(roundTrip(after, "back")).isEqualTo("back");
            }
            before.close();
        }
    }

    @Test
    void acceptAndHang_connectSucceeds_thenNothingPassesAndNothingCloses() throws Exception {
        try (TestServer echo = TestServer.echo();
             ChaosProxy proxy = ChaosProxy.open("127.0.0.1", echo.port())) {
            try (ActiveFault fault = proxy.inject(FaultSpec.acceptAndHang());
                 Socket client = connect(proxy)) {
                client.setSoTimeout(500);
                client.getOutputStream().write("hello".getBytes());
                long start = System.nanoTime();
                assertThatThrownBy(() -> client.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
                assertThat(millisSince(start)).isGreaterThanOrEqualTo(450);
                assertThat(proxy.stats().bytesUpstream()).isZero();
                assertThat(fault.isHealed()).isFalse();
            }
            try (Socket after = connect(proxy)) {
                assertThat(roundTrip(after, "back")).isEqualTo("back");
            }
        }
    }

    @Test
    void failFirst_resetsTheFirstNConnections_thenLetsThemThrough() throws Exception {
        try (TestServer echo = TestServer.echo();
             ChaosProxy proxy = ChaosProxy.open("127.0.0.1", echo.port());
             ActiveFault fault = proxy.inject(FaultSpec.failFirst(2))) {
            for (int i = 0; i < 2; i++) {
                try (Socket client = connect(proxy)) {
                    assertThatThrownBy(() -> {
                        client.getOutputStream().write(1);
                        client.getInputStream().read();
                    }).isInstanceOf(SocketException.class).hasMessageContaining("reset");
                }
            }
            for (int i = 0; i < 3; i++) {
                try (Socket client = connect(proxy)) {
                    assertThat(roundTrip(client, "ok" + i)).isEqualTo("ok" + i);
                }
            }
            assertThat(fault.spec().connections()).isEqualTo(2);
        }
        assertThatThrownBy(() -> FaultSpec.failFirst(-1)).hasMessage("connections must be 0 or more, but was -1");
    }

    @Test
    void flap_alternatesBetweenServingAndRefusing_underLoad() throws Exception {
        try (TestServer echo = TestServer.echo();
             ChaosProxy proxy = ChaosProxy.open("127.0.0.1", echo.port())) {
            ActiveFault flap = proxy.inject(FaultSpec.flap(Duration.ofMillis(400), 0.5).jitter(Duration.ofMillis(20)).seed(1));
            int served = 0;
            int refused = 0;
            int broken = 0;
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2_000);
            while (System.nanoTime() - end < 0) {
                try (Socket client = connect(proxy)) {
                    client.setSoTimeout(1_000);
                    if ("p".equals(roundTrip(client, "p"))) {
                        served++;
                    }
                } catch (ConnectException e) {
                    refused++;
                } catch (IOException e) {
                    broken++; // closed by a down phase mid-request
                }
                Thread.sleep(10);
            }
            assertThat(served).as("served %d, refused %d, broken %d", served, refused, broken).isGreaterThan(10);
            assertThat(refused).as("served %d, refused %d, broken %d", served, refused, broken).isGreaterThan(10);
            flap.close();
            try (Socket after = connect(proxy)) {
                assertThat(roundTrip(after, "up")).isEqualTo("up");
            }
        }
    }

    @Test
    void flap_edges() throws Exception {
        try (TestServer echo = TestServer.echo();
             ChaosProxy proxy = ChaosProxy.open("127.0.0.1", echo.port())) {
            try (ActiveFault alwaysDown = proxy.inject(FaultSpec.flap(Duration.ofMillis(100), 0.0))) {
                assertThatThrownBy(() -> connect(proxy)).isInstanceOf(ConnectException.class);
                assertThat(alwaysDown.isHealed()).isFalse();
            }
            try (ActiveFault alwaysUp = proxy.inject(FaultSpec.flap(Duration.ofMillis(100), 1.0));
                 Socket client = connect(proxy)) {
                Thread.sleep(250);
                assertThat(roundTrip(client, "up")).isEqualTo("up");
                assertThat(alwaysUp.isHealed()).isFalse();
            }
        }
        assertThatThrownBy(() -> FaultSpec.flap(Duration.ZERO, 0.5)).hasMessageContaining("period must be positive");
        assertThatThrownBy(() -> FaultSpec.flap(Duration.ofSeconds(1), 1.5))
                .hasMessage("upFraction must be between 0.0 and 1.0, but was 1.5");
    }
}
