package dev.chaosjunit.internal.engine;

import dev.chaosjunit.ActiveFault;
import dev.chaosjunit.Direction;
import dev.chaosjunit.FaultSpec;
import dev.chaosjunit.TrafficStats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The proxy's one thread. It owns every socket, connection, fault and timer; other threads
 * only enqueue commands and wait for the answer, so no connection state is ever shared (the
 * design of netcrusher's TcpCrusher). Each iteration reads at most one buffer per socket, so
 * commands are served promptly even while a peer floods.
 */
final class EventLoop implements Runnable {

    /** One read per socket per iteration at most this big; shared by all connections, copied into right-sized chunks. */
    private static final int READ_BUFFER_BYTES = 64 * 1024;
    /** Large enough for thousands of clients connecting at once; the kernel caps it at somaxconn. */
    private static final int ACCEPT_BACKLOG = 4096;
    /** Bounds the accepts per iteration so a connection storm cannot starve traffic and commands. */
    private static final int ACCEPTS_PER_ITERATION = 256;
    /** A command normally takes microseconds; this only guards against a dead loop. */
    private static final long COMMAND_TIMEOUT_SECONDS = 10;
    private static final long REBIND_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long REBIND_GIVE_UP_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final Selector selector;
    private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
    private final TimerQueue timers = new TimerQueue();
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_BYTES);
    private final Set<Connection> connections = new LinkedHashSet<>();
    private final List<ActiveFaultHandle> faults = new ArrayList<>();
    private final TrafficListener listener;
    private final String upstreamHost;
    private final int upstreamPort;
    private final InetSocketAddress listenAddress;
    private final Thread thread;

    private ServerSocketChannel server;
    private long nextConnectionId;
    private volatile boolean running = true;
    private volatile Throwable failure;

    // Written only by the loop thread; volatile so that stats() on any thread sees fresh values without locks.
    private volatile long connectionsAccepted;
    private volatile int connectionsOpen;
    private volatile long bytesUpstream;
    private volatile long bytesDownstream;
    private volatile List<ActiveFault> activeFaults = List.of();

    private EventLoop(String upstreamHost, int upstreamPort, TrafficListener listener) throws IOException {
        this.upstreamHost = upstreamHost;
        this.upstreamPort = upstreamPort;
        this.listener = listener;
        this.selector = Selector.open();
        try {
            // 127.0.0.1 explicitly: never all interfaces, and not ::1, which some clients cannot reach
            this.server = bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0));
        } catch (IOException | RuntimeException e) {
            selector.close();
            throw e;
        }
        this.listenAddress = (InetSocketAddress) server.getLocalAddress();
        this.thread = new Thread(this, "chaos-proxy-" + listenAddress.getPort());
        thread.setDaemon(true);
    }

    static EventLoop start(String upstreamHost, int upstreamPort, TrafficListener listener) {
        try {
            EventLoop loop = new EventLoop(upstreamHost, upstreamPort, listener);
            loop.thread.start();
            return loop;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a proxy to " + upstreamHost + ":" + upstreamPort, e);
        }
    }

    private ServerSocketChannel bind(InetSocketAddress address) throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open();
        try {
            // so that healing DOWN can listen on the same port while old connections linger in TIME_WAIT
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(address, ACCEPT_BACKLOG);
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_ACCEPT);
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    int listenPort() {
        return listenAddress.getPort();
    }

    // ---- called from any thread -------------------------------------------------------------

    /** Runs {@code command} on the loop and returns its result; throws IllegalStateException once the loop has stopped. */
    <T> T execute(Supplier<T> command) {
        if (Thread.currentThread() == thread) {
            return command.get();
        }
        if (!running) {
            throw new IllegalStateException("the proxy on port " + listenPort() + " is closed");
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        commands.add(() -> {
            if (!running) {
                // queued while the loop was stopping: refuse rather than act on closed sockets
                result.completeExceptionally(new IllegalStateException("the proxy on port " + listenPort() + " is closed"));
                return;
            }
            try {
                result.complete(command.get());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        selector.wakeup();
        long giveUpAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(COMMAND_TIMEOUT_SECONDS);
        while (true) {
            try {
                return result.get(20, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the proxy on port " + listenPort(), e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException) {
                    throw (RuntimeException) cause;
                }
                if (cause instanceof Error) {
                    throw (Error) cause;
                }
                throw new IllegalStateException(cause);
            } catch (TimeoutException e) {
                if (!thread.isAlive()) {
                    answerOrphanedCommands(); // the loop ended after our command was queued
                } else if (System.nanoTime() - giveUpAt > 0) {
                    throw new IllegalStateException("the proxy on port " + listenPort() + " did not answer within "
                            + COMMAND_TIMEOUT_SECONDS + " s" + (failure == null ? "" : "; its loop failed: " + failure), e);
                }
            }
        }
    }

    private void answerOrphanedCommands() {
        Runnable orphan;
        while ((orphan = commands.poll()) != null) {
            orphan.run(); // running is false by now, so each one just fails its caller
        }
    }

    /** Stops the loop, closing every socket, and waits (bounded) for the thread to end. */
    void shutdown() {
        if (Thread.currentThread() == thread) {
            running = false;
            return;
        }
        if (running) {
            try {
                execute(() -> {
                    running = false;
                    return null;
                });
            } catch (IllegalStateException alreadyStopped) {
                // stopped by a concurrent close, or failed: either way the thread is ending
            }
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(COMMAND_TIMEOUT_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    TrafficStats stats() {
        return new TrafficStats(connectionsAccepted, connectionsOpen, bytesUpstream, bytesDownstream);
    }

    List<ActiveFault> activeFaults() {
        return activeFaults;
    }

    ActiveFaultHandle inject(TcpChaosProxy proxy, FaultSpec spec) {
        return execute(() -> {
            ActiveFaultHandle handle = new ActiveFaultHandle(proxy, FaultBehavior.of(spec, this));
            long now = System.nanoTime();
            handle.markStarted(now);
            faults.add(handle);
            try {
                handle.behavior.onInjected(this, now);
            } catch (RuntimeException e) {
                // a fault that could not start must not linger half-applied
                faults.remove(handle);
                handle.markHealed(System.nanoTime());
                throw e;
            }
            publishFaults();
            return handle;
        });
    }

    void heal(ActiveFaultHandle handle) {
        execute(() -> {
            remove(handle, System.nanoTime());
            return null;
        });
    }

    void healAll() {
        execute(() -> {
            long now = System.nanoTime();
            for (ActiveFaultHandle handle : new ArrayList<>(faults)) {
                remove(handle, now);
            }
            return null;
        });
    }

    // ---- loop thread only -------------------------------------------------------------------

    @Override
    public void run() {
        try {
            while (running) {
                long timeoutMillis = timers.selectTimeoutMillis(System.nanoTime());
                if (timeoutMillis < 0) {
                    selector.selectNow();
                } else {
                    selector.select(timeoutMillis);
                }
                runCommands();
                if (!running) {
                    break;
                }
                handleReadyKeys(System.nanoTime());
                timers.runDue(System.nanoTime());
            }
        } catch (Throwable t) {
            failure = t;
        } finally {
            running = false;
            closeEverything();
        }
    }

    private void runCommands() {
        Runnable command;
        while ((command = commands.poll()) != null) {
            command.run();
        }
    }

    private void handleReadyKeys(long nowNanos) {
        Iterator<SelectionKey> ready = selector.selectedKeys().iterator();
        while (ready.hasNext()) {
            SelectionKey key = ready.next();
            ready.remove();
            if (!key.isValid()) {
                continue;
            }
            if (key.channel() instanceof ServerSocketChannel) {
                acceptNewConnections((ServerSocketChannel) key.channel(), nowNanos);
            } else {
                Endpoint endpoint = (Endpoint) key.attachment();
                try {
                    endpoint.connection.onReady(endpoint, key.readyOps(), nowNanos);
                } catch (RuntimeException e) {
                    // a bug or a misbehaving listener must cost one connection, not the whole proxy
                    endpoint.connection.reset(true, true, "internal error: " + e);
                }
            }
        }
    }

    private void acceptNewConnections(ServerSocketChannel listening, long nowNanos) {
        for (int i = 0; i < ACCEPTS_PER_ITERATION; i++) {
            SocketChannel socket;
            try {
                socket = listening.accept();
            } catch (IOException e) {
                return; // e.g. out of file descriptors: the client waits in the backlog, try next iteration
            }
            if (socket == null) {
                return;
            }
            Connection connection = new Connection(this, ++nextConnectionId, nowNanos);
            connections.add(connection);
            connectionsAccepted++;
            connectionsOpen++;
            notifyListener(() -> listener.connectionOpened(connection.id, nowNanos));
            try {
                connection.open(socket, upstreamAddresses());
            } catch (IOException e) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // nothing more to do for a connection we could not set up
                }
                connection.close("cannot set up: " + e.getMessage());
            }
            for (ActiveFaultHandle fault : new ArrayList<>(faults)) {
                if (!connection.isClosed()) {
                    fault.behavior.onConnectionReached(connection, nowNanos);
                }
            }
        }
    }

    /**
     * Every address of the dependency's host, in the resolver's order. {@code localhost} also gets
     * both loopback addresses, since many systems map it to only one of them while a dependency
     * may listen on only the other.
     */
    private List<InetSocketAddress> upstreamAddresses() throws UnknownHostException {
        Set<InetAddress> addresses = new LinkedHashSet<>(List.of(InetAddress.getAllByName(upstreamHost)));
        if ("localhost".equalsIgnoreCase(upstreamHost)) {
            addresses.add(InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1}));
            byte[] ipv6Loopback = new byte[16];
            ipv6Loopback[15] = 1;
            addresses.add(InetAddress.getByAddress("localhost", ipv6Loopback));
        }
        List<InetSocketAddress> result = new ArrayList<>(addresses.size());
        for (InetAddress address : addresses) {
            result.add(new InetSocketAddress(address, upstreamPort));
        }
        return result;
    }

    private void remove(ActiveFaultHandle handle, long nowNanos) {
        if (!faults.remove(handle)) {
            return;
        }
        publishFaults();
        handle.behavior.onHealed(this, nowNanos);
        handle.markHealed(nowNanos);
    }

    private void publishFaults() {
        activeFaults = List.copyOf(faults);
    }

    /** The next piece of what was just read on {@code flow}: the smallest any active fault asks for. */
    int pieceLength(Flow flow, int remaining) {
        int piece = remaining;
        for (ActiveFaultHandle fault : faults) {
            piece = Math.max(1, Math.min(piece, fault.behavior.pieceLength(flow, piece)));
        }
        return piece;
    }

    /**
     * Combines every active fault's verdict on a chunk: its ready time, or {@link FaultBehavior#DROP}.
     * {@code again} when a held chunk is rescheduled because a fault was removed.
     */
    long readyAtNanos(Flow flow, Chunk chunk, boolean again) {
        long readyAt = chunk.arrivalNanos;
        for (ActiveFaultHandle fault : faults) {
            readyAt = again ? fault.behavior.onRescheduled(flow, chunk, readyAt) : fault.behavior.onChunk(flow, chunk, readyAt);
            if (readyAt == FaultBehavior.DROP) {
                return FaultBehavior.DROP;
            }
        }
        return readyAt;
    }

    void beforeReschedule(Flow flow, long nowNanos) {
        for (ActiveFaultHandle fault : faults) {
            fault.behavior.beforeReschedule(flow, nowNanos);
        }
    }

    void delivered(Flow flow, int byteCount, long nowNanos) {
        if (flow.way == Direction.UPSTREAM) {
            bytesUpstream += byteCount;
        } else {
            bytesDownstream += byteCount;
        }
        if (listener != TrafficListener.NONE) { // the hot path: no lambda unless someone listens
            notifyListener(() -> listener.bytesDelivered(flow.connection.id, flow.way, byteCount, nowNanos));
        }
    }

    void dropped(Flow flow, int byteCount, long nowNanos) {
        if (byteCount > 0) {
            notifyListener(() -> listener.bytesDropped(flow.connection.id, flow.way, byteCount, nowNanos));
        }
    }

    void connectionClosed(Connection connection, String reason) {
        if (connections.remove(connection)) {
            connectionsOpen--;
        }
        for (ActiveFaultHandle fault : faults) {
            fault.behavior.onConnectionClosed(connection);
        }
        long now = System.nanoTime();
        notifyListener(() -> listener.connectionClosed(connection.id, reason, now));
    }

    private void notifyListener(Runnable notification) {
        try {
            notification.run();
        } catch (RuntimeException e) {
            // a failing timeline must not break the traffic it observes
        }
    }

    /** Closes the listening socket so that connects are refused, and makes sure the OS has really let go of it. */
    void stopListening() {
        if (server == null) {
            return;
        }
        try {
            server.keyFor(selector).cancel();
            server.close();
            // a closed channel still registered with a selector keeps listening until the selector runs again
            selector.selectNow();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop listening on port " + listenPort(), e);
        } finally {
            server = null;
        }
    }

    /** Listens on the original port again unless another fault wants it closed; retries briefly if the OS is slow to release it. */
    void listenUnlessPortKeptClosed() {
        tryToListen(System.nanoTime() + REBIND_GIVE_UP_NANOS);
    }

    private void tryToListen(long giveUpAtNanos) {
        if (server != null || !running || faults.stream().anyMatch(f -> f.behavior.keepsPortClosed())) {
            return;
        }
        try {
            server = bind(listenAddress);
        } catch (BindException e) {
            long now = System.nanoTime();
            if (now - giveUpAtNanos < 0) {
                timers.schedule(now + REBIND_RETRY_NANOS, () -> tryToListen(giveUpAtNanos));
            } else {
                failure = e;
            }
        } catch (IOException e) {
            failure = e;
        }
    }

    Selector selector() {
        return selector;
    }

    ByteBuffer readBuffer() {
        return readBuffer;
    }

    TimerQueue timers() {
        return timers;
    }

    Set<Connection> connections() {
        return connections;
    }

    private void closeEverything() {
        long now = System.nanoTime();
        for (ActiveFaultHandle fault : faults) {
            fault.markHealed(now);
        }
        faults.clear();
        publishFaults();
        for (Connection connection : new ArrayList<>(connections)) {
            connection.close("proxy closed");
        }
        timers.clear();
        try {
            if (server != null) {
                server.close();
            }
            // closing the selector deregisters every channel, which really releases their sockets and the port
            selector.close();
        } catch (IOException ignored) {
            // the loop is ending; nothing can be done about a failed close
        }
        answerOrphanedCommands();
    }
}
