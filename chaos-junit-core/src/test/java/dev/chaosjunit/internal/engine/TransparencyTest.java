package dev.chaosjunit.internal.engine;

import static dev.chaosjunit.internal.engine.Sockets.connect;
import static dev.chaosjunit.internal.engine.Sockets.randomBytes;
import static dev.chaosjunit.internal.engine.Sockets.readExactly;
import static dev.chaosjunit.internal.engine.Sockets.readToEnd;
import static dev.chaosjunit.internal.engine.Sockets.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chaosjunit.ChaosProxy;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Without faults, the proxy must be indistinguishable from a direct connection. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TransparencyTest {

    private static final int BULK_BYTES = 8 * 1024 * 1024;

    @Test
    void bulkTransfer_clientHalfCloses_everyByteEchoedBackInOrder() throws Exception {
        byte[] request = randomBytes(BULK_BYTES, 1);
        try (TestServer echo = TestServer.echo();
             ChaosProxy proxy = ChaosProxy.open("127.0.0.1", echo.port());
             Socket client = connect(proxy)) {
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                try {
                    client.getOutputStream().write(request);
                    client.shutdownOutput();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });

            byte[] echoed = readToEnd(client.getInputStream());

            sending.get(20, TimeUnit.SECONDS);
            assertThat(echoed).hasSize(BULK_BYTES).isEqualTo(request);
            assertThat(proxy.stats().bytesUpstream()).isEqualTo(BULK_BYTES);
            assertThat(proxy.stats().bytesDownstream()).isEqualTo(BULK_BYTES);
        }
    }

    @Test
    void bulkTransfer_serverHalfCloses_clientStillSendsEveryByte() throws Exception {
        byte[] response = randomBytes(BULK_BYTES, 2);
        byte[] laterRequest = randomBytes(BULK_BYTES, 3);
        CompletableFuture<byte[]> receivedByServer = new CompletableFuture<>();
        try (TestServer server = TestServer.start(socket -> {
                socket.getOutputStream().write(response);
                socket.shutdownOutput();
                receivedByServer.complete(readToEnd(socket.getInputStream()));
            });
             ChaosProxy proxy = ChaosProxy.open("127.0.0.1", server.port());
             Socket client = connect(proxy)) {

            byte[] received = readToEnd(client.getInputStream());
            client.getOutputStream().write(laterRequest);
            client.shutdownOutput();

            assertThat(received).isEqualTo(response);
            assertThat(receivedByServer.get(20, TimeUnit.SECONDS)).isEqualTo(laterRequest);
        }
    }

    @Test
    void serverCloses_clientReadsEveryPendingByteThenEndOfStream() throws Exception {
        byte[] response = randomBytes(4 * 1024 * 1024, 4);
        try (TestServer server = TestServer.start(socket -> socket.getOutputStream().write(response));
             ChaosProxy proxy = ChaosProxy.open("127.0.0.1", server.port())) {
            Socket client = connect(proxy);
            // let the server finish and close while most of the response is still in flight
            Thread.sleep(300);

            assertThat(readToEnd(client.getInputStream())).isEqualTo(response);
            // the end of stream is only a half-close until the client closes too, as on a direct connection
            client.close();
            await().atMost(Duration.ofSeconds(5)).until(() -> proxy.stats().connectionsOpen() == 0);
        }
    }

    @Test
    void clientCloses_connectionToDependencyIsClosed() throws Exception {
        CompletableFuture<Integer> serverRead = new CompletableFuture<>();
        try (TestServer server = TestServer.start(socket -> serverRead.complete(socket.getInputStream().read()));
             ChaosProxy proxy = ChaosProxy.open("127.0.0.1", server.port())) {
            Socket client = connect(proxy);
            await().atMost(Duration.ofSeconds(5)).until(() -> proxy.stats().connectionsOpen() == 1);

            client.close();

            assertThat(serverRead.get(5, TimeUnit.SECONDS)).isEqualTo(-1);
            await().atMost(Duration.ofSeconds(5)).until(() -> proxy.stats().connectionsOpen() == 0);
        }
    }

    @Test
    void upstreamLocalhost_reachesDependencyListeningOnlyOnIpv4() throws Exception {
        try (TestServer echo = TestServer.start(InetAddress.getByName("127.0.0.1"), TestServer::echo);
             ChaosProxy proxy = ChaosProxy.open("localhost", echo.port());
             Socket client = connect(proxy)) {
            assertThat(roundTrip(client, "over IPv4")).isEqualTo("over IPv4");
        }
    }

    @Test
    void upstreamLocalhost_reachesDependencyListeningOnlyOnIpv6() throws Exception {
        try (TestServer echo = TestServer.start(InetAddress.getByName("::1"), TestServer::echo);
             ChaosProxy proxy = ChaosProxy.open("localhost", echo.port());
             Socket client = connect(proxy)) {
            assertThat(roundTrip(client, "over IPv6")).isEqualTo("over IPv6");
        }
    }

    @Test
    void requestResponseConversation_manySmallMessagesArriveIntact() throws Exception {
        try (TestServer echo = TestServer.echo();
             ChaosProxy proxy = ChaosProxy.open("127.0.0.1", echo.port());
             Socket client = connect(proxy)) {
            OutputStream out = client.getOutputStream();
            InputStream in = client.getInputStream();
            for (int i = 0; i < 1000; i++) {
                byte[] message = ("message " + i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                out.write(message);
                assertThat(readExactly(in, message.length)).isEqualTo(message);
            }
            assertThat(proxy.stats().connectionsAccepted()).isEqualTo(1);
            assertThat(proxy.stats().connectionsOpen()).isEqualTo(1);
        }
    }

    @Test
    void listensOnLoopbackIpv4Only() {
        try (TestServer echo = TestServer.echo();
             ChaosProxy proxy = ChaosProxy.open("127.0.0.1", echo.port())) {
            assertThat(proxy.host()).isEqualTo("127.0.0.1");
            assertThat(proxy.port()).isPositive().isNotEqualTo(echo.port());
            assertThat(proxy.name()).isEqualTo("127.0.0.1:" + echo.port());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
