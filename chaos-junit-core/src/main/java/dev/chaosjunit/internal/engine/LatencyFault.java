package dev.chaosjunit.internal.engine;

import dev.chaosjunit.FaultSpec;
import java.util.ArrayList;

/**
 * {@link dev.chaosjunit.Fault#LATENCY}: each chunk becomes ready {@code delay} after it arrived.
 * The flow keeps chunks in order, so a long response is delayed once in total, not per chunk.
 */
final class LatencyFault extends FaultBehavior {

    private final long delayNanos;

    LatencyFault(FaultSpec spec) {
        super(spec);
        this.delayNanos = spec.duration().toNanos();
    }

    @Override
    long onChunk(Flow flow, long arrivalNanos, long readyAtNanos) {
        return actsOn(flow.way) ? readyAtNanos + delayNanos : readyAtNanos;
    }

    @Override
    void onHealed(EventLoop loop, long nowNanos) {
        // release what this fault was holding back, in order, by recomputing without it
        for (Connection connection : new ArrayList<>(loop.connections())) {
            for (Flow flow : connection.flows(spec.direction())) {
                if (!connection.isClosed()) {
                    flow.reschedule(nowNanos);
                }
            }
        }
    }
}
