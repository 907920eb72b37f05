package dev.chaosjunit;

import java.time.Duration;

/**
 * One call of a background health probe ({@link ProbeRecording}, {@link HealthProbe}).
 *
 * @param startedAtNanos when the call started, as a {@link System#nanoTime()} value (the clock
 *        {@link ActiveFault#startedAtNanos()} uses)
 * @param latencyNanos how long the call took, in nanoseconds
 * @param succeeded whether the call returned normally
 * @param error the {@code toString()} of what the call threw (such as
 *        {@code java.net.ConnectException: Connection refused}), or {@code null} when it succeeded
 */
public record ProbeSample(long startedAtNanos, long latencyNanos, boolean succeeded, String error) {

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException if the latency is negative, or a failed call has no error
     *         or a successful one has one
     */
    public ProbeSample {
        if (latencyNanos < 0) {
            throw new IllegalArgumentException("latencyNanos must be 0 or more, but was " + latencyNanos);
        }
        if (succeeded != (error == null)) {
            throw new IllegalArgumentException(succeeded
                    ? "a successful call has no error, but error was " + error
                    : "a failed call needs its error, but error was null");
        }
    }

    /** How long the call took. */
    public Duration latency() {
        return Duration.ofNanos(latencyNanos);
    }

    /** When the call returned or threw, as a {@link System#nanoTime()} value. */
    public long endedAtNanos() {
        return startedAtNanos + latencyNanos;
    }
}
