package dev.chaosjunit.internal.engine;

import dev.chaosjunit.Direction;
import dev.chaosjunit.FaultSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;

/**
 * {@link dev.chaosjunit.Fault#TIMEOUT}: bytes in the fault's direction are dropped, the
 * connection stays open until {@code duration} after the fault reached it (zero: until healed).
 * Healing closes the connections it held, because their streams have lost bytes and must not
 * be mistaken for healthy ones.
 *
 * <p>Also {@link dev.chaosjunit.Fault#ACCEPT_AND_HANG}: the same, both ways, held until healed.
 */
final class TimeoutFault extends FaultBehavior {

    private final long closeAfterNanos;
    /** Connections this fault has reached, with their close timer (null when held forever). */
    private final Map<Connection, TimerQueue.Timer> held = new HashMap<>();
    private final EventLoop loop;
    private final Direction direction;

    TimeoutFault(FaultSpec spec, EventLoop loop, Direction direction, long closeAfterNanos) {
        super(spec);
        this.loop = loop;
        this.direction = direction;
        this.closeAfterNanos = closeAfterNanos;
    }

    @Override
    void onConnectionReached(Connection connection, long reachedAtNanos) {
        if (!chosen(connection, direction)) {
            return;
        }
        for (Flow flow : connection.flows(direction)) {
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
    long onChunk(Flow flow, Chunk chunk, long readyAtNanos) {
        return direction.overlaps(flow.way) && held.containsKey(flow.connection) ? DROP : readyAtNanos;
    }

    @Override
    void onConnectionClosed(Connection connection) {
        super.onConnectionClosed(connection);
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
