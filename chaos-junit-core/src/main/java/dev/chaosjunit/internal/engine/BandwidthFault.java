package dev.chaosjunit.internal.engine;

import dev.chaosjunit.FaultSpec;

/**
 * {@link dev.chaosjunit.Fault#BANDWIDTH}: pacing per connection and direction. Each piece is ready
 * when the previous one has "finished transmitting" at the rate, plus its own transmission time; a
 * read is cut into pieces of about 100 ms worth so the receiver sees a steady trickle. Rate 0
 * holds everything until the fault is removed, when the held chunks are rescheduled without it.
 */
final class BandwidthFault extends FaultBehavior {

    /** Pieces are about this long at the rate. */
    private static final long PIECE_NANOS = 100_000_000L;

    private final long bytesPerSecond;

    BandwidthFault(FaultSpec spec) {
        super(spec);
        long kb = spec.rateKbPerSecond();
        this.bytesPerSecond = kb > Long.MAX_VALUE / 1000 ? Long.MAX_VALUE : kb * 1000; // huge rates saturate
    }

    @Override
    int pieceLength(Flow flow, int remaining) {
        if (bytesPerSecond == 0 || !affects(flow)) {
            return remaining;
        }
        long perPiece = Math.max(1, bytesPerSecond / (1_000_000_000L / PIECE_NANOS));
        return (int) Math.min(remaining, perPiece);
    }

    @Override
    long onChunk(Flow flow, Chunk chunk, long readyAtNanos) {
        if (!affects(flow)) {
            return readyAtNanos;
        }
        if (bytesPerSecond == 0) {
            return readyAtNanos + HOLD_NANOS;
        }
        FlowState state = state(flow);
        long start = state.paced && state.lastReadyAtNanos - readyAtNanos > 0 ? state.lastReadyAtNanos : readyAtNanos;
        long transmitNanos = (long) (chunk.length() * 1_000_000_000.0 / bytesPerSecond);
        long readyAt = start + transmitNanos;
        state.lastReadyAtNanos = readyAt;
        state.paced = true;
        return readyAt;
    }

    @Override
    void beforeReschedule(Flow flow, long nowNanos) {
        if (affects(flow)) {
            // held chunks are paced again from now, not on top of the pacing they already had
            FlowState state = state(flow);
            state.lastReadyAtNanos = nowNanos;
            state.paced = true;
        }
    }

    @Override
    void onHealed(EventLoop loop, long nowNanos) {
        forgetStates();
        rescheduleAll(loop, spec.direction(), nowNanos);
    }
}
