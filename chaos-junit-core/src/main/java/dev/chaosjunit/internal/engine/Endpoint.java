package dev.chaosjunit.internal.engine;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * One socket of a connection: the client's or the dependency's. It is the selection key's
 * attachment, so the loop knows which side became ready. Loop thread only.
 */
final class Endpoint {

    final Connection connection;
    /** The flow that reads from this socket. */
    Flow inbound;
    /** The flow that writes to this socket. */
    Flow outbound;

    private SocketChannel channel;
    private SelectionKey key;

    Endpoint(Connection connection) {
        this.connection = connection;
    }

    /** Registers {@code socket}; the upstream side may attach several in turn while trying each address. */
    void attach(SocketChannel socket, Selector selector, int interestOps) throws IOException {
        socket.configureBlocking(false);
        // a proxy must not add Nagle's delay on top of whatever the peers chose
        socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
        this.channel = socket;
        this.key = socket.register(selector, interestOps, this);
    }

    SocketChannel channel() {
        return channel;
    }

    void interestOps(int ops) {
        if (key != null && key.isValid() && key.interestOps() != ops) {
            key.interestOps(ops);
        }
    }

    /**
     * Closes the socket; {@code withReset} sends a TCP RST instead of a FIN. The OS socket is
     * released when the selector next runs, which the loop does at once.
     */
    void close(boolean withReset) {
        SocketChannel socket = channel;
        if (socket == null) {
            return;
        }
        if (key != null) {
            key.cancel();
        }
        try {
            if (withReset && socket.isOpen()) {
                socket.setOption(StandardSocketOptions.SO_LINGER, 0);
            }
        } catch (IOException | RuntimeException ignored) {
            // not connected any more: closing is all that is left to do
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing useful to do about a failed close of a socket we are discarding
        }
        channel = null;
        key = null;
    }

    boolean isOpen() {
        return channel != null;
    }
}
