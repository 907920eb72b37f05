package dev.chaosjunit.internal.engine;

import dev.chaosjunit.Direction;
import dev.chaosjunit.FaultSpec;
import java.util.ArrayList;

/**
 * What one active fault does, as hooks the event loop calls at the points where a fault can act.
 * Every kind of fault is one small subclass; the loop knows none of them by name. Hooks run on
 * the loop thread, so they may change connections directly and use {@link EventLoop#timers()}.
 *
 * <p>Composition: the loop passes each chunk through every active fault in injection order,
 * each one getting the ready time the previous ones computed, so delays add up and any fault may drop.
 */
abstract class FaultBehavior {

    /** Returned by {@link #onChunk} to discard the chunk. */
    static final long DROP = Long.MIN_VALUE;

    final FaultSpec spec;

    FaultBehavior(FaultSpec spec) {
        this.spec = spec;
    }

    /** The one place that maps the public fault kinds to behaviours. */
    static FaultBehavior of(FaultSpec spec, EventLoop loop) {
        return switch (spec.fault()) {
            case LATENCY -> new LatencyFault(spec);
            case DOWN -> new DownFault(spec);
            case TIMEOUT -> new TimeoutFault(spec, loop);
            case RESET_PEER -> new ResetPeerFault(spec, loop);
        };
    }

    /** The fault starts; by default it reaches every open connection now. */
    void onInjected(EventLoop loop, long nowNanos) {
        for (Connection connection : new ArrayList<>(loop.connections())) {
            if (!connection.isClosed()) {
                onConnectionReached(connection, nowNanos);
            }
        }
    }

    /** The fault reaches {@code connection}: a live one when the fault starts, a new one when accepted. */
    void onConnectionReached(Connection connection, long reachedAtNanos) {
    }

    /**
     * A chunk read at {@code arrivalNanos} on {@code flow}; returns when it may be written, given
     * that earlier faults said {@code readyAtNanos}, or {@link #DROP}.
     */
    long onChunk(Flow flow, long arrivalNanos, long readyAtNanos) {
        return readyAtNanos;
    }

    /** {@code connection} closed, for whatever reason; forget it. */
    void onConnectionClosed(Connection connection) {
    }

    /** The fault was removed; it is no longer in the loop's list when this runs. */
    void onHealed(EventLoop loop, long nowNanos) {
    }

    /** Whether the listening port must stay closed while this fault is active. */
    boolean keepsPortClosed() {
        return false;
    }

    /** Whether this fault acts on bytes going {@code way}. */
    final boolean actsOn(Direction way) {
        return spec.direction() != null && spec.direction().overlaps(way);
    }

    @Override
    public String toString() {
        return spec.toString();
    }
}
