package dev.chaosjunit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * An immutable description of one fault: what it is, which way it acts and its parameters.
 * Create one with the static factories, adjust it with the copy-modifiers
 * ({@link #direction(Direction)}, {@link #toxicity(double)}, {@link #jitter(Duration)},
 * {@link #seed(long)}) and pass it to {@link ChaosProxy#inject(FaultSpec)}:
 *
 * <pre>{@code
 * try (ActiveFault slow = db.inject(FaultSpec.latency(Duration.ofMillis(500)))) {
 *     // every response from the database now arrives 500 ms late
 * }
 * }</pre>
 *
 * <p>{@link ChaosPort} annotations are turned into the same values, so a fault behaves the same
 * whether it is declared or injected in code.
 *
 * <p><b>Reproducible randomness.</b> Every random choice a fault makes (jitter, toxicity, slice
 * sizes, flap timing, loss) comes from {@link #seed()}: the one given with {@link #seed(long)}, else
 * the global seed: the system property {@value #SEED_PROPERTY} if set (such as
 * {@code -Dchaos.seed=42}), else a random value chosen once per JVM. The choices for a connection
 * depend only on the seed, the connection's number on its proxy and the direction, so a failing
 * run is replayed by running it again with the seed that {@link #toString()} shows.
 */
public final class FaultSpec {

    /**
     * The longest time any fault parameter may be: 365 days. Longer times would overflow the
     * nanosecond clock the engine schedules on, and mean "forever" in a test anyway.
     */
    public static final Duration MAX_TIME = Duration.ofDays(365);

    /** The system property that sets the global seed, a {@code long} such as {@code -Dchaos.seed=42}. */
    public static final String SEED_PROPERTY = "chaos.seed";

    private final Fault fault;
    private final Direction direction;
    private final Duration duration;
    private final Duration jitter;
    private final long amount;
    private final int variation;
    private final double fraction;
    private final double toxicity;
    private final Long seed;

    private FaultSpec(Fault fault, Direction direction, Duration duration, Duration jitter, long amount,
            int variation, double fraction, double toxicity, Long seed) {
        this.fault = fault;
        this.direction = direction;
        this.duration = duration;
        this.jitter = jitter;
        this.amount = amount;
        this.variation = variation;
        this.fraction = fraction;
        this.toxicity = toxicity;
        this.seed = seed;
    }

    private static FaultSpec of(Fault fault, Duration duration) {
        return new FaultSpec(fault, fault.defaultDirection(), duration, Duration.ZERO, 0, 0, 0, 1.0, null);
    }

    private FaultSpec amount(long newAmount, int newVariation, double newFraction) {
        return new FaultSpec(fault, direction, duration, jitter, newAmount, newVariation, newFraction, toxicity, seed);
    }

    /** {@link Fault#LATENCY}: every chunk is delayed by {@code delay}, downstream by default. */
    public static FaultSpec latency(Duration delay) {
        return of(Fault.LATENCY, requireNonNegative(delay, "delay"));
    }

    /** {@link Fault#LATENCY}: every chunk is delayed by {@code delay} &plusmn; {@code jitter}, never below zero. */
    public static FaultSpec latency(Duration delay, Duration jitter) {
        return latency(delay).jitter(jitter);
    }

    /** {@link Fault#DOWN}: connections are refused, open ones closed, until healed. */
    public static FaultSpec down() {
        return of(Fault.DOWN, Duration.ZERO);
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
        return of(Fault.TIMEOUT, requireNonNegative(closeAfter, "closeAfter"));
    }

    /** {@link Fault#RESET_PEER}: connections are reset with a TCP RST at once. */
    public static FaultSpec resetPeer() {
        return resetPeer(Duration.ZERO);
    }

    /** {@link Fault#RESET_PEER}: connections are reset with a TCP RST after {@code after}. */
    public static FaultSpec resetPeer(Duration after) {
        return of(Fault.RESET_PEER, requireNonNegative(after, "after"));
    }

    /**
     * {@link Fault#BANDWIDTH}: bytes are paced to {@code kbPerSecond} KB/s (1 KB = 1000 bytes) per
     * connection and direction; 0 holds the data until the fault is removed.
     */
    public static FaultSpec bandwidth(long kbPerSecond) {
        if (kbPerSecond < 0) {
            throw new IllegalArgumentException("rate must be 0 or more (0 holds the data), but was " + kbPerSecond);
        }
        return of(Fault.BANDWIDTH, Duration.ZERO).amount(kbPerSecond, 0, 0);
    }

    /** {@link Fault#SLOW_CLOSE}: the end of the stream is passed on {@code delay} late; data is not delayed. */
    public static FaultSpec slowClose(Duration delay) {
        return of(Fault.SLOW_CLOSE, requireNonNegative(delay, "delay"));
    }

    /**
     * {@link Fault#SLICER}: chunks are cut into pieces of {@code averageSize} &plusmn; {@code variation}
     * bytes, {@code delay} apart (microsecond precision).
     *
     * @throws IllegalArgumentException unless {@code averageSize > 0} and {@code 0 <= variation < averageSize}
     */
    public static FaultSpec slicer(int averageSize, int variation, Duration delay) {
        if (averageSize <= 0) {
            throw new IllegalArgumentException("averageSize must be 1 byte or more, but was " + averageSize);
        }
        if (variation < 0 || variation >= averageSize) {
            throw new IllegalArgumentException("variation must be 0 or more and less than averageSize ("
                    + averageSize + "), but was " + variation);
        }
        return of(Fault.SLICER, requireNonNegative(delay, "delay")).amount(averageSize, variation, 0);
    }

    /** {@link Fault#LIMIT_DATA}: exactly {@code bytes} bytes pass per connection and direction, then the stream ends. */
    public static FaultSpec limitData(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must be 0 or more, but was " + bytes);
        }
        return of(Fault.LIMIT_DATA, Duration.ZERO).amount(bytes, 0, 0);
    }

    /** {@link Fault#ACCEPT_AND_CLOSE}: connects succeed, then the connection is closed at once (the client reads EOF). */
    public static FaultSpec acceptAndClose() {
        return of(Fault.ACCEPT_AND_CLOSE, Duration.ZERO);
    }

    /** {@link Fault#ACCEPT_AND_HANG}: connects succeed, then nothing passes and nothing closes. */
    public static FaultSpec acceptAndHang() {
        return of(Fault.ACCEPT_AND_HANG, Duration.ZERO);
    }

    /**
     * {@link Fault#FLAP}: the port is up for {@code upFraction} of every {@code period}, down (as
     * {@link Fault#DOWN}) for the rest, starting up. Add randomness with {@link #jitter(Duration)}.
     *
     * @throws IllegalArgumentException unless {@code period > 0} and {@code 0 <= upFraction <= 1}
     */
    public static FaultSpec flap(Duration period, double upFraction) {
        requireNonNegative(period, "period");
        if (period.isZero()) {
            throw new IllegalArgumentException("period must be positive, but was " + period);
        }
        return of(Fault.FLAP, period).amount(0, 0, requireFraction(upFraction, "upFraction"));
    }

    /** {@link Fault#LOSS}: {@code fraction} (0.0 to 1.0) of chunks suffer a TCP retransmission stall. */
    public static FaultSpec loss(double fraction) {
        return of(Fault.LOSS, Duration.ZERO).amount(0, 0, requireFraction(fraction, "fraction"));
    }

    /** {@link Fault#FAIL_FIRST}: the next {@code connections} connections are reset at once, later ones pass. */
    public static FaultSpec failFirst(int connections) {
        if (connections < 0) {
            throw new IllegalArgumentException("connections must be 0 or more, but was " + connections);
        }
        return of(Fault.FAIL_FIRST, Duration.ZERO).amount(connections, 0, 0);
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
        Direction chosen = direction == Direction.DEFAULT ? fault.defaultDirection() : direction;
        return new FaultSpec(fault, chosen, duration, jitter, amount, variation, fraction, toxicity, seed);
    }

    /**
     * A copy of this fault that affects each connection and direction with probability
     * {@code toxicity} (0.0 to 1.0), decided once per connection and direction from the seed.
     *
     * @throws IllegalArgumentException if the fault does not act per connection (see
     *         {@link Fault#takesToxicity()}) or {@code toxicity} is outside 0.0 to 1.0
     */
    public FaultSpec toxicity(double toxicity) {
        if (!fault.takesToxicity()) {
            throw new IllegalArgumentException(fault + " does not act on connections one by one and takes no toxicity");
        }
        return new FaultSpec(fault, direction, duration, jitter, amount, variation, fraction,
                requireFraction(toxicity, "toxicity"), seed);
    }

    /**
     * A copy with randomness in time: for {@link Fault#LATENCY} each delay is drawn from
     * delay &plusmn; {@code jitter}; for {@link Fault#FLAP} each switch moves by up to &plusmn; {@code jitter}.
     *
     * @throws IllegalArgumentException for other faults, or a negative jitter
     */
    public FaultSpec jitter(Duration jitter) {
        if (fault != Fault.LATENCY && fault != Fault.FLAP) {
            throw new IllegalArgumentException(fault + " takes no jitter; only LATENCY and FLAP do");
        }
        return new FaultSpec(fault, direction, duration, requireNonNegative(jitter, "jitter"), amount, variation,
                fraction, toxicity, seed);
    }

    /** A copy whose random choices all come from {@code seed}, instead of from the global seed. */
    public FaultSpec seed(long seed) {
        return new FaultSpec(fault, direction, duration, jitter, amount, variation, fraction, toxicity, seed);
    }

    /** The kind of fault. */
    public Fault fault() {
        return fault;
    }

    /** Which way it acts, or {@code null} for a fault without direction such as {@link Fault#DOWN}. */
    public Direction direction() {
        return direction;
    }

    /**
     * The fault's time parameter: the delay for {@link Fault#LATENCY} and {@link Fault#SLOW_CLOSE},
     * the time until connections are closed for {@link Fault#TIMEOUT} (zero = never), the time
     * until the reset for {@link Fault#RESET_PEER} (zero = at once), the pause between pieces for
     * {@link Fault#SLICER}, the period for {@link Fault#FLAP}; zero for the others.
     */
    public Duration duration() {
        return duration;
    }

    /** The jitter of {@link Fault#LATENCY} or {@link Fault#FLAP}; zero when none or for other faults. */
    public Duration jitter() {
        return jitter;
    }

    /** The rate of {@link Fault#BANDWIDTH} in KB/s (1 KB = 1000 bytes; 0 = hold); 0 for other faults. */
    public long rateKbPerSecond() {
        return fault == Fault.BANDWIDTH ? amount : 0;
    }

    /** The byte limit of {@link Fault#LIMIT_DATA}; 0 for other faults. */
    public long bytes() {
        return fault == Fault.LIMIT_DATA ? amount : 0;
    }

    /** The average piece size in bytes of {@link Fault#SLICER}; 0 for other faults. */
    public int averageSize() {
        return fault == Fault.SLICER ? (int) amount : 0;
    }

    /** The piece size variation in bytes of {@link Fault#SLICER}; 0 for other faults. */
    public int sizeVariation() {
        return variation;
    }

    /** The number of connections {@link Fault#FAIL_FIRST} fails; 0 for other faults. */
    public int connections() {
        return fault == Fault.FAIL_FIRST ? (int) amount : 0;
    }

    /** The fraction of time up for {@link Fault#FLAP}, of chunks stalled for {@link Fault#LOSS}; 0 for others. */
    public double fraction() {
        return fraction;
    }

    /** The probability, 0.0 to 1.0, that a connection and direction is affected; 1.0 unless set. */
    public double toxicity() {
        return toxicity;
    }

    /** The seed of every random choice: the one given with {@link #seed(long)}, else {@link #globalSeed()}. */
    public long seed() {
        return seed != null ? seed : globalSeed();
    }

    /**
     * The seed of faults that were given none: the system property {@value #SEED_PROPERTY} when set,
     * else a random value chosen once per JVM.
     *
     * @throws IllegalArgumentException if the property is set but is not a {@code long}
     */
    public static long globalSeed() {
        String property = System.getProperty(SEED_PROPERTY);
        if (property == null || property.isBlank()) {
            return RandomGlobalSeed.VALUE;
        }
        try {
            return Long.parseLong(property.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("system property " + SEED_PROPERTY + " must be a whole number"
                    + " (a long such as 42), but was \"" + property + "\"", e);
        }
    }

    /** Whether any choice of this fault is random, so that its seed matters. */
    public boolean isRandomized() {
        return toxicity < 1.0
                || !jitter.isZero()
                || (fault == Fault.SLICER && variation > 0)
                || (fault == Fault.LOSS && fraction > 0);
    }

    private static final class RandomGlobalSeed {
        static final long VALUE = new SplittableRandom().nextLong();
    }

    private static Duration requireNonNegative(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must be zero or positive, but was " + value);
        }
        if (value.compareTo(MAX_TIME) > 0) {
            throw new IllegalArgumentException(name + " must be at most 365 days, but was " + value);
        }
        return value;
    }

    private static double requireFraction(double value, String name) {
        if (!(value >= 0.0 && value <= 1.0)) {
            throw new IllegalArgumentException(name + " must be between 0.0 and 1.0, but was " + value);
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
        return fault == that.fault && direction == that.direction && duration.equals(that.duration)
                && jitter.equals(that.jitter) && amount == that.amount && variation == that.variation
                && Double.compare(fraction, that.fraction) == 0 && Double.compare(toxicity, that.toxicity) == 0
                && seed() == that.seed();
    }

    @Override
    public int hashCode() {
        return Objects.hash(fault, direction, duration, jitter, amount, variation, fraction, toxicity, seed());
    }

    /**
     * Such as {@code LATENCY(100 ms, DOWNSTREAM)} or
     * {@code LATENCY(100 ms ± 20 ms, BOTH, seed=42)}; the seed is shown whenever a choice is random.
     */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        switch (fault) {
            case DOWN, ACCEPT_AND_CLOSE, ACCEPT_AND_HANG -> { }
            case LATENCY -> parts.add(millis(duration) + (jitter.isZero() ? "" : " ± " + millis(jitter)));
            case BANDWIDTH -> parts.add(amount + " KB/s");
            case SLICER -> parts.add(amount + " ± " + variation + " bytes every " + duration.toNanos() / 1000 + " µs");
            case LIMIT_DATA -> parts.add(amount + " bytes");
            case FLAP -> parts.add("period " + millis(duration) + ", up " + fraction
                    + (jitter.isZero() ? "" : ", jitter " + millis(jitter)));
            case LOSS -> parts.add("fraction " + fraction);
            case FAIL_FIRST -> parts.add(amount + " connections");
            default -> parts.add(millis(duration));
        }
        if (direction != null) {
            parts.add(direction.name());
        }
        if (toxicity < 1.0) {
            parts.add("toxicity " + toxicity);
        }
        if (isRandomized()) {
            parts.add("seed=" + seed());
        }
        return parts.isEmpty() ? fault.name() : fault.name() + "(" + String.join(", ", parts) + ")";
    }

    private static String millis(Duration d) {
        return d.toMillis() + " ms";
    }
}
