package dev.chaosjunit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * When a fault acts: it starts after a delay, lasts a duration, and repeats, so that one test
 * observes the system before, during and after the fault. Immutable; pass it to
 * {@link ChaosProxy#schedule(FaultSpec, FaultSchedule)}:
 *
 * <pre>{@code
 * // down from 500 ms to 1.5 s after this line
 * try (ScheduledFault outage = db.schedule(FaultSpec.down(),
 *         FaultSchedule.after(Duration.ofMillis(500)).lasting(Duration.ofSeconds(1)))) {
 *     // ... call the system before, during and after the outage
 * }
 *
 * // three 1 s outages, starting at once, 3 s apart (start to start)
 * FaultSchedule.immediately().lasting(Duration.ofSeconds(1)).every(Duration.ofSeconds(3)).times(3);
 * }</pre>
 *
 * <p>Build it in the order it reads, which is also what {@link #toString()} shows: a start
 * ({@link #after(Duration)} or {@link #immediately()}), then {@link #lasting(Duration)}, then
 * {@link #every(Duration)}, then {@link #times(int)}. Each step checks what came before it, so a
 * mistake fails where it is written, with an {@link IllegalArgumentException} that says what is right.
 *
 * <ul>
 * <li>Occurrence {@code k} (from 0) starts {@code delay + k * period} after the schedule begins,
 * on the {@link System#nanoTime()} clock: late wake-ups do not add up, and no occurrence starts
 * before its time.</li>
 * <li>Without {@link #lasting(Duration)}, the fault acts until the schedule is cancelled
 * ({@link ScheduledFault#close()}; with {@link ChaosPort}, the end of the test method body).</li>
 * <li>{@link #every(Duration)} without {@link #times(int)} repeats until cancelled.</li>
 * </ul>
 *
 * <p>The same schedules are written on the annotation with {@link ChaosPort#startAfterMs()},
 * {@link ChaosPort#durationMs()}, {@link ChaosPort#repeatEveryMs()} and {@link ChaosPort#times()}.
 */
public final class FaultSchedule {

    private static final FaultSchedule IMMEDIATELY = new FaultSchedule(Duration.ZERO, null, null, 0);

    private final Duration delay;
    /** {@code null}: until cancelled. */
    private final Duration duration;
    /** {@code null}: no repetition. */
    private final Duration period;
    /** 0: not set (once without a period, until cancelled with one). */
    private final int times;

    private FaultSchedule(Duration delay, Duration duration, Duration period, int times) {
        this.delay = delay;
        this.duration = duration;
        this.period = period;
        this.times = times;
    }

    /**
     * A schedule whose first occurrence starts {@code delay} after the schedule begins.
     *
     * @throws IllegalArgumentException if {@code delay} is negative or longer than {@link FaultSpec#MAX_TIME}
     */
    public static FaultSchedule after(Duration delay) {
        return new FaultSchedule(requireTime(delay, "delay", false), null, null, 0);
    }

    /** A schedule whose first occurrence starts as soon as the schedule begins: {@code after(Duration.ZERO)}. */
    public static FaultSchedule immediately() {
        return IMMEDIATELY;
    }

    /**
     * A copy in which each occurrence acts for {@code duration}, then is healed.
     *
     * @throws IllegalArgumentException unless {@code duration} is positive, at most
     *         {@link FaultSpec#MAX_TIME}, and shorter than the period if {@link #every(Duration)} was given
     */
    public FaultSchedule lasting(Duration duration) {
        requireTime(duration, "duration", true);
        if (period != null && duration.compareTo(period) >= 0) {
            throw new IllegalArgumentException("duration must be shorter than the period (" + text(period)
                    + "), so that the fault is healed between occurrences, but was " + text(duration));
        }
        return new FaultSchedule(delay, duration, period, times);
    }

    /**
     * A copy that repeats the fault every {@code period}, from the start of one occurrence to the
     * start of the next; until cancelled, unless {@link #times(int)} follows.
     *
     * @throws IllegalArgumentException if no {@link #lasting(Duration) duration} was given before,
     *         or {@code period} is not longer than it, or longer than {@link FaultSpec#MAX_TIME}
     */
    public FaultSchedule every(Duration period) {
        requireTime(period, "period", true);
        if (duration == null) {
            throw new IllegalArgumentException("every(" + text(period) + ") needs a duration, or the first"
                    + " occurrence would never end; call lasting(...) before every(...), such as"
                    + " FaultSchedule.immediately().lasting(Duration.ofSeconds(1)).every(Duration.ofSeconds(3))");
        }
        if (period.compareTo(duration) <= 0) {
            throw new IllegalArgumentException("period must be longer than the duration (" + text(duration)
                    + "), so that the fault is healed between occurrences, but was " + text(period));
        }
        return new FaultSchedule(delay, duration, period, times);
    }

    /**
     * A copy with {@code n} occurrences in total. More than one needs {@link #every(Duration)} before.
     *
     * @throws IllegalArgumentException if {@code n < 1}, or {@code n > 1} without a period
     */
    public FaultSchedule times(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("times must be 1 or more, but was " + n);
        }
        if (n > 1 && period == null) {
            throw new IllegalArgumentException("times(" + n + ") needs a period between the occurrences;"
                    + " call every(...) before times(...), such as"
                    + " FaultSchedule.immediately().lasting(Duration.ofSeconds(1)).every(Duration.ofSeconds(3)).times(" + n + ")");
        }
        return new FaultSchedule(delay, duration, period, n);
    }

    /** How long after the schedule begins the first occurrence starts; zero for {@link #immediately()}. */
    public Duration delay() {
        return delay;
    }

    /** How long each occurrence acts; empty when it acts until the schedule is cancelled. */
    public Optional<Duration> duration() {
        return Optional.ofNullable(duration);
    }

    /** The time from the start of one occurrence to the start of the next; empty when the fault does not repeat. */
    public Optional<Duration> period() {
        return Optional.ofNullable(period);
    }

    /** How many occurrences there are in total; empty when it repeats until the schedule is cancelled. */
    public OptionalInt times() {
        if (times > 0) {
            return OptionalInt.of(times);
        }
        return period == null ? OptionalInt.of(1) : OptionalInt.empty();
    }

    private static Duration requireTime(Duration value, String name, boolean positive) {
        Objects.requireNonNull(value, name);
        if (positive ? value.isNegative() || value.isZero() : value.isNegative()) {
            throw new IllegalArgumentException(name + " must be " + (positive ? "positive" : "zero or positive")
                    + ", but was " + text(value));
        }
        if (value.compareTo(FaultSpec.MAX_TIME) > 0) {
            throw new IllegalArgumentException(name + " must be at most 365 days, but was " + text(value));
        }
        return value;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof FaultSchedule)) {
            return false;
        }
        FaultSchedule that = (FaultSchedule) o;
        return delay.equals(that.delay) && Objects.equals(duration, that.duration)
                && Objects.equals(period, that.period) && times().equals(that.times());
    }

    @Override
    public int hashCode() {
        return Objects.hash(delay, duration, period, times());
    }

    /**
     * In the order it is built, such as {@code after 500 ms, lasting 1 s, every 3 s, 3 times},
     * {@code immediately, lasting 200 ms} or {@code after 2 s, until cancelled}.
     */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        parts.add(delay.isZero() ? "immediately" : "after " + text(delay));
        if (duration != null) {
            parts.add("lasting " + text(duration));
        }
        if (period != null) {
            parts.add("every " + text(period));
        }
        OptionalInt count = times();
        if (count.isEmpty() || duration == null) {
            parts.add("until cancelled");
        } else if (period != null) {
            parts.add(count.getAsInt() == 1 ? "once" : count.getAsInt() + " times");
        }
        return String.join(", ", parts);
    }

    /** {@code 3 s}, {@code 500 ms}, {@code 250 µs}, {@code 366 days}: the largest unit that shows the value exactly. */
    private static String text(Duration d) {
        if (d.isNegative()) {
            return "-" + text(d.negated());
        }
        if (d.getNano() == 0) {
            long seconds = d.getSeconds();
            if (seconds >= 86_400 && seconds % 86_400 == 0) {
                return seconds / 86_400 + (seconds == 86_400 ? " day" : " days");
            }
            return seconds + " s";
        }
        if (d.compareTo(Duration.ofDays(1000)) > 0) {
            return d.toString();
        }
        long total = d.toNanos();
        if (total % 1_000_000 == 0) {
            return total / 1_000_000 + " ms";
        }
        if (total % 1_000 == 0) {
            return total / 1_000 + " µs";
        }
        return total + " ns";
    }
}
