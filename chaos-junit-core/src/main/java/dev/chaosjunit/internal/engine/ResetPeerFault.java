package dev.chaosjunit.internal.engine;

import dev.chaosjunit.FaultSpec;
import java.util.HashMap;
import java.util.Map;

/**
 * {@link dev.chaosjunit.Fault#RESET_PEER}: each connection is reset with a TCP RST
 * {@code duration} after the fault reached it. The direction says whose socket is reset: the
 * client's (downstream), the dependency's (upstream) or both; the other one is closed normally.
 */
final class ResetPeerFault extends FaultBehavior {

    private final long resetAfterNanos;
    /** Pending resets, cancelled when the fault is healed first. */
    private final Map<Connection, TimerQueue.Timer> pending = new HashMap<>();
    private final EventLoop loop;

    ResetPeerFault(FaultSpec spec, EventLoop loop) {
        super(spec);
        this.loop = loop;
        this.resetAfterNanos = spec.duration().toNanos();
    }

    @Override
    void onConnectionReached(Connection connection, long reachedAtNanos) {
        if (!chosen(connection, spec.direction())) {
            return;
        }
        boolean resetClient = spec.direction().includesDownstream();
        boolean resetUpstream = spec.direction().includesUpstream();
        pending.put(connection, loop.timers().schedule(reachedAtNanos + resetAfterNanos,
                () -> connection.reset(resetClient, resetUpstream, "reset by " + spec)));
    }

    @Override
    void onConnectionClosed(Connection connection) {
        super.onConnectionClosed(connection);
        TimerQueue.Timer reset = pending.remove(connection);
        if (reset != null) {
            reset.cancel();
        }
    }

    @Override
    void onHealed(EventLoop loop, long nowNanos) {
        pending.values().forEach(TimerQueue.Timer::cancel);
        pending.clear();
    }
}
