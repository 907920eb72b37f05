package dev.chaosjunit.internal.engine;

import dev.chaosjunit.FaultSpec;

/**
 * {@link dev.chaosjunit.Fault#SLICER}: what is read is cut into pieces of average &plusmn; variation
 * bytes (uniform, from the seed), each ready {@code delay} after the one before it, as Toxiproxy's
 * slicer writes a piece and then sleeps. Pieces are never merged; bytes are never lost.
 */
final class SlicerFault extends FaultBehavior {

    private final int average;
    private final int variation;
    private final long delayNanos;

    SlicerFault(FaultSpec spec) {
        super(spec);
        this.average = spec.averageSize();
        this.variation = spec.sizeVariation();
        this.delayNanos = spec.duration().toNanos();
    }

    @Override
    int pieceLength(Flow flow, int remaining) {
        if (!affects(flow)) {
            return remaining;
        }
        int size = variation == 0 ? average : average + state(flow).random.nextInt(-variation, variation + 1);
        return Math.min(remaining, Math.max(1, size));
    }

    @Override
    long onChunk(Flow flow, Chunk chunk, long readyAtNanos) {
        if (!affects(flow) || chunk.isEndOfStream() || delayNanos == 0) {
            return readyAtNanos;
        }
        FlowState state = state(flow);
        long readyAt = readyAtNanos;
        if (state.paced && state.lastReadyAtNanos + delayNanos - readyAt > 0) {
            readyAt = state.lastReadyAtNanos + delayNanos;
        }
        state.lastReadyAtNanos = readyAt;
        state.paced = true;
        return readyAt;
    }

    @Override
    void beforeReschedule(Flow flow, long nowNanos) {
        if (affects(flow)) {
            FlowState state = state(flow);
            state.lastReadyAtNanos = nowNanos - delayNanos;
            state.paced = true;
        }
    }

    @Override
    void onHealed(EventLoop loop, long nowNanos) {
        forgetStates();
        rescheduleAll(loop, spec.direction(), nowNanos);
    }
}
