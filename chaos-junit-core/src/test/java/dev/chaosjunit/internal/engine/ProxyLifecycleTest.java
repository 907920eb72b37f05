package dev.chaosjunit.internal.engine;

import static dev.chaosjunit.internal.engine.Sockets.connect;
import static dev.chaosjunit.internal.engine.Sockets.millisSince;
import static dev.chaosjunit.internal.engine.Sockets.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.chaosjunit.ActiveFault;
import dev.chaosjunit.ChaosProxy;
import dev.chaosjunit.Direction;
import dev.chaosjunit.FaultSpec;
import dev.chaosjunit.TrafficStats;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ProxyLifecycleTest {

    /** A liveness bound, not a performance target: commands normally take microseconds. */
    private static final long COMMAND_BOUND_MILLIS = 500;

    @Test
    void close_isIdempotent_freesThePort_andEndsTheThread() throws Exception {
        try (TestServer echo = TestServer.echo()) {
            ChaosProxy proxy = ChaosProxy.open("127.0.0.1", echo.port());
            int port = proxy.port();
            Socket client = connect(proxy);
            assertThat(roundTrip(client, "hi")).isEqualTo("hi");
            assertThat(threadNames()).contains("chaos-proxy-" + port);

            proxy.close();
            proxy.close();

            assertThat(threadNames()).noneMatch(name -> name.equals("chaos-proxy-" + port));
            assertThat(DownFaultTest.endOfStreamOrError(client)).isTrue();
            try (ServerSocket rebound = new ServerSocket()) {
                rebound.setReuseAddress(true);
                rebound.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
                assertThat(rebound.getLocalPort()).isEqualTo(port);
            }
            client.close();
        }
    }

    @Test
    void afterClose_injectThrows_andHealAndFaultCloseDoNothing() throws Exception {
        try (TestServer echo = TestServer.echo()) {
            ChaosProxy proxy = ChaosProxy.open("127.0.0.1", echo.port());
            ActiveFault latency = proxy.inject(FaultSpec.latency(Duration.ofMillis(10)));
            proxy.close();

            assertThatThrownBy(() -> proxy.inject(FaultSpec.down()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
            proxy.heal();
            latency.close();
            assertThat(latency.isHealed()).isTrue();
            assertThat(proxy.activeFaults()).isEmpty();
        }
    }

    @Test
    void faultHandles_reportTheirTimes_andHealingIsIdempotent() throws Exception {
        try (TestServer echo = TestServer.echo();
             ChaosProxy proxy = ChaosProxy.open("127.0.0.1", echo.port())) {
            long before = System.nanoTime();
            ActiveFault latency = proxy.inject(FaultSpec.latency(Duration.ofMillis(10)));
            ActiveFault timeout = proxy.inject(FaultSpec.timeout());
            assertThat(latency.startedAtNanos() - before).isPositive();
            assertThat(proxy.activeFaults()).containsExactly(latency, timeout);
            assertThat(latency.proxy()).isSameAs(proxy);
            assertThatThrownBy(latency::healedAtNanos).isInstanceOf(IllegalStateException.class);

            latency.close();
            latency.close();
            assertThat(proxy.activeFaults()).containsExactly(timeout);
            assertThat(latency.healedAtNanos() - latency.startedAtNanos()).isPositive();

            proxy.heal();
            assertThat(proxy.activeFaults()).isEmpty();
            assertThat(timeout.isHealed()).isTrue();
        }
    }

    @Test
    void stats_countConnectionsAndBytesEachWay() throws Exception {
        try (TestServer server = TestServer.start(socket -> {
                socket.getInputStream().readNBytes(3);
                socket.getOutputStream().write(new byte[5]);
                socket.getInputStream().read();
            });
             ChaosProxy proxy = ChaosProxy.open("127.0.0.1", server.port())) {
            try (Socket client = connect(proxy)) {
                client.getOutputStream().write(new byte[3]);
                client.getInputStream().readNBytes(5);
                // counted just after the write, so the client may see the bytes a moment before the counter
                await().atMost(Duration.ofSeconds(5)).until(() -> proxy.stats().equals(new TrafficStats(1, 1, 3, 5)));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> proxy.stats().connectionsOpen() == 0);
            assertThat(proxy.stats().connectionsAccepted()).isEqualTo(1);
        }
    }

    @Test
    void injectAndHeal_returnPromptly_whileTheDependencyFloodsAClientThatNeverReads() throws Exception {
        AtomicLong writtenByServer = new AtomicLong();
        try (TestServer flooder = TestServer.start(socket -> {
                OutputStream out = socket.getOutputStream();
                byte[] block = new byte[64 * 1024];
                while (true) {
                    out.write(block);
                    writtenByServer.addAndGet(block.length);
                }
            });
             ChaosProxy proxy = ChaosProxy.open("127.0.0.1", flooder.port());
             Socket neverReads = connect(proxy)) {
            Thread.sleep(500);

            for (FaultSpec spec : List.of(FaultSpec.latency(Duration.ofMillis(200)), FaultSpec.timeout(),
                    FaultSpec.latency(Duration.ofMillis(50)).direction(Direction.BOTH), FaultSpec.resetPeer(Duration.ofSeconds(30)))) {
                long start = System.nanoTime();
                ActiveFault fault = proxy.inject(spec);
                assertThat(millisSince(start)).as("inject %s", spec).isLessThan(COMMAND_BOUND_MILLIS);
                Thread.sleep(50);
                start = System.nanoTime();
                fault.close();
                assertThat(millisSince(start)).as("heal %s", spec).isLessThan(COMMAND_BOUND_MILLIS);
            }
            assertThat(neverReads.isClosed()).isFalse();
        }
    }

    @Test
    void aClientThatNeverReads_makesTheProxyStopReading_notBufferWithoutBound() throws Exception {
        AtomicLong writtenByServer = new AtomicLong();
        try (TestServer flooder = TestServer.start(socket -> {
                OutputStream out = socket.getOutputStream();
                byte[] block = new byte[64 * 1024];
                while (true) {
                    out.write(block);
                    writtenByServer.addAndGet(block.length);
                }
            });
             ChaosProxy proxy = ChaosProxy.open("127.0.0.1", flooder.port());
             Socket neverReads = connect(proxy)) {
            // the server stalls once the kernel buffers and the proxy's high-water mark are full
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                    .until(new StableValue(writtenByServer)::isStable);

            assertThat(writtenByServer.get()).as("bytes the server could write").isLessThan(64L * 1024 * 1024);
            assertThat(neverReads.isConnected()).isTrue();

            // and once the client reads, everything flows again
            long stalledAt = writtenByServer.get();
            CompletableFuture.runAsync(() -> {
                try {
                    neverReads.getInputStream().readNBytes((int) stalledAt + 8 * 1024 * 1024);
                } catch (Exception ignored) {
                    // the test ends by closing the socket
                }
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> writtenByServer.get() > stalledAt + 4 * 1024 * 1024);
        }
    }

    /** True once the value has not changed between two polls. */
    private static final class StableValue {
        private final AtomicLong value;
        private long previous = -1;

        StableValue(AtomicLong value) {
            this.value = value;
        }

        boolean isStable() {
            long now = value.get();
            boolean stable = now == previous && now > 0;
            previous = now;
            return stable;
        }
    }

    private static List<String> threadNames() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).toList();
    }
}
