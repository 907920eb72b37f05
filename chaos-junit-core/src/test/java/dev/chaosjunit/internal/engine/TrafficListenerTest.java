package dev.chaosjunit.internal.engine;

import static dev.chaosjunit.internal.engine.Sockets.connect;
import static dev.chaosjunit.internal.engine.Sockets.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chaosjunit.ActiveFault;
import dev.chaosjunit.Direction;
import dev.chaosjunit.FaultSpec;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The hook a per-test timeline will use. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TrafficListenerTest {

    @Test
    void listenerSeesConnectionsBytesAndDrops() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        AtomicLong upstream = new AtomicLong();
        AtomicLong downstream = new AtomicLong();
        AtomicLong dropped = new AtomicLong();
        TrafficListener listener = new TrafficListener() {
            @Override
            public void connectionOpened(long connectionId, long atNanos) {
                events.add("opened #" + connectionId);
            }

            @Override
            public void connectionClosed(long connectionId, String reason, long atNanos) {
                events.add("closed #" + connectionId + ": " + reason);
            }

            @Override
            public void bytesDelivered(long connectionId, Direction way, int byteCount, long atNanos) {
                (way == Direction.UPSTREAM ? upstream : downstream).addAndGet(byteCount);
            }

            @Override
            public void bytesDropped(long connectionId, Direction way, int byteCount, long atNanos) {
                dropped.addAndGet(byteCount);
            }
        };
        try (TestServer echo = TestServer.echo();
             TcpChaosProxy proxy = TcpChaosProxy.start("127.0.0.1", echo.port(), listener)) {
            try (Socket client = connect(proxy)) {
                assertThat(roundTrip(client, "12345")).isEqualTo("12345");
                try (ActiveFault timeout = proxy.inject(FaultSpec.timeout())) {
                    client.getOutputStream().write(new byte[100]);
                    await().atMost(Duration.ofSeconds(5)).until(() -> dropped.get() == 100);
                    assertThat(timeout.isHealed()).isFalse();
                }
            }

            await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 2);
            assertThat(events.get(0)).isEqualTo("opened #1");
            assertThat(events.get(1)).startsWith("closed #1: closed on healing TIMEOUT");
            assertThat(upstream.get()).isEqualTo(5);
            assertThat(downstream.get()).isEqualTo(5);
        }
    }
}
