package dev.chaosjunit.internal.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A blocking server with a thread per connection, standing in for the dependency behind the proxy. */
final class TestServer implements AutoCloseable {

    /** What the server does with each accepted socket; the socket is closed afterwards. */
    interface Handler {
        void handle(Socket socket) throws Exception;
    }

    private final ServerSocket serverSocket;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    private TestServer(ServerSocket boundSocket, Handler handler) {
        serverSocket = boundSocket;
        acceptor = new Thread(() -> acceptLoop(handler), "test-server-" + serverSocket.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static TestServer start(Handler handler) {
        return start(InetAddress.getLoopbackAddress(), handler);
    }

    static TestServer start(InetAddress bindAddress, Handler handler) {
        try {
            ServerSocket serverSocket = new ServerSocket();
            serverSocket.bind(new InetSocketAddress(bindAddress, 0), 200);
            return new TestServer(serverSocket, handler);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Serves on an already bound socket, such as a TLS server socket. */
    static TestServer start(ServerSocket boundSocket, Handler handler) {
        return new TestServer(boundSocket, handler);
    }

    /** Echoes every byte; when the client half-closes, finishes echoing and half-closes too. */
    static TestServer echo() {
        return start(TestServer::echo);
    }

    static void echo(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        byte[] buffer = new byte[64 * 1024];
        int count;
        while ((count = in.read(buffer)) > 0) {
            out.write(buffer, 0, count);
        }
        socket.shutdownOutput();
    }

    int port() {
        return serverSocket.getLocalPort();
    }

    private void acceptLoop(Handler handler) {
        while (!serverSocket.isClosed()) {
            Socket socket;
            try {
                socket = serverSocket.accept();
            } catch (IOException e) {
                return;
            }
            sockets.add(socket);
            Thread worker = new Thread(() -> {
                try (socket) {
                    handler.handle(socket);
                } catch (SocketException e) {
                    // the proxy or the test closed or reset the connection: expected in fault tests
                } catch (Exception e) {
                    e.printStackTrace();
                }
            }, "test-server-connection");
            worker.setDaemon(true);
            worker.start();
        }
    }

    @Override
    public void close() throws IOException {
        serverSocket.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
