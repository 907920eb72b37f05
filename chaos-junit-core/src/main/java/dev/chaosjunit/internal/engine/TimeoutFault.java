package dev.chaosjunit.internal.engine;

import dev.chaosjunit.FaultSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;

/**
 * {@link dev.chaosjunit.Fault#TIMEOUT}: bytes in the fault's direction are dropped, the
 * connection stays open until {@code duration} after the fault reached it (zero: until healed).
 * Healing closes the connections it held, because their streams have lost bytes and must not
 * be mistaken for healthy ones.
 */
final class TimeoutFault extends FaultBehavior {

    private final long closeAfterNanos;
    /** Connections this fault has reached, with their close timer (null when held forever). */
    private final Map<Connection, TimerQueue.Timer> held = new HashMap<>();
    private final EventLoop loop;

    TimeoutFault(FaultSpec spec, EventLoop loop) {
        super(spec);
        this.loop = loop;
        this.closeAfterNanos = spec.duration().toNanos();
    }

    @Override
    void onConnectionReached(Connection connection, long reachedAtNanos) {
        for (Flow flow : connection.flows(spec.direction())) {
            flow.discardQueued(reachedAtNanos);
        }
        TimerQueue.Timer closer = null;
        if (closeAfterNanos > 0) {
            closer = loop.timers().schedule(reachedAtNanos + closeAfterNanos,
                    () -> connection.close("closed by " + spec));
        }
        held.put(connection, closer);
    }

    @Override
    long onChunk(Flow flow, long arrivalNanos, long readyAtNanos) {
        return actsOn(flow.way) ? DROP : readyAtNanos;
    }

    @Override
    void onConnectionClosed(Connection connection) {
        TimerQueue.Timer closer = held.remove(connection);
        if (closer != null) {
            closer.cancel();
        }
    }

    @Override
    void onHealed(EventLoop loop, long nowNanos) {
        for (Connection connection : new ArrayList<>(held.keySet())) {
            connection.close("closed on healing " + spec + ": its stream lost bytes");
        }
        held.clear();
    }
}
