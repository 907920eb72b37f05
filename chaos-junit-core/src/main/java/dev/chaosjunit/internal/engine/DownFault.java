package dev.chaosjunit.internal.engine;

import dev.chaosjunit.FaultSpec;
import java.util.ArrayList;

/**
 * {@link dev.chaosjunit.Fault#DOWN}: the listening socket is closed, so connects are refused
 * rather than hanging, and open connections are closed. Healing listens on the same port again.
 */
final class DownFault extends FaultBehavior {

    DownFault(FaultSpec spec) {
        super(spec);
    }

    @Override
    void onInjected(EventLoop loop, long nowNanos) {
        loop.stopListening();
        for (Connection connection : new ArrayList<>(loop.connections())) {
            connection.close("closed by DOWN");
        }
    }

    @Override
    void onHealed(EventLoop loop, long nowNanos) {
        loop.listenUnlessPortKeptClosed();
    }

    @Override
    boolean keepsPortClosed() {
        return true;
    }
}
