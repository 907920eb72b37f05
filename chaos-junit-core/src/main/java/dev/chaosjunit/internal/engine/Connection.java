package dev.chaosjunit.internal.engine;

import dev.chaosjunit.Direction;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Iterator;
import java.util.List;

/**
 * A client connection and its connection to the dependency, with one {@link Flow} each way.
 * Loop thread only: faults, timers and I/O all change it from the event loop.
 */
final class Connection {

    final EventLoop loop;
    final long id;
    final long acceptedAtNanos;
    final Endpoint client;
    final Endpoint upstream;
    /** Client to dependency. */
    final Flow upstreamFlow;
    /** Dependency to client. */
    final Flow downstreamFlow;

    private Iterator<InetSocketAddress> untriedAddresses;
    private IOException lastConnectFailure;
    private boolean upstreamConnected;
    private boolean closed;

    Connection(EventLoop loop, long id, long acceptedAtNanos) {
        this.loop = loop;
        this.id = id;
        this.acceptedAtNanos = acceptedAtNanos;
        this.client = new Endpoint(this);
        this.upstream = new Endpoint(this);
        this.upstreamFlow = new Flow(this, Direction.UPSTREAM, client, upstream);
        this.downstreamFlow = new Flow(this, Direction.DOWNSTREAM, upstream, client);
        client.inbound = upstreamFlow;
        client.outbound = downstreamFlow;
        upstream.inbound = downstreamFlow;
        upstream.outbound = upstreamFlow;
    }

    /**
     * Starts connecting to the dependency. The client is not read until that succeeds; its bytes
     * wait in the kernel meanwhile. Each address is tried in turn, so a name such as
     * {@code localhost} works whichever address family the dependency listens on.
     */
    void open(SocketChannel clientSocket, List<InetSocketAddress> upstreamAddresses) throws IOException {
        client.attach(clientSocket, loop.selector(), 0);
        untriedAddresses = upstreamAddresses.iterator();
        connectToNextAddress();
    }

    private void connectToNextAddress() {
        while (untriedAddresses.hasNext()) {
            InetSocketAddress address = untriedAddresses.next();
            SocketChannel socket = null;
            try {
                socket = SocketChannel.open();
                upstream.attach(socket, loop.selector(), SelectionKey.OP_CONNECT);
                if (socket.connect(address)) {
                    onUpstreamConnected();
                }
                return;
            } catch (IOException e) {
                lastConnectFailure = e;
                upstream.close(false);
                closeQuietly(socket);
            }
        }
        close("dependency unreachable: " + (lastConnectFailure == null ? "no address" : lastConnectFailure.getMessage()));
    }

    private void onUpstreamConnected() {
        upstreamConnected = true;
        untriedAddresses = null;
        lastConnectFailure = null;
        updateInterest();
    }

    boolean isClosed() {
        return closed;
    }

    /** The flows acting in {@code direction}: one of them or both. */
    List<Flow> flows(Direction direction) {
        if (direction == Direction.UPSTREAM) {
            return List.of(upstreamFlow);
        }
        if (direction == Direction.DOWNSTREAM) {
            return List.of(downstreamFlow);
        }
        return List.of(upstreamFlow, downstreamFlow);
    }

    /** Handles readiness of one of this connection's sockets. */
    void onReady(Endpoint endpoint, int readyOps, long nowNanos) {
        if (closed) {
            return;
        }
        try {
            if ((readyOps & SelectionKey.OP_CONNECT) != 0) {
                finishConnect();
                return;
            }
            if ((readyOps & SelectionKey.OP_WRITE) != 0) {
                endpoint.outbound.flush(nowNanos);
            }
            if ((readyOps & SelectionKey.OP_READ) != 0 && endpoint.inbound.wantsToRead()) {
                endpoint.inbound.readOnce(loop.readBuffer(), nowNanos);
                endpoint.inbound.flush(nowNanos);
            }
        } catch (IOException e) {
            abort(e);
            return;
        }
        afterIo();
    }

    private void finishConnect() {
        try {
            if (upstream.channel().finishConnect()) {
                onUpstreamConnected();
            }
        } catch (IOException e) {
            lastConnectFailure = e;
            upstream.close(false);
            connectToNextAddress();
        }
    }

    /** Flushes {@code flow} outside of a readiness event: a release timer fired or a fault changed. */
    void flushLater(Flow flow) {
        if (closed || !upstreamConnected) {
            return;
        }
        try {
            flow.flush(System.nanoTime());
        } catch (IOException e) {
            abort(e);
            return;
        }
        afterIo();
    }

    private void afterIo() {
        if (closed) {
            return;
        }
        if (upstreamFlow.isFinished() && downstreamFlow.isFinished()) {
            close("both sides closed");
            return;
        }
        updateInterest();
    }

    private void updateInterest() {
        if (!upstreamConnected) {
            return;
        }
        client.interestOps((upstreamFlow.wantsToRead() ? SelectionKey.OP_READ : 0)
                | (downstreamFlow.isWaitingForWritable() ? SelectionKey.OP_WRITE : 0));
        upstream.interestOps((downstreamFlow.wantsToRead() ? SelectionKey.OP_READ : 0)
                | (upstreamFlow.isWaitingForWritable() ? SelectionKey.OP_WRITE : 0));
    }

    /** A peer reset or vanished: pass the abrupt end on, like a direct connection would. */
    private void abort(IOException cause) {
        terminate(true, true, "aborted: " + cause.getMessage());
    }

    /** Closes both sockets normally (FIN); bytes still held by the proxy are lost. Idempotent. */
    void close(String reason) {
        terminate(false, false, reason);
    }

    /** Closes the sockets, resetting (RST) the client's and/or the dependency's. Idempotent. */
    void reset(boolean resetClient, boolean resetUpstream, String reason) {
        terminate(resetClient, resetUpstream, reason);
    }

    private void terminate(boolean resetClient, boolean resetUpstream, String reason) {
        if (closed) {
            return;
        }
        closed = true;
        upstreamFlow.cancelTimers();
        downstreamFlow.cancelTimers();
        client.close(resetClient);
        upstream.close(resetUpstream);
        loop.connectionClosed(this, reason);
    }

    private static void closeQuietly(SocketChannel socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // discarding a failed attempt
            }
        }
    }

    @Override
    public String toString() {
        return "connection #" + id;
    }
}
