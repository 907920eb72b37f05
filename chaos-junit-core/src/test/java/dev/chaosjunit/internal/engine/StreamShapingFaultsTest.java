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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** SLOW_CLOSE, SLICER and LIMIT_DATA on real loopback sockets. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StreamShapingFaultsTest {

    /** Sends {@code response} for each byte read, and closes after {@code closeAfter} responses. */
    private static TestServer sender(byte[] response, int closeAfter) {
        return TestServer.start(socket -> {
            InputStream in = socket.getInputStream();
            for (int i = 0; i < closeAfter && in.read() >= 0; i++) {
                socket.getOutputStream().write(response);
                socket.getOutputStream().flush();
            }
            socket.shutdownOutput();
            in.read();
        });
    }

    @Test
    void slowClose_delaysTheEndOfStream_notTheData() throws Exception {
        byte[] response = Sockets.randomBytes(1000, 1);
        try (TestServer server = sender(response, 1);
             ChaosProxy proxy = ChaosProxy.open("127.0.0.1", server.port());
             ActiveFault slowClose = proxy.inject(FaultSpec.slowClose(Duration.ofMillis(500)));
             Socket client = connect(proxy)) {
            long start = System.nanoTime();
            client.getOutputStream().write(1);
            assertThat(readExactly(client.getInputStream(), response.length)).isEqualTo(response);
            assertThat(millisSince(start)).isLessThan(300);
            assertThat(client.getInputStream().read()).isEqualTo(-1);
            assertThat(millisSince(start)).isBetween(480L, 1_400L);
            assertThat(slowClose.spec().toString()).isEqualTo("SLOW_CLOSE(500 ms, DOWNSTREAM)");
        }
    }

    @Test
    void slicer_deliversEverythingInSmallPieces_spacedByTheDelay() throws Exception {
        byte[] response = Sockets.randomBytes(2000, 2);
        try (TestServer server = sender(response, 1);
             ChaosProxy proxy = ChaosProxy.open("127.0.0.1", server.port());
             ActiveFault slicer = proxy.inject(FaultSpec.slicer(100, 50, Duration.ofMillis(10)).seed(3));
             Socket client = connect(proxy)) {
            long start = System.nanoTime();
            client.getOutputStream().write(1);
            List<Integer> reads = new ArrayList<>();
            byte[] received = new byte[response.length];
            int total = 0;
            while (total < response.length) {
                int n = client.getInputStream().read(received, total, response.length - total);
                reads.add(n);
                total += n;
            }
            assertThat(received).isEqualTo(response);
            assertThat(reads).as("reads: %s", reads).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(149));
            assertThat(reads.size()).isGreaterThanOrEqualTo(10);
            // at least 13 pieces of at most 149 bytes, 10 ms apart
            assertThat(millisSince(start)).isGreaterThanOrEqualTo(120);
            assertThat(slicer.spec().toString()).isEqualTo("SLICER(100 ± 50 bytes every 10000 µs, DOWNSTREAM, seed=3)");
        }
    }

    @Test
    void slicer_invalidSizes_areClearErrors() {
        assertThatThrownBy(() -> FaultSpec.slicer(0, 0, Duration.ZERO))
                .hasMessage("averageSize must be 1 byte or more, but was 0");
        assertThatThrownBy(() -> FaultSpec.slicer(10, 10, Duration.ZERO))
                .hasMessage("variation must be 0 or more and less than averageSize (10), but was 10");
        assertThatThrownBy(() -> FaultSpec.slicer(10, -1, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FaultSpec.slicer(10, 0, Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void limitData_passesExactlyNBytes_perConnection_thenEndOfStream() throws Exception {
        byte[] response = Sockets.randomBytes(50_000, 4);
        try (TestServer server = sender(response, 1000);
             ChaosProxy proxy = ChaosProxy.open("127.0.0.1", server.port());
             ActiveFault limit = proxy.inject(FaultSpec.limitData(12_345))) {
            List<CompletableFuture<byte[]>> clients = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                clients.add(CompletableFuture.supplyAsync(() -> {
                    try (Socket client = connect(proxy)) {
                        client.getOutputStream().write(new byte[] {1, 1, 1});
                        return Sockets.readToEnd(client.getInputStream());
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }));
            }
            for (CompletableFuture<byte[]> client : clients) {
                byte[] received = client.get(10, TimeUnit.SECONDS);
                assertThat(received).hasSize(12_345);
                assertThat(received).isEqualTo(java.util.Arrays.copyOf(response, 12_345));
            }
            assertThat(limit.spec().bytes()).isEqualTo(12_345);
        }
    }

    @Test
    void limitDataZero_endsTheStreamAtOnce_andNegativeIsAnError() throws Exception {
        try (TestServer server = sender(new byte[] {9}, 5);
             ChaosProxy proxy = ChaosProxy.open("127.0.0.1", server.port());
             ActiveFault limit = proxy.inject(FaultSpec.limitData(0));
             Socket client = connect(proxy)) {
            client.getOutputStream().write(1);
            assertThat(client.getInputStream().read()).isEqualTo(-1);
            assertThat(limit.isHealed()).isFalse();
        }
        assertThatThrownBy(() -> FaultSpec.limitData(-1)).hasMessage("bytes must be 0 or more, but was -1");
    }
}
