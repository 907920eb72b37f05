package dev.chaosjunit.internal.engine;

import dev.chaosjunit.FaultSpec;

/**
 * {@link dev.chaosjunit.Fault#LOSS}: the application's view of TCP packet loss. TCP hides loss by
 * retransmitting, so the stream stays complete and in order; what the application sees is a stall.
 * Each data chunk is "lost" with probability {@code fraction}; a lost chunk is ready one
 * retransmission timeout later (200 ms, Linux's minimum), and each retransmission is lost again
 * with the same probability, doubling the timeout (exponential backoff), at most
 * {@value #MAX_RETRANSMISSIONS} times. The flow's ordering makes later chunks wait behind a stalled
 * one, like head-of-line blocking.
 */
final class LossFault extends FaultBehavior {

    static final long FIRST_TIMEOUT_NANOS = 200_000_000L;
    static final int MAX_RETRANSMISSIONS = 6;

    private final double fraction;

    LossFault(FaultSpec spec) {
        super(spec);
        this.fraction = spec.fraction();
    }

    @Override
    long onChunk(Flow flow, Chunk chunk, long readyAtNanos) {
        if (fraction == 0 || chunk.isEndOfStream() || !affects(flow)) {
            return readyAtNanos;
        }
        FlowState state = state(flow);
        long stall = 0;
        long timeout = FIRST_TIMEOUT_NANOS;
        for (int i = 0; i < MAX_RETRANSMISSIONS && state.random.nextDouble() < fraction; i++) {
            stall += timeout;
            timeout *= 2;
        }
        return readyAtNanos + stall;
    }

    @Override
    long onRescheduled(Flow flow, Chunk chunk, long readyAtNanos) {
        return readyAtNanos; // a loss is drawn once, on arrival; rescheduling releases
    }

    @Override
    void onHealed(EventLoop loop, long nowNanos) {
        rescheduleAll(loop, spec.direction(), nowNanos);
    }
}
