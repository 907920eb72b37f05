package dev.chaosjunit.internal.engine;

import dev.chaosjunit.ActiveFault;
import dev.chaosjunit.ChaosProxy;
import dev.chaosjunit.FaultSchedule;
import dev.chaosjunit.FaultSpec;
import dev.chaosjunit.ScheduledFault;
import dev.chaosjunit.TrafficStats;
import dev.chaosjunit.internal.FaultScheduler;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The embedded TCP proxy: a listening socket on 127.0.0.1 and an {@link EventLoop} that forwards
 * every accepted connection to one dependency and applies the active faults. This class is the
 * thread-safe front; each call becomes a command on the loop, answered in microseconds.
 */
public final class TcpChaosProxy implements ChaosProxy {

    private static final String LISTEN_HOST = "127.0.0.1";

    private final String upstreamHost;
    private final int upstreamPort;
    private final EventLoop loop;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final FaultScheduler.Running schedules = new FaultScheduler.Running();

    private TcpChaosProxy(String upstreamHost, int upstreamPort, TrafficListener listener) {
        this.upstreamHost = upstreamHost;
        this.upstreamPort = upstreamPort;
        this.loop = EventLoop.start(upstreamHost, upstreamPort, listener);
    }

    /** Starts a proxy to {@code upstreamHost:upstreamPort}, listening on 127.0.0.1 and an ephemeral port. */
    public static ChaosProxy start(String upstreamHost, int upstreamPort) {
        return start(upstreamHost, upstreamPort, TrafficListener.NONE);
    }

    /** As {@link #start(String, int)}, reporting connections and bytes to {@code listener} (on the loop thread). */
    public static TcpChaosProxy start(String upstreamHost, int upstreamPort, TrafficListener listener) {
        Objects.requireNonNull(upstreamHost, "upstreamHost");
        Objects.requireNonNull(listener, "listener");
        if (upstreamPort < 1 || upstreamPort > 65535) {
            throw new IllegalArgumentException("upstreamPort must be between 1 and 65535, but was " + upstreamPort);
        }
        return new TcpChaosProxy(upstreamHost, upstreamPort, listener);
    }

    @Override
    public String name() {
        return upstreamHost + ":" + upstreamPort;
    }

    @Override
    public String host() {
        return LISTEN_HOST;
    }

    @Override
    public int port() {
        return loop.listenPort();
    }

    @Override
    public String upstreamHost() {
        return upstreamHost;
    }

    @Override
    public int upstreamPort() {
        return upstreamPort;
    }

    @Override
    public ActiveFault inject(FaultSpec fault) {
        Objects.requireNonNull(fault, "fault");
        if (closed.get()) {
            throw new IllegalStateException("cannot inject " + fault + ": the proxy for " + name() + " is closed");
        }
        return loop.inject(this, fault);
    }

    /** As the interface's default, remembered so that {@link #heal()} and {@link #close()} cancel it. */
    @Override
    public ScheduledFault schedule(FaultSpec fault, FaultSchedule schedule) {
        if (closed.get()) {
            throw new IllegalStateException("cannot schedule " + fault + ": the proxy for " + name() + " is closed");
        }
        ScheduledFault scheduled = schedules.add(FaultScheduler.start(this, fault, schedule));
        if (closed.get()) {
            // close() ran meanwhile and may have missed it
            schedules.cancelAllQuietly();
        }
        return scheduled;
    }

    @Override
    public List<ScheduledFault> schedules() {
        return schedules.list();
    }

    @Override
    public List<ActiveFault> activeFaults() {
        return loop.activeFaults();
    }

    /** Cancels the schedules first, so none injects again after the faults are healed. */
    @Override
    public void heal() {
        try {
            schedules.cancelAll();
        } finally {
            if (!closed.get()) {
                healQuietlyIfClosing(loop::healAll);
            }
        }
    }

    void heal(ActiveFaultHandle fault) {
        if (!closed.get()) {
            healQuietlyIfClosing(() -> loop.heal(fault));
        }
    }

    /** Healing races harmlessly with close(): close heals everything anyway. */
    private void healQuietlyIfClosing(Runnable healing) {
        try {
            healing.run();
        } catch (IllegalStateException e) {
            if (!closed.get()) {
                throw e;
            }
        }
    }

    @Override
    public TrafficStats stats() {
        return loop.stats();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            schedules.cancelAllQuietly();
            loop.shutdown();
        }
    }

    @Override
    public String toString() {
        return "ChaosProxy[" + LISTEN_HOST + ":" + port() + " -> " + name() + "]";
    }
}
