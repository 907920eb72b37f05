package dev.chaosjunit.testcontainers;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import dev.chaosjunit.ChaosProxy;

/** A minimal Redis client for the tests: PING over a raw socket, no library needed. */
final class Redis {

    private Redis() {
    }

    /** Sends PING and returns the reply line ("+PONG"); throws on a refused, closed or timed-out connection. */
    static String ping(String host, int port, Duration timeout) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            int b;
            while ((b = in.read()) != -1 && b != '\r') {
                line.append((char) b);
            }
            if (b == -1) {
                throw new IOException("connection closed after '" + line + "'");
            }
            return line.toString();
        }
    }

    static String ping(ChaosProxy proxy) throws IOException {
        return ping(proxy.host(), proxy.port(), Duration.ofSeconds(5));
    }

    /** Milliseconds a PING through {@code proxy} takes. */
    static long timePing(ChaosProxy proxy) throws IOException {
        long start = System.nanoTime();
        String reply = ping(proxy);
        if (!reply.equals("+PONG")) {
            throw new IOException("unexpected reply " + reply);
        }
        return Duration.ofNanos(System.nanoTime() - start).toMillis();
    }
}
