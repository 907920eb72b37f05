package dev.chaosjunit.internal;

import java.time.Duration;
import java.util.OptionalLong;

import dev.chaosjunit.FaultSchedule;

/**
 * Whether two faults of one test ever act at the same time, given their schedules, both counted
 * from the start of the test method body. A fault without a schedule acts for the whole body.
 *
 * <p>Occurrence {@code k} of a schedule acts from {@code delay + k * period} for {@code duration};
 * an occurrence ends the moment the next one may start, so two faults that touch ({@code [0, 100)}
 * and {@code [100, 200)}) do not overlap. Two schedules that repeat until the body ends overlap
 * unless they have the same period and their phases never meet; other endless pairs are taken to
 * overlap, which only ever rejects, never allows, a combination that might conflict.
 */
final class ScheduleOverlap {

    /** More occurrences than this are not walked one by one; such a pair is taken to overlap. */
    private static final long MAX_WALK = 100_000;

    private ScheduleOverlap() {
    }

    /**
     * The first moment, in nanoseconds from the start of the body, at which both act; empty if
     * they never act together. {@code null} schedules act for the whole body.
     */
    static OptionalLong firstOverlap(FaultSchedule a, FaultSchedule b) {
        if (a == null || b == null) {
            FaultSchedule other = a == null ? b : a;
            return OptionalLong.of(other == null ? 0 : nanos(other.delay()));
        }
        Series x = new Series(a);
        Series y = new Series(b);
        if (x.endless() && y.endless()) {
            return bothEndless(x, y);
        }
        if (y.endless()) {
            Series t = x;
            x = y;
            y = t;
        }
        // y has a known number of occurrences; x may be endless
        if (y.count > MAX_WALK) {
            return OptionalLong.of(Math.max(x.delay, y.delay));
        }
        for (long k = 0; k < y.count; k++) {
            long start = y.start(k);
            long end = y.end(k);
            OptionalLong hit = x.firstOverlapWith(start, end);
            if (hit.isPresent()) {
                return hit;
            }
        }
        return OptionalLong.empty();
    }

    private static OptionalLong bothEndless(Series x, Series y) {
        if (x.duration == Long.MAX_VALUE || y.duration == Long.MAX_VALUE || x.period != y.period) {
            // one acts until the body ends, or their phases drift through each other
            return OptionalLong.of(Math.max(x.delay, y.delay));
        }
        // same period: look at one period after both have started
        long k = y.indexAtOrBefore(Math.max(x.delay, y.delay));
        OptionalLong hit = x.firstOverlapWith(y.start(k), y.end(k));
        return hit.isPresent() ? hit : x.firstOverlapWith(y.start(k + 1), y.end(k + 1));
    }

    private static long nanos(Duration d) {
        return d.toNanos();
    }

    /** One schedule's occurrences, in nanoseconds from the start of the body. */
    private static final class Series {
        final long delay;
        /** {@link Long#MAX_VALUE}: until the body ends. */
        final long duration;
        /** 0: no repetition. */
        final long period;
        /** {@link Long#MAX_VALUE}: until the body ends. */
        final long count;

        Series(FaultSchedule schedule) {
            delay = nanos(schedule.delay());
            duration = schedule.duration().map(ScheduleOverlap::nanos).orElse(Long.MAX_VALUE);
            period = schedule.period().map(ScheduleOverlap::nanos).orElse(0L);
            count = schedule.times().isPresent() ? schedule.times().getAsInt()
                    : period == 0 ? 1 : Long.MAX_VALUE;
        }

        boolean endless() {
            return count == Long.MAX_VALUE;
        }

        long start(long k) {
            return delay + k * period;
        }

        long end(long k) {
            return duration == Long.MAX_VALUE ? Long.MAX_VALUE : start(k) + duration;
        }

        /** The last occurrence that starts at or before {@code t} (0 if none does). */
        long indexAtOrBefore(long t) {
            if (period == 0 || t < delay) {
                return 0;
            }
            return Math.min((t - delay) / period, count - 1);
        }

        /** The first moment this series acts within {@code [from, to)}, if any. */
        OptionalLong firstOverlapWith(long from, long to) {
            for (long k = indexAtOrBefore(from); k < count && start(k) < to; k++) {
                long start = start(k);
                long end = end(k);
                if (start < to && from < end) {
                    return OptionalLong.of(Math.max(start, from));
                }
                if (period == 0) {
                    break;
                }
            }
            return OptionalLong.empty();
        }
    }
}
