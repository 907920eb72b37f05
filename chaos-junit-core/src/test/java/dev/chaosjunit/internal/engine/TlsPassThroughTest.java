package dev.chaosjunit.internal.engine;

import static dev.chaosjunit.internal.engine.Sockets.randomBytes;
import static dev.chaosjunit.internal.engine.Sockets.readExactly;
import static org.assertj.core.api.Assertions.assertThat;

import dev.chaosjunit.ChaosProxy;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** TLS is just bytes to the proxy: the handshake and the records pass through untouched. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TlsPassThroughTest {

    private static final char[] PASSWORD = "changeit".toCharArray();

    @Test
    void tlsConversation_passesThroughTheProxy(@TempDir Path dir) throws Exception {
        SSLContext tls = selfSignedContext(dir);
        SSLServerSocket serverSocket = (SSLServerSocket) tls.getServerSocketFactory().createServerSocket();
        serverSocket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
        byte[] request = randomBytes(1024 * 1024, 6);
        try (TestServer echo = TestServer.start(serverSocket, TestServer::echo);
             ChaosProxy proxy = ChaosProxy.open("127.0.0.1", echo.port());
             SSLSocket client = (SSLSocket) tls.getSocketFactory().createSocket(proxy.host(), proxy.port())) {
            client.setSoTimeout(10_000);
            client.startHandshake();
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                try {
                    client.getOutputStream().write(request);
                    client.getOutputStream().flush();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            InputStream in = client.getInputStream();

            assertThat(readExactly(in, request.length)).isEqualTo(request);
            sending.get(10, TimeUnit.SECONDS);
            assertThat(client.getSession().getProtocol()).startsWith("TLS");
        }
    }

    /** A key pair made by the JDK's keytool, trusted by the same context, so no test resources are needed. */
    private static SSLContext selfSignedContext(Path dir) throws Exception {
        Path keyStoreFile = dir.resolve("test.p12");
        String javaCommand = ProcessHandle.current().info().command().orElseThrow();
        Path keytool = Path.of(javaCommand).resolveSibling("keytool");
        Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "test", "-keyalg", "EC",
                "-dname", "CN=localhost", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", keyStoreFile.toString(), "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("keytool finished: %s", output).isTrue();
        assertThat(process.exitValue()).as("keytool: %s", output).isZero();

        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStoreFile)) {
            keyStore.load(in, PASSWORD);
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(keyStore, PASSWORD);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(keyStore);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
        return context;
    }
}
