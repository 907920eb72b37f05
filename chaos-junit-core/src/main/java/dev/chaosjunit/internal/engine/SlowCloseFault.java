package dev.chaosjunit.internal.engine;

import dev.chaosjunit.FaultSpec;

/**
 * {@link dev.chaosjunit.Fault#SLOW_CLOSE}: the end of the stream (the FIN) is ready {@code delay}
 * late; data passes as it would. Healing releases a held end at once.
 */
final class SlowCloseFault extends FaultBehavior {

    private final long delayNanos;

    SlowCloseFault(FaultSpec spec) {
        super(spec);
        this.delayNanos = spec.duration().toNanos();
    }

    @Override
    long onChunk(Flow flow, Chunk chunk, long readyAtNanos) {
        return chunk.isEndOfStream() && affects(flow) ? readyAtNanos + delayNanos : readyAtNanos;
    }

    @Override
    void onHealed(EventLoop loop, long nowNanos) {
        rescheduleAll(loop, spec.direction(), nowNanos);
    }
}
