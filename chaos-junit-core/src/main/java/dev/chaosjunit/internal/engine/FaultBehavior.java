package dev.chaosjunit.internal.engine;

import dev.chaosjunit.Direction;
import dev.chaosjunit.FaultSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * What one active fault does, as hooks the event loop calls at the points where a fault can act.
 * Every kind of fault is one small subclass; the loop knows none of them by name. Hooks run on
 * the loop thread, so they may change connections directly and use {@link EventLoop#timers()}.
 *
 * <p>Composition: the loop passes each chunk through every active fault in injection order,
 * each one getting the ready time the previous ones computed, so delays add up and any fault may
 * drop. Before that, every fault may cut what was read into smaller pieces ({@link #pieceLength});
 * pieces are never merged.
 *
 * <p>Randomness: every random choice comes from the spec's seed, mixed with the connection's number
 * and the direction, so the same connection makes the same choices on replay whatever the timing
 * of other connections.
 */
abstract class FaultBehavior {

    /** Returned by {@link #onChunk} to discard the chunk. */
    static final long DROP = Long.MIN_VALUE;

    /** A ready time offset that means "until the fault is removed" (about 100 days; fits nanoTime arithmetic). */
    static final long HOLD_NANOS = 100L * 24 * 3600 * 1_000_000_000L;

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    final FaultSpec spec;
    private final long seed;
    private final double toxicity;
    /** Per-flow state of the faults that keep some (random stream, pacing clock, counters). */
    private final Map<Flow, FlowState> states = new HashMap<>();

    /** What a fault remembers about one flow. */
    static final class FlowState {
        final SplittableRandom random;
        /** When the previous chunk or piece this fault paced became ready. */
        long lastReadyAtNanos;
        boolean paced;
        /** Bytes counted so far (LIMIT_DATA). */
        long bytes;

        FlowState(SplittableRandom random) {
            this.random = random;
        }
    }

    FaultBehavior(FaultSpec spec) {
        this.spec = spec;
        this.seed = spec.seed();
        this.toxicity = spec.toxicity();
    }

    /** The one place that maps the public fault kinds to behaviours. */
    static FaultBehavior of(FaultSpec spec, EventLoop loop) {
        return switch (spec.fault()) {
            case LATENCY -> new LatencyFault(spec);
            case DOWN -> new DownFault(spec);
            case TIMEOUT -> new TimeoutFault(spec, loop, spec.direction(), spec.duration().toNanos());
            case RESET_PEER -> new ResetPeerFault(spec, loop);
            case BANDWIDTH -> new BandwidthFault(spec);
            case SLOW_CLOSE -> new SlowCloseFault(spec);
            case SLICER -> new SlicerFault(spec);
            case LIMIT_DATA -> new LimitDataFault(spec);
            case ACCEPT_AND_CLOSE -> new AcceptAndCloseFault(spec);
            case ACCEPT_AND_HANG -> new TimeoutFault(spec, loop, Direction.BOTH, 0);
            case FLAP -> new FlapFault(spec, loop);
            case LOSS -> new LossFault(spec);
            case FAIL_FIRST -> new FailFirstFault(spec);
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
     * How many of the {@code remaining} bytes just read on {@code flow} form the next piece
     * (1 to {@code remaining}); each piece then goes through {@link #onChunk} as a chunk of its own.
     */
    int pieceLength(Flow flow, int remaining) {
        return remaining;
    }

    /**
     * A chunk (or end of stream) read on {@code flow}; returns when it may be written, given that
     * earlier faults said {@code readyAtNanos}, or {@link #DROP}.
     */
    long onChunk(Flow flow, Chunk chunk, long readyAtNanos) {
        return readyAtNanos;
    }

    /**
     * A chunk still held is given a new ready time because another fault was removed; by default as
     * on arrival. Faults that count or draw once per chunk override this so nothing is counted twice.
     */
    long onRescheduled(Flow flow, Chunk chunk, long readyAtNanos) {
        return onChunk(flow, chunk, readyAtNanos);
    }

    /** Held chunks of {@code flow} are about to be rescheduled, in order, starting {@code nowNanos}. */
    void beforeReschedule(Flow flow, long nowNanos) {
    }

    /** {@code connection} closed, for whatever reason; forget it. Overrides must call this. */
    void onConnectionClosed(Connection connection) {
        states.remove(connection.upstreamFlow);
        states.remove(connection.downstreamFlow);
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

    /** Whether this fault acts on {@code flow}: its direction, and the connection drawn by toxicity. */
    final boolean affects(Flow flow) {
        return actsOn(flow.way) && chosen(flow.connection, flow.way);
    }

    /**
     * Whether toxicity picked {@code connection} in {@code way}: decided from the seed, the connection's
     * number and the direction only, so it is the same every time it is asked and on every replay.
     */
    final boolean chosen(Connection connection, Direction way) {
        if (toxicity >= 1.0) {
            return true;
        }
        long mixed = seed ^ 0x5DEECE66DL;
        return new SplittableRandom(mixed + connection.id * GOLDEN + way.ordinal()).nextDouble() < toxicity;
    }

    /** This fault's state for {@code flow}, created on first use with a random stream of its own. */
    final FlowState state(Flow flow) {
        return states.computeIfAbsent(flow, f -> new FlowState(
                new SplittableRandom(seed + f.connection.id * GOLDEN * 2 + f.way.ordinal() * GOLDEN)));
    }

    final void forgetStates() {
        states.clear();
    }

    /** Releases what a delaying fault held: recomputes ready times of held chunks without it. */
    static void rescheduleAll(EventLoop loop, Direction direction, long nowNanos) {
        for (Connection connection : new ArrayList<>(loop.connections())) {
            for (Flow flow : connection.flows(direction)) {
                if (!connection.isClosed()) {
                    flow.reschedule(nowNanos);
                }
            }
        }
    }

    @Override
    public String toString() {
        return spec.toString();
    }
}
