package dev.chaosjunit.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.chaosjunit.ActiveFault;
import dev.chaosjunit.ChaosProxy;
import dev.chaosjunit.FaultSchedule;
import dev.chaosjunit.FaultSpec;
import dev.chaosjunit.ScheduledFault;
import dev.chaosjunit.TrafficStats;
import dev.chaosjunit.internal.engine.TcpChaosProxy;
import dev.chaosjunit.internal.report.ProxyTraffic;
import dev.chaosjunit.spi.ResolvedTarget;

/**
 * The proxy a test sees: the engine's proxy (or a {@link SharedProxies shared} one), plus a
 * record of the faults injected and the schedules started through it, so the extension can heal
 * and cancel what a test left behind.
 *
 * <p>The proxy belongs to the extension, which releases it at the end of its scope through
 * {@link Release}. {@link #close()} here only heals, so a test that closes its proxy by habit
 * does not break the tests after it.
 */
final class ManagedProxy implements ChaosProxy {

    private final ChaosProxy delegate;
    private final boolean shared;
    private final ResolvedTarget target;
    private final List<ActiveFault> injected = new CopyOnWriteArrayList<>();
    private final FaultScheduler.Running schedules = new FaultScheduler.Running();
    private final ProxyTraffic traffic;

    private ManagedProxy(ChaosProxy delegate, boolean shared, ResolvedTarget target, ProxyTraffic traffic) {
        this.delegate = delegate;
        this.shared = shared;
        this.target = target;
        this.traffic = traffic;
    }

    /** The shared proxy for {@code target} if there is one, otherwise a new one. */
    static ManagedProxy open(ResolvedTarget target) {
        return SharedProxies.find(target.host(), target.port())
                .map(proxy -> new ManagedProxy(proxy, true, target, SharedProxies.traffic(target.host(), target.port())
                        .orElseGet(ProxyTraffic::notListening)))
                .orElseGet(() -> {
                    ProxyTraffic traffic = ProxyTraffic.listening();
                    return new ManagedProxy(TcpChaosProxy.start(target.host(), target.port(), traffic), false, target,
                            traffic);
                });
    }

    /** Where this proxy's traffic and faults are recorded for the running tests' timelines. */
    ProxyTraffic traffic() {
        return traffic;
    }

    ResolvedTarget target() {
        return target;
    }

    boolean isShared() {
        return shared;
    }

    /**
     * Heals what the extension is responsible for: on its own proxy every fault, on a shared
     * proxy only the faults injected through this view. First cancels the schedules started
     * through this view, so none injects again afterwards; a schedule that had stopped because
     * an occurrence failed is rethrown after the healing.
     */
    void healLeftovers() {
        try {
            schedules.cancelAll();
        } finally {
            healFaults();
        }
    }

    private void healFaults() {
        if (shared) {
            List<ActiveFault> faults = new ArrayList<>(injected);
            injected.clear();
            for (int i = faults.size() - 1; i >= 0; i--) {
                faults.get(i).close();
            }
        } else {
            injected.clear();
            delegate.heal();
        }
    }

    /** Ends the extension's use of the proxy: closes its own proxy, heals a shared one. */
    void release() {
        if (shared) {
            healLeftovers();
        } else {
            schedules.cancelAllQuietly();
            injected.clear();
            delegate.close();
        }
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public String host() {
        return delegate.host();
    }

    @Override
    public int port() {
        return delegate.port();
    }

    @Override
    public String upstreamHost() {
        return delegate.upstreamHost();
    }

    @Override
    public int upstreamPort() {
        return delegate.upstreamPort();
    }

    @Override
    public ActiveFault inject(FaultSpec fault) {
        traffic.beforeInject(this);
        ActiveFault active = delegate.inject(fault);
        injected.removeIf(ActiveFault::isHealed);
        injected.add(active);
        traffic.faultInjected(this, active);
        return active;
    }

    /**
     * The generic schedule on this view, so each occurrence goes through {@link #inject} and
     * shows in the test's timeline; remembered, so the extension cancels it after the test.
     */
    @Override
    public ScheduledFault schedule(FaultSpec fault, FaultSchedule schedule) {
        return schedules.add(FaultScheduler.start(this, fault, schedule));
    }

    /** Starts {@code fault} on {@code schedule} counted from {@code beginNanos}, such as the start of a test body. */
    ScheduledFault schedule(FaultSpec fault, FaultSchedule schedule, long beginNanos) {
        return schedules.add(FaultScheduler.start(this, fault, schedule, beginNanos));
    }

    @Override
    public List<ScheduledFault> schedules() {
        return schedules.list();
    }

    @Override
    public List<ActiveFault> activeFaults() {
        return delegate.activeFaults();
    }

    @Override
    public void heal() {
        try {
            schedules.cancelAll();
        } finally {
            delegate.heal();
        }
    }

    @Override
    public TrafficStats stats() {
        return delegate.stats();
    }

    /** Heals the faults injected through this proxy; the extension closes the proxy itself. */
    @Override
    public void close() {
        healLeftovers();
    }

    @Override
    public String toString() {
        return "ChaosProxy " + host() + ":" + port() + " -> " + target.description();
    }

    /** The store value that releases the proxy when its scope ends. */
    static final class Release implements AutoCloseable {

        private final ManagedProxy proxy;
        private final AtomicBoolean released = new AtomicBoolean();

        Release(ManagedProxy proxy) {
            this.proxy = proxy;
        }

        ManagedProxy proxy() {
            return proxy;
        }

        @Override
        public void close() {
            if (released.compareAndSet(false, true)) {
                proxy.release();
            }
        }
    }
}
