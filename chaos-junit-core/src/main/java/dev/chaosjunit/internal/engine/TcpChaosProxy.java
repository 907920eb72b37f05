package dev.chaosjunit.internal.engine;

import dev.chaosjunit.ChaosProxy;

/** Placeholder: the embedded engine is being built. */
public final class TcpChaosProxy {

    private TcpChaosProxy() {
    }

    /** Starts a proxy; not yet implemented. */
    public static ChaosProxy start(String upstreamHost, int upstreamPort) {
        throw new UnsupportedOperationException("engine not built yet");
    }
}
