package dev.chaosjunit.internal.probe;

import java.util.List;

import dev.chaosjunit.ProbeSample;

/**
 * What a {@link ProbeLoop} recorded, at one instant. Times are {@link System#nanoTime()} values.
 *
 * @param name the probe's name
 * @param intervalNanos the time between the starts of two calls
 * @param startedAtNanos when the loop started
 * @param endNanos when the loop was stopped, or {@code takenAtNanos} while it runs
 * @param takenAtNanos when this snapshot was taken
 * @param running whether the loop still starts new calls
 * @param samples the finished calls, in start order
 * @param callOpen whether a call is running now (or was given up on as hung)
 * @param openCallStartNanos when that call started; meaningless unless {@code callOpen}
 * @param openCallNanos how long that call has been running, or ran until it was given up on
 * @param hung whether that call was given up on when the probe stopped
 * @param faults the faults of the chaos test the probe ran in, or {@code null} outside one
 * @param originNanos what times in messages count from: the test's start, else the probe's
 * @param inTest whether the probe ran in a chaos test
 */
public record ProbeSnapshot(String name, long intervalNanos, long startedAtNanos, long endNanos, long takenAtNanos,
        boolean running, List<ProbeSample> samples, boolean callOpen, long openCallStartNanos, long openCallNanos, boolean hung,
        List<FaultSpan> faults, long originNanos, boolean inTest) {

    /** A stopped probe with these samples and faults, for tests. */
    public static ProbeSnapshot of(String name, long intervalNanos, long startedAtNanos, long endNanos,
            List<ProbeSample> samples, List<FaultSpan> faults) {
        return new ProbeSnapshot(name, intervalNanos, startedAtNanos, endNanos, endNanos, false, List.copyOf(samples),
                false, 0, 0, false, faults == null ? null : List.copyOf(faults), startedAtNanos, faults != null);
    }

    /** What times in messages count from, such as {@code ms since the test started}. */
    String originText() {
        return inTest ? "ms since the test started" : "ms since the probe started";
    }
}
