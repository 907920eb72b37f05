package dev.chaosjunit;

import java.time.Duration;
import java.util.Objects;

/**
 * An immutable description of one fault: what it is, which way it acts and its parameters.
 * Create one with the static factories and pass it to {@link ChaosProxy#inject(FaultSpec)}:
 *
 * <pre>{@code
 * try (ActiveFault slow = db.inject(FaultSpec.latency(Duration.ofMillis(500)))) {
 *     // every response from the database now arrives 500 ms late
 * }
 * }</pre>
 *
 * <p>{@link ChaosPort} annotations are turned into the same values, so a fault behaves the same
 * whether it is declared or injected in code.
 */
public final class FaultSpec {

    private final Fault fault;
    private final Direction direction;
    private final Duration duration;

    private FaultSpec(Fault fault, Direction direction, Duration duration) {
        this.fault = fault;
        this.direction = direction;
        this.duration = duration;
    }

    /** {@link Fault#LATENCY}: every chunk is delayed by {@code delay}, downstream by default. */
    public static FaultSpec latency(Duration delay) {
        return new FaultSpec(Fault.LATENCY, Fault.LATENCY.defaultDirection(), requireNonNegative(delay, "delay"));
    }

    /** {@link Fault#DOWN}: connections are refused, open ones closed, until healed. */
    public static FaultSpec down() {
        return new FaultSpec(Fault.DOWN, null, Duration.ZERO);
    }

    /** {@link Fault#TIMEOUT} that holds connections until the fault is removed. */
    public static FaultSpec timeout() {
        return timeout(Duration.ZERO);
    }

    /**
     * {@link Fault#TIMEOUT}: data is dropped and connections are closed after {@code closeAfter}
     * ({@link Duration#ZERO} = held until the fault is removed).
     */
    public static FaultSpec timeout(Duration closeAfter) {
        return new FaultSpec(Fault.TIMEOUT, Fault.TIMEOUT.defaultDirection(), requireNonNegative(closeAfter, "closeAfter"));
    }

    /** {@link Fault#RESET_PEER}: connections are reset with a TCP RST at once. */
    public static FaultSpec resetPeer() {
        return resetPeer(Duration.ZERO);
    }

    /** {@link Fault#RESET_PEER}: connections are reset with a TCP RST after {@code after}. */
    public static FaultSpec resetPeer(Duration after) {
        return new FaultSpec(Fault.RESET_PEER, Fault.RESET_PEER.defaultDirection(), requireNonNegative(after, "after"));
    }

    /**
     * A copy of this fault acting in {@code direction}.
     *
     * @throws IllegalArgumentException if the fault has no direction (such as {@link Fault#DOWN})
     *         or {@code direction} is {@link Direction#DEFAULT}
     */
    public FaultSpec direction(Direction direction) {
        Objects.requireNonNull(direction, "direction");
        if (!fault.hasDirection()) {
            throw new IllegalArgumentException(fault + " acts on the whole port and takes no direction");
        }
        if (direction == Direction.DEFAULT) {
            return new FaultSpec(fault, fault.defaultDirection(), duration);
        }
        return new FaultSpec(fault, direction, duration);
    }

    /** The kind of fault. */
    public Fault fault() {
        return fault;
    }

    /** Which way it acts, or {@code null} for a fault on the whole port such as {@link Fault#DOWN}. */
    public Direction direction() {
        return direction;
    }

    /**
     * The fault's time parameter: the delay for {@link Fault#LATENCY}, the time until connections
     * are closed for {@link Fault#TIMEOUT} (zero = never), the time until the reset for
     * {@link Fault#RESET_PEER} (zero = at once); zero for {@link Fault#DOWN}.
     */
    public Duration duration() {
        return duration;
    }

    private static Duration requireNonNegative(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must be zero or positive, but was " + value);
        }
        return value;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof FaultSpec)) {
            return false;
        }
        FaultSpec that = (FaultSpec) o;
        return fault == that.fault && direction == that.direction && duration.equals(that.duration);
    }

    @Override
    public int hashCode() {
        return Objects.hash(fault, direction, duration);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(fault.name());
        if (fault != Fault.DOWN) {
            sb.append('(').append(duration.toMillis()).append(" ms");
            if (direction != null) {
                sb.append(", ").append(direction);
            }
            sb.append(')');
        }
        return sb.toString();
    }
}
