package dev.chaosjunit.internal.engine;

import static dev.chaosjunit.internal.engine.Sockets.connect;
import static dev.chaosjunit.internal.engine.Sockets.millisSince;
import static dev.chaosjunit.internal.engine.Sockets.readExactly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chaosjunit.ActiveFault;
import dev.chaosjunit.ChaosProxy;
import dev.chaosjunit.FaultSpec;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BandwidthFaultTest {

    /** The server answers each byte it reads with {@code size} bytes. */
    private static TestServer responder(byte[] response) {
        return TestServer.start(socket -> {
            InputStream in = socket.getInputStream();
            while (in.read() >= 0) {
                socket.getOutputStream().write(response);
            }
        });
    }

    @Test
    void rate_pacesTheResponse_perConnection() throws Exception {
        byte[] response = Sockets.randomBytes(100_000, 1);
        try (TestServer server = responder(response);
             ChaosProxy proxy = ChaosProxy.open("127.0.0.1", server.port());
             ActiveFault slow = proxy.inject(FaultSpec.bandwidth(100));
             Socket first = connect(proxy);
             Socket second = connect(proxy)) {
            assertThat(slow.spec().toString()).isEqualTo("BANDWIDTH(100 KB/s, DOWNSTREAM)");
            long start = System.nanoTime();
            CompletableFuture<byte[]> other = CompletableFuture.supplyAsync(() -> fetch(second, response.length));
            assertThat(fetch(first, response.length)).isEqualTo(response);
            assertThat(other.get(10, TimeUnit.SECONDS)).isEqualTo(response);
            // 100 KB at 100 KB/s is 1 s for each connection; side by side, not one after the other
            assertThat(millisSince(start)).isBetween(850L, 1_900L);
        }
    }

    @Test
    void rateZero_holdsTheData_andDeliversItAllWhenRemoved() throws Exception {
        byte[] response = Sockets.randomBytes(300_000, 2);
        try (TestServer server = responder(response);
             ChaosProxy proxy = ChaosProxy.open("127.0.0.1", server.port());
             Socket client = connect(proxy)) {
            ActiveFault cut = proxy.inject(FaultSpec.bandwidth(0));
            client.getOutputStream().write(1);
            client.setSoTimeout(400);
            assertThatThrownBy(() -> client.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            assertThat(proxy.stats().connectionsOpen()).isEqualTo(1);
            cut.close();
            client.setSoTimeout(10_000);
            assertThat(readExactly(client.getInputStream(), response.length)).isEqualTo(response);
        }
    }

    @Test
    void negativeRate_isAClearError() {
        assertThatThrownBy(() -> FaultSpec.bandwidth(-5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("rate must be 0 or more (0 holds the data), but was -5");
    }

    @Test
    void hugeRate_isTransparent() throws Exception {
        byte[] response = Sockets.randomBytes(2_000_000, 3);
        try (TestServer server = responder(response);
             ChaosProxy proxy = ChaosProxy.open("127.0.0.1", server.port());
             ActiveFault fast = proxy.inject(FaultSpec.bandwidth(Long.MAX_VALUE / 2000));
             Socket client = connect(proxy)) {
            long start = System.nanoTime();
            assertThat(fetch(client, response.length)).isEqualTo(response);
            assertThat(millisSince(start)).isLessThan(3_000);
            assertThat(fast.isHealed()).isFalse();
        }
    }

    private static byte[] fetch(Socket client, int length) {
        try {
            client.getOutputStream().write(1);
            return readExactly(client.getInputStream(), length);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
