package dev.chaosjunit.internal.engine;

import dev.chaosjunit.ActiveFault;
import dev.chaosjunit.ChaosProxy;
import dev.chaosjunit.FaultSpec;

/**
 * The caller's handle on an injected fault. Thread-safe: the loop sets the times, any thread reads them.
 */
final class ActiveFaultHandle implements ActiveFault {

    private final TcpChaosProxy proxy;
    private final FaultSpec spec;
    /** Loop thread only. */
    final FaultBehavior behavior;
    private volatile long startedAtNanos;
    private volatile long healedAtNanos;
    private volatile boolean healed;

    ActiveFaultHandle(TcpChaosProxy proxy, FaultBehavior behavior) {
        this.proxy = proxy;
        this.spec = behavior.spec;
        this.behavior = behavior;
    }

    void markStarted(long nanos) {
        startedAtNanos = nanos;
    }

    void markHealed(long nanos) {
        healedAtNanos = nanos;
        healed = true;
    }

    @Override
    public FaultSpec spec() {
        return spec;
    }

    @Override
    public ChaosProxy proxy() {
        return proxy;
    }

    @Override
    public long startedAtNanos() {
        return startedAtNanos;
    }

    @Override
    public boolean isHealed() {
        return healed;
    }

    @Override
    public long healedAtNanos() {
        if (!healed) {
            throw new IllegalStateException(spec + " is still active");
        }
        return healedAtNanos;
    }

    @Override
    public void close() {
        if (!healed) {
            proxy.heal(this);
        }
    }

    @Override
    public String toString() {
        return spec + (healed ? " (healed)" : " (active)") + " on " + proxy.name();
    }
}
