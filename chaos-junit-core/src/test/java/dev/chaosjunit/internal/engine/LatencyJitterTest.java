package dev.chaosjunit.internal.engine;

import static dev.chaosjunit.internal.engine.Sockets.connect;
import static dev.chaosjunit.internal.engine.Sockets.millisSince;
import static dev.chaosjunit.internal.engine.Sockets.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.chaosjunit.ActiveFault;
import dev.chaosjunit.ChaosProxy;
import dev.chaosjunit.Direction;
import dev.chaosjunit.FaultSpec;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LatencyJitterTest {

    @Test
    void symmetricLatency_addsTheDelayEachWay() throws Exception {
        try (TestServer echo = TestServer.echo();
             ChaosProxy proxy = ChaosProxy.open("127.0.0.1", echo.port());
             Socket client = connect(proxy);
             ActiveFault both = proxy.inject(FaultSpec.latency(Duration.ofMillis(200)).direction(Direction.BOTH))) {
            long sentAt = System.nanoTime();
            assertThat(roundTrip(client, "ping")).isEqualTo("ping");
            assertThat(millisSince(sentAt)).isBetween(390L, 1_100L);
            assertThat(both.spec().direction()).isEqualTo(Direction.BOTH);
        }
    }

    @Test
    void jitteredDelays_stayWithinBounds_andKeepOrder() throws Exception {
        try (TestServer echo = TestServer.echo();
             ChaosProxy proxy = ChaosProxy.open("127.0.0.1", echo.port());
             Socket client = connect(proxy);
             ActiveFault latency = proxy.inject(FaultSpec.latency(Duration.ofMillis(100), Duration.ofMillis(80)).seed(7))) {
            assertThat(latency.spec().toString()).isEqualTo("LATENCY(100 ms ± 80 ms, DOWNSTREAM, seed=7)");
            List<Long> times = new ArrayList<>();
            for (int i = 0; i < 15; i++) {
                long sentAt = System.nanoTime();
                assertThat(roundTrip(client, "m" + i)).isEqualTo("m" + i);
                times.add(millisSince(sentAt));
            }
            assertThat(times).allSatisfy(t -> assertThat(t).isBetween(15L, 800L));
            assertThat(times.stream().mapToLong(Long::longValue).max().getAsLong()
                    - times.stream().mapToLong(Long::longValue).min().getAsLong())
                    .as("jitter spreads the delays: %s", times).isGreaterThan(30);
        }
    }

    @Test
    void jitterLargerThanTheDelay_neverGoesNegative_andKeepsAStreamInOrder() throws Exception {
        int numbers = 20_000;
        try (TestServer server = TestServer.start(socket -> {
                DataOutputStream out = new DataOutputStream(socket.getOutputStream());
                for (int i = 0; i < numbers; i++) {
                    out.writeInt(i);
                    if (i % 500 == 0) {
                        out.flush();
                        Thread.sleep(1);
                    }
                }
                out.flush();
                socket.shutdownOutput();
                socket.getInputStream().read();
            });
             ChaosProxy proxy = ChaosProxy.open("127.0.0.1", server.port());
             ActiveFault latency = proxy.inject(FaultSpec.latency(Duration.ofMillis(5), Duration.ofMillis(50)));
             Socket client = connect(proxy)) {
            DataInputStream in = new DataInputStream(client.getInputStream());
            for (int i = 0; i < numbers; i++) {
                assertThat(in.readInt()).isEqualTo(i);
            }
            assertThat(in.read()).isEqualTo(-1);
            assertThat(latency.isHealed()).isFalse();
        }
    }
}
