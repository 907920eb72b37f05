package dev.chaosjunit.internal.engine;

import dev.chaosjunit.FaultSpec;

/**
 * {@link dev.chaosjunit.Fault#LIMIT_DATA}: counts the bytes each flow passes from when the fault
 * reached it; the piece that reaches the limit is cut exactly there, then the flow's stream ends
 * cleanly (FIN to the receiver) and everything after is discarded.
 */
final class LimitDataFault extends FaultBehavior {

    private final long limit;

    LimitDataFault(FaultSpec spec) {
        super(spec);
        this.limit = spec.bytes();
    }

    @Override
    void onConnectionReached(Connection connection, long reachedAtNanos) {
        if (limit == 0) {
            for (Flow flow : connection.flows(spec.direction())) {
                if (affects(flow)) {
                    flow.requestEnd(reachedAtNanos);
                }
            }
        }
    }

    @Override
    int pieceLength(Flow flow, int remaining) {
        if (!affects(flow)) {
            return remaining;
        }
        long left = limit - state(flow).bytes;
        return left <= 0 ? remaining : (int) Math.min(remaining, left);
    }

    @Override
    long onChunk(Flow flow, Chunk chunk, long readyAtNanos) {
        if (!affects(flow)) {
            return readyAtNanos;
        }
        FlowState state = state(flow);
        if (state.bytes >= limit) {
            flow.requestEnd(chunk.arrivalNanos);
            return DROP;
        }
        state.bytes += chunk.length();
        if (state.bytes >= limit) {
            flow.requestEnd(chunk.arrivalNanos);
        }
        return readyAtNanos;
    }

    @Override
    long onRescheduled(Flow flow, Chunk chunk, long readyAtNanos) {
        return readyAtNanos; // counted on arrival
    }
}
