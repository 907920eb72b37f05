package dev.chaosjunit.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.chaosjunit.ChaosProxy;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Thousands of concurrent connections through one proxy: the reason the engine is NIO. */
class ScaleTest {

    private static final int CONNECTIONS = 5_000;
    /** Connect in batches and let the proxy accept each batch, so the listen backlog never overflows. */
    private static final int BATCH = 500;

    @Test
    void fiveThousandConcurrentConnections_eachEchoesItsOwnBytes() throws Exception {
        Process echoServer = startChildEchoServer();
        List<Socket> clients = new ArrayList<>(CONNECTIONS);
        try {
            int echoPort = readPort(echoServer);
            try (ChaosProxy proxy = ChaosProxy.open("127.0.0.1", echoPort)) {
                assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                    InetSocketAddress address = new InetSocketAddress(proxy.host(), proxy.port());
                    while (clients.size() < CONNECTIONS) {
                        for (int i = 0; i < BATCH; i++) {
                            Socket socket = new Socket();
                            clients.add(socket);
                            socket.connect(address, 10_000);
                            socket.setSoTimeout(20_000);
                        }
                        await().atMost(Duration.ofSeconds(20))
                                .until(() -> proxy.stats().connectionsAccepted() >= clients.size());
                    }
                    await().atMost(Duration.ofSeconds(20)).until(() -> proxy.stats().connectionsOpen() == CONNECTIONS);

                    // all connections are open at once; now each one talks
                    for (int i = 0; i < CONNECTIONS; i++) {
                        clients.get(i).getOutputStream().write(message(i));
                    }
                    for (int i = 0; i < CONNECTIONS; i++) {
                        byte[] expected = message(i);
                        assertThat(clients.get(i).getInputStream().readNBytes(expected.length)).isEqualTo(expected);
                    }

                    assertThat(proxy.stats().connectionsOpen()).isEqualTo(CONNECTIONS);
                    // the loop counts bytes just after writing them, so the last client may read them a moment earlier
                    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                        assertThat(proxy.stats().bytesUpstream()).isEqualTo(5L * CONNECTIONS);
                        assertThat(proxy.stats().bytesDownstream()).isEqualTo(5L * CONNECTIONS);
                    });
                });
            }
        } finally {
            for (Socket client : clients) {
                client.close();
            }
            echoServer.destroyForcibly().waitFor();
        }
    }

    private static byte[] message(int i) {
        return String.format("%05d", i).getBytes(StandardCharsets.US_ASCII);
    }

    private static Process startChildEchoServer() throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"), ChildEchoServer.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }

    private static int readPort(Process process) throws IOException {
        BufferedReader stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
        String line = stdout.readLine();
        if (line == null) {
            throw new IOException("the child echo server ended before printing its port");
        }
        return Integer.parseInt(line.trim());
    }
}
