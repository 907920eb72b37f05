package dev.chaosjunit.internal.engine;

import dev.chaosjunit.FaultSpec;

/**
 * {@link dev.chaosjunit.Fault#LATENCY}: each chunk becomes ready {@code delay} (&plusmn; jitter, never
 * negative) after it arrived. The flow keeps chunks in order, so a long response is delayed once in
 * total, not per chunk, and a chunk with a short draw waits for the one before it.
 */
final class LatencyFault extends FaultBehavior {

    private final long delayNanos;
    private final long jitterNanos;

    LatencyFault(FaultSpec spec) {
        super(spec);
        this.delayNanos = spec.duration().toNanos();
        this.jitterNanos = spec.jitter().toNanos();
    }

    @Override
    long onChunk(Flow flow, Chunk chunk, long readyAtNanos) {
        if (!affects(flow)) {
            return readyAtNanos;
        }
        long delay = delayNanos;
        if (jitterNanos > 0) {
            delay += state(flow).random.nextLong(-jitterNanos, jitterNanos + 1);
        }
        return readyAtNanos + Math.max(0, delay);
    }

    @Override
    void onHealed(EventLoop loop, long nowNanos) {
        rescheduleAll(loop, spec.direction(), nowNanos);
    }
}
