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
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** LOSS, TOXICITY with seeds, and every delaying fault added and removed while a stream flows. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LossToxicityTest {

    @Test
    void loss_stallsSomeRoundTripsBy200msOrMore_butLosesNothing() throws Exception {
        try (TestServer echo = TestServer.echo();
             ChaosProxy proxy = ChaosProxy.open("127.0.0.1", echo.port());
             Socket client = connect(proxy);
             ActiveFault loss = proxy.inject(FaultSpec.loss(0.3).direction(Direction.DOWNSTREAM).seed(11))) {
            int stalled = 0;
            for (int i = 0; i < 20; i++) {
                long start = System.nanoTime();
                assertThat(roundTrip(client, "r" + i)).isEqualTo("r" + i);
                long took = millisSince(start);
                if (took >= 190) {
                    stalled++;
                }
                assertThat(took).isLessThan(13_500);
            }
            assertThat(stalled).isBetween(1, 15);
            assertThat(loss.spec().toString()).isEqualTo("LOSS(fraction 0.3, DOWNSTREAM, seed=11)");
        }
        assertThatThrownBy(() -> FaultSpec.loss(-0.1)).hasMessage("fraction must be between 0.0 and 1.0, but was -0.1");
        assertThatThrownBy(() -> FaultSpec.loss(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toxicity_withAFixedSeed_affectsTheSameConnectionsOnReplay_andAboutThatFraction() throws Exception {
        List<Boolean> first = affectedConnections(40, 0.5, 99);
        List<Boolean> replay = affectedConnections(40, 0.5, 99);
        assertThat(replay).isEqualTo(first);
        long affected = first.stream().filter(b -> b).count();
        assertThat(affected).isBetween(10L, 30L);
    }

    /** Opens {@code count} connections under LATENCY 300 ms with the given toxicity; which ones were delayed. */
    private static List<Boolean> affectedConnections(int count, double toxicity, long seed) throws Exception {
        try (TestServer echo = TestServer.echo();
             ChaosProxy proxy = ChaosProxy.open("127.0.0.1", echo.port());
             ActiveFault latency = proxy.inject(FaultSpec.latency(Duration.ofMillis(300)).toxicity(toxicity).seed(seed))) {
            assertThat(latency.spec().toString()).isEqualTo("LATENCY(300 ms, DOWNSTREAM, toxicity 0.5, seed=99)");
            List<Socket> sockets = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                sockets.add(connect(proxy)); // connected one by one, so their numbers on the proxy are 1..count
                Thread.sleep(2);
            }
            List<CompletableFuture<Boolean>> delayed = new ArrayList<>();
            for (Socket socket : sockets) {
                delayed.add(CompletableFuture.supplyAsync(() -> {
                    try (socket) {
                        long start = System.nanoTime();
                        roundTrip(socket, "t");
                        return millisSince(start) >= 250;
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }));
            }
            List<Boolean> result = new ArrayList<>();
            for (CompletableFuture<Boolean> d : delayed) {
                result.add(d.get(10, TimeUnit.SECONDS));
            }
            return result;
        }
    }

    @Test
    void toxicity_isValidated() {
        assertThatThrownBy(() -> FaultSpec.latency(Duration.ZERO).toxicity(1.1))
                .hasMessage("toxicity must be between 0.0 and 1.0, but was 1.1");
        assertThatThrownBy(() -> FaultSpec.down().toxicity(0.5))
                .hasMessage("DOWN does not act on connections one by one and takes no toxicity");
    }

    @Test
    void addingAndRemovingEveryDelayingFaultMidStream_losesAndReordersNothing() throws Exception {
        int numbers = 400_000;
        try (TestServer server = TestServer.start(socket -> {
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 16 * 1024));
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
            List<FaultSpec> faults = List.of(
                    FaultSpec.latency(Duration.ofMillis(50), Duration.ofMillis(50)).seed(1),
                    FaultSpec.bandwidth(2_000),
                    FaultSpec.bandwidth(0),
                    FaultSpec.slicer(700, 300, Duration.ofNanos(50_000)).seed(2),
                    FaultSpec.loss(0.2).seed(3),
                    FaultSpec.slowClose(Duration.ofMillis(30)),
                    FaultSpec.latency(Duration.ofMillis(30)).toxicity(0.5).direction(Direction.BOTH).seed(4));
            CompletableFuture<Void> toggling = CompletableFuture.runAsync(() -> {
                for (int round = 0; round < 14; round++) {
                    ActiveFault fault = proxy.inject(faults.get(round % faults.size()));
                    ActiveFault other = proxy.inject(faults.get((round + 3) % faults.size()));
                    pause(60);
                    fault.close();
                    pause(20);
                    other.close();
                }
            });
            DataInputStream in = new DataInputStream(new BufferedInputStream(client.getInputStream(), 64 * 1024));
            for (int expected = 0; expected < numbers; expected++) {
                int actual = in.readInt();
                if (actual != expected) {
                    throw new AssertionError("expected " + expected + " but read " + actual);
                }
            }
            assertThat(in.read()).isEqualTo(-1);
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
