package dev.chaosjunit.internal.engine;

import static dev.chaosjunit.internal.engine.Sockets.connect;
import static dev.chaosjunit.internal.engine.Sockets.millisSince;
import static dev.chaosjunit.internal.engine.Sockets.readExactly;
import static dev.chaosjunit.internal.engine.Sockets.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.chaosjunit.ActiveFault;
import dev.chaosjunit.ChaosProxy;
import dev.chaosjunit.Direction;
import dev.chaosjunit.FaultSpec;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LatencyFaultTest {

    private static final Duration LATENCY = Duration.ofMillis(300);
    /** Generous upper slack for a loaded 2-core machine; the lower bound is what proves the fault acted. */
    private static final long SLACK_MILLIS = 700;

    @Test
    void downstreamLatency_delaysTheResponseButNotTheRequest() throws Exception {
        CompletableFuture<Long> requestReachedServerAt = new CompletableFuture<>();
        try (TestServer server = TestServer.start(socket -> {
                int request = socket.getInputStream().read();
                requestReachedServerAt.complete(System.nanoTime());
                socket.getOutputStream().write(request);
                socket.getInputStream().read();
            });
             ChaosProxy proxy = ChaosProxy.open("127.0.0.1", server.port());
             Socket client = connect(proxy);
             ActiveFault latency = proxy.inject(FaultSpec.latency(LATENCY))) {

            long sentAt = System.nanoTime();
            client.getOutputStream().write(42);
            int response = client.getInputStream().read();
            long roundTripMillis = millisSince(sentAt);

            assertThat(response).isEqualTo(42);
            assertThat((requestReachedServerAt.get(5, TimeUnit.SECONDS) - sentAt) / 1_000_000).isLessThan(LATENCY.toMillis() - 100);
            assertThat(roundTripMillis).isBetween(LATENCY.toMillis() - 20, LATENCY.toMillis() + SLACK_MILLIS);
            assertThat(latency.spec().direction()).isEqualTo(Direction.DOWNSTREAM);
        }
    }

    @Test
    void upstreamLatency_delaysTheRequest() throws Exception {
        try (TestServer echo = TestServer.echo();
             ChaosProxy proxy = ChaosProxy.open("127.0.0.1", echo.port());
             Socket client = connect(proxy);
             ActiveFault latency = proxy.inject(FaultSpec.latency(LATENCY).direction(Direction.UPSTREAM))) {
            assertThat(latency.isHealed()).isFalse();
            long sentAt = System.nanoTime();
            assertThat(roundTrip(client, "up")).isEqualTo("up");
            assertThat(millisSince(sentAt)).isBetween(LATENCY.toMillis() - 20, LATENCY.toMillis() + SLACK_MILLIS);
        }
    }

    @Test
    void latencyBothWays_addsUpOnARoundTrip() throws Exception {
        try (TestServer echo = TestServer.echo();
             ChaosProxy proxy = ChaosProxy.open("127.0.0.1", echo.port());
             Socket client = connect(proxy);
             ActiveFault up = proxy.inject(FaultSpec.latency(Duration.ofMillis(200)).direction(Direction.UPSTREAM));
             ActiveFault down = proxy.inject(FaultSpec.latency(Duration.ofMillis(200)))) {
            long sentAt = System.nanoTime();
            assertThat(roundTrip(client, "both")).isEqualTo("both");
            assertThat(millisSince(sentAt)).isBetween(380L, 400 + SLACK_MILLIS);
            assertThat(proxy.activeFaults()).containsExactly(up, down);
        }
    }

    @Test
    void largeResponse_isDelayedOnceInTotal_notPerChunk() throws Exception {
        int responseBytes = 10 * 1024 * 1024;
        byte[] response = Sockets.randomBytes(responseBytes, 5);
        try (TestServer server = TestServer.start(socket -> {
                InputStream in = socket.getInputStream();
                while (in.read() >= 0) {
                    socket.getOutputStream().write(response);
                }
            });
             ChaosProxy proxy = ChaosProxy.open("127.0.0.1", server.port());
             Socket client = connect(proxy)) {
            long withoutFault = timeResponse(client, responseBytes);
            long withLatency;
            try (ActiveFault latency = proxy.inject(FaultSpec.latency(LATENCY))) {
                withLatency = timeResponse(client, responseBytes);
                assertThat(latency.isHealed()).isFalse();
            }

            // per-chunk delays would add up to many seconds (160+ chunks of 64 KB)
            assertThat(withLatency - withoutFault)
                    .as("extra time for 10 MB under %s latency (without fault: %d ms, with: %d ms)", LATENCY, withoutFault, withLatency)
                    .isBetween(LATENCY.toMillis() - 50, LATENCY.toMillis() + 1_500);
        }
    }

    private static long timeResponse(Socket client, int responseBytes) throws Exception {
        long start = System.nanoTime();
        client.getOutputStream().write(1);
        readExactly(client.getInputStream(), responseBytes);
        return millisSince(start);
    }

    @Test
    void connectionOpenedBeforeTheFault_isDelayedToo() throws Exception {
        try (TestServer echo = TestServer.echo();
             ChaosProxy proxy = ChaosProxy.open("127.0.0.1", echo.port());
             Socket pooled = connect(proxy)) {
            assertThat(roundTrip(pooled, "warm")).isEqualTo("warm");

            try (ActiveFault latency = proxy.inject(FaultSpec.latency(LATENCY))) {
                assertThat(latency.isHealed()).isFalse();
                long sentAt = System.nanoTime();
                assertThat(roundTrip(pooled, "slow")).isEqualTo("slow");
                assertThat(millisSince(sentAt)).isBetween(LATENCY.toMillis() - 20, LATENCY.toMillis() + SLACK_MILLIS);
            }

            long sentAt = System.nanoTime();
            assertThat(roundTrip(pooled, "fast again")).isEqualTo("fast again");
            assertThat(millisSince(sentAt)).isLessThan(LATENCY.toMillis() - 100);
        }
    }

    @Test
    void handshakeIsNotDelayed() throws Exception {
        try (TestServer echo = TestServer.echo();
             ChaosProxy proxy = ChaosProxy.open("127.0.0.1", echo.port());
             ActiveFault latency = proxy.inject(FaultSpec.latency(Duration.ofSeconds(2)).direction(Direction.BOTH))) {
            long start = System.nanoTime();
            try (Socket client = connect(proxy)) {
                assertThat(millisSince(start)).isLessThan(1_000);
                assertThat(client.isConnected()).isTrue();
                assertThat(latency.isHealed()).isFalse();
            }
        }
    }

    @Test
    void addingAndRemovingLatencyMidStream_losesReordersAndDuplicatesNothing() throws Exception {
        int numbers = 2_000_000; // 8 MB of consecutive ints, paced so that the stream outlasts the toggling
        try (TestServer server = TestServer.start(socket -> {
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 64 * 1024));
                for (int i = 0; i < numbers; i++) {
                    out.writeInt(i);
                    if (i % 2_000 == 0) {
                        out.flush();
                        Thread.sleep(1);
                    }
                }
                out.flush();
                socket.shutdownOutput();
                socket.getInputStream().read();
            });
             ChaosProxy proxy = ChaosProxy.open("127.0.0.1", server.port());
             Socket client = connect(proxy)) {
            CompletableFuture<Void> toggling = CompletableFuture.runAsync(() -> {
                for (int round = 0; round < 10; round++) {
                    Direction direction = round % 2 == 0 ? Direction.DOWNSTREAM : Direction.BOTH;
                    ActiveFault latency = proxy.inject(FaultSpec.latency(Duration.ofMillis(150)).direction(direction));
                    pause(60);
                    latency.close();
                    pause(20);
                }
            });

            DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(client.getInputStream(), 64 * 1024));
            for (int expected = 0; expected < numbers; expected++) {
                int actual = in.readInt();
                if (actual != expected) {
                    throw new AssertionError("expected " + expected + " but read " + actual);
                }
            }
            assertThat(in.read()).as("end of stream after the last number").isEqualTo(-1);
            toggling.get(20, TimeUnit.SECONDS);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
