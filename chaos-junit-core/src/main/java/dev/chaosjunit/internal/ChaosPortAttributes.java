package dev.chaosjunit.internal;

import static dev.chaosjunit.internal.ChaosPortSpec.invalid;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import dev.chaosjunit.ChaosPort;
import dev.chaosjunit.Fault;
import dev.chaosjunit.FaultSchedule;
import dev.chaosjunit.FaultSpec;

/**
 * The {@link ChaosPort} attributes of the fault catalog beyond {@code ms} and {@code direction}
 * (jitter, rate, bytes, slicer sizes, toxicity, flap, loss, fail-first, seed) and of the
 * schedule (startAfterMs, durationMs, repeatEveryMs, times): validation with
 * {@link ChaosPortSpec}'s message style, and conversion to {@link FaultSpec} and
 * {@link FaultSchedule}. Kept apart from {@link ChaosPortSpec} so each stays small.
 */
final class ChaosPortAttributes {

    private ChaosPortAttributes() {
    }

    /** One numeric attribute: its name, value as written, whether set, and the faults that take it. */
    private record Attribute(String name, String value, boolean set, Set<Fault> faults) {
    }

    private static List<Attribute> attributes(ChaosPort a) {
        return List.of(
                new Attribute("jitterMs", String.valueOf(a.jitterMs()), a.jitterMs() != ChaosPort.UNSET, Set.of(Fault.LATENCY, Fault.FLAP)),
                new Attribute("rate", String.valueOf(a.rate()), a.rate() != ChaosPort.UNSET, Set.of(Fault.BANDWIDTH)),
                new Attribute("bytes", String.valueOf(a.bytes()), a.bytes() != ChaosPort.UNSET, Set.of(Fault.LIMIT_DATA)),
                new Attribute("averageSize", String.valueOf(a.averageSize()), a.averageSize() != -1, Set.of(Fault.SLICER)),
                new Attribute("sizeVariation", String.valueOf(a.sizeVariation()), a.sizeVariation() != -1, Set.of(Fault.SLICER)),
                new Attribute("delayUs", String.valueOf(a.delayUs()), a.delayUs() != ChaosPort.UNSET, Set.of(Fault.SLICER)),
                new Attribute("periodMs", String.valueOf(a.periodMs()), a.periodMs() != ChaosPort.UNSET, Set.of(Fault.FLAP)),
                new Attribute("upFraction", String.valueOf(a.upFraction()), a.upFraction() != ChaosPort.UNSET_FRACTION, Set.of(Fault.FLAP)),
                new Attribute("fraction", String.valueOf(a.fraction()), a.fraction() != ChaosPort.UNSET_FRACTION, Set.of(Fault.LOSS)),
                new Attribute("connections", String.valueOf(a.connections()), a.connections() != -1, Set.of(Fault.FAIL_FIRST)),
                new Attribute("toxicity", String.valueOf(a.toxicity()), a.toxicity() != ChaosPort.UNSET_FRACTION, toxicFaults()),
                new Attribute("seed", String.valueOf(a.seed()), a.seed() != ChaosPort.NO_SEED, seededFaults()));
    }

    private static Set<Fault> toxicFaults() {
        java.util.EnumSet<Fault> faults = java.util.EnumSet.noneOf(Fault.class);
        for (Fault fault : Fault.values()) {
            if (fault.takesToxicity()) {
                faults.add(fault);
            }
        }
        return faults;
    }

    private static Set<Fault> seededFaults() {
        Set<Fault> faults = toxicFaults();
        faults.add(Fault.FLAP);
        return faults;
    }

    /** Adds the catalog and schedule attributes that differ from their defaults, for {@link ChaosPortSpec#render}. */
    static void render(ChaosPort a, List<String> out) {
        for (Attribute attribute : attributes(a)) {
            if (attribute.set()) {
                out.add(attribute.name() + " = " + attribute.value());
            }
        }
        if (a.startAfterMs() != ChaosPort.UNSET) {
            out.add("startAfterMs = " + a.startAfterMs());
        }
        if (a.durationMs() != ChaosPort.UNSET) {
            out.add("durationMs = " + a.durationMs());
        }
        if (a.repeatEveryMs() != ChaosPort.UNSET) {
            out.add("repeatEveryMs = " + a.repeatEveryMs());
        }
        if (a.times() != -1) {
            out.add("times = " + a.times());
        }
    }

    /**
     * The schedule the attributes describe, or {@code null} when none is set: the fault acts for
     * the whole test method body.
     */
    static FaultSchedule schedule(ChaosPort a, String origin) {
        long startAfter = a.startAfterMs();
        long duration = a.durationMs();
        long every = a.repeatEveryMs();
        int times = a.times();
        if (startAfter == ChaosPort.UNSET && duration == ChaosPort.UNSET && every == ChaosPort.UNSET && times == -1) {
            return null;
        }
        if (startAfter != ChaosPort.UNSET) {
            time(origin, "startAfterMs", startAfter, 0);
        }
        if (duration != ChaosPort.UNSET) {
            time(origin, "durationMs", duration, 1);
        }
        if (every != ChaosPort.UNSET) {
            time(origin, "repeatEveryMs", every, 1);
            if (duration == ChaosPort.UNSET) {
                throw invalid(origin, "repeatEveryMs = " + every + " needs durationMs, how long each occurrence"
                        + " lasts (such as durationMs = " + Math.max(1, every / 2) + ")");
            }
            if (every <= duration) {
                throw invalid(origin, "repeatEveryMs = " + every + " must be longer than durationMs = " + duration
                        + ", so that the fault is healed between occurrences");
            }
        }
        if (times != -1) {
            if (times < 1) {
                throw invalid(origin, "times = " + times + " is not positive; it must be 1 or more");
            }
            if (times > 1 && every == ChaosPort.UNSET) {
                long example = duration == ChaosPort.UNSET || duration < 500 ? 1000 : Math.multiplyExact(duration, 2);
                throw invalid(origin, "times = " + times + " needs repeatEveryMs, the time from the start of one"
                        + " occurrence to the start of the next (such as repeatEveryMs = " + example + ")");
            }
        }
        FaultSchedule schedule = FaultSchedule.after(Duration.ofMillis(startAfter == ChaosPort.UNSET ? 0 : startAfter));
        if (duration != ChaosPort.UNSET) {
            schedule = schedule.lasting(Duration.ofMillis(duration));
        }
        if (every != ChaosPort.UNSET) {
            schedule = schedule.every(Duration.ofMillis(every));
        }
        if (times != -1) {
            schedule = schedule.times(times);
        }
        return schedule;
    }

    /** Checks a schedule time in milliseconds: at least {@code min}, at most {@link FaultSpec#MAX_TIME}. */
    private static void time(String origin, String name, long value, long min) {
        if (value < min) {
            throw invalid(origin, name + " = " + value + (value < 0 ? " is negative" : " is not positive")
                    + "; it must be " + min + " or more");
        }
        if (value > FaultSpec.MAX_TIME.toMillis()) {
            throw invalid(origin, name + " = " + value + " is too large; it must be at most "
                    + FaultSpec.MAX_TIME.toMillis() + " (365 days)");
        }
    }

    /**
     * The spec for a fault of the catalog (all but DOWN, LATENCY, TIMEOUT, RESET_PEER, which
     * {@link ChaosPortSpec} builds itself), without direction and modifiers.
     */
    static FaultSpec create(ChaosPort a, String origin, Fault fault, long ms, boolean msSet) {
        if (msSet && fault != Fault.SLOW_CLOSE) {
            throw invalid(origin, "ms = " + ms + " means nothing for fault = " + fault + "; remove it");
        }
        switch (fault) {
            case BANDWIDTH:
                requireSet(origin, fault, a.rate() != ChaosPort.UNSET, "rate, the rate in KB/s (such as rate = 100; 0 holds the data)");
                return FaultSpec.bandwidth(nonNegative(origin, "rate", a.rate()));
            case SLOW_CLOSE:
                requireSet(origin, fault, msSet, "ms, the delay of the close in milliseconds (such as ms = 500)");
                return FaultSpec.slowClose(Duration.ofMillis(ms));
            case SLICER: {
                requireSet(origin, fault, a.averageSize() != -1, "averageSize, the average piece size in bytes (such as averageSize = 100)");
                int average = a.averageSize();
                if (average <= 0) {
                    throw invalid(origin, "averageSize = " + average + " is not positive; it must be 1 or more");
                }
                int variation = a.sizeVariation() == -1 ? 0 : a.sizeVariation();
                if (variation < 0 || variation >= average) {
                    throw invalid(origin, "sizeVariation = " + variation + " is out of range; it must be 0 or more"
                            + " and less than averageSize (" + average + ")");
                }
                long delayUs = a.delayUs() == ChaosPort.UNSET ? 0 : nonNegative(origin, "delayUs", a.delayUs());
                return FaultSpec.slicer(average, variation, Duration.ofNanos(Math.multiplyExact(delayUs, 1000L)));
            }
            case LIMIT_DATA:
                requireSet(origin, fault, a.bytes() != ChaosPort.UNSET, "bytes, how many bytes pass (such as bytes = 1024)");
                return FaultSpec.limitData(nonNegative(origin, "bytes", a.bytes()));
            case ACCEPT_AND_CLOSE:
                return FaultSpec.acceptAndClose();
            case ACCEPT_AND_HANG:
                return FaultSpec.acceptAndHang();
            case FLAP: {
                requireSet(origin, fault, a.periodMs() != ChaosPort.UNSET, "periodMs, the period in milliseconds (such as periodMs = 1000)");
                requireSet(origin, fault, a.upFraction() != ChaosPort.UNSET_FRACTION, "upFraction, the fraction of time up (such as upFraction = 0.5)");
                if (a.periodMs() <= 0) {
                    throw invalid(origin, "periodMs = " + a.periodMs() + " is not positive; it must be 1 or more");
                }
                return FaultSpec.flap(Duration.ofMillis(a.periodMs()), fraction(origin, "upFraction", a.upFraction()));
            }
            case LOSS:
                requireSet(origin, fault, a.fraction() != ChaosPort.UNSET_FRACTION, "fraction, the fraction of chunks stalled (such as fraction = 0.1)");
                return FaultSpec.loss(fraction(origin, "fraction", a.fraction()));
            case FAIL_FIRST:
                requireSet(origin, fault, a.connections() != -1, "connections, how many connections fail (such as connections = 2)");
                return FaultSpec.failFirst((int) nonNegative(origin, "connections", a.connections()));
            default:
                throw new IllegalStateException("unknown fault " + fault);
        }
    }

    /**
     * Rejects attributes that mean nothing for the fault, and applies {@code jitterMs},
     * {@code toxicity} and {@code seed} to {@code spec}.
     */
    static FaultSpec modify(ChaosPort a, String origin, FaultSpec spec) {
        Fault fault = spec.fault();
        for (Attribute attribute : attributes(a)) {
            if (attribute.set() && !attribute.faults().contains(fault)) {
                throw invalid(origin, attribute.name() + " = " + attribute.value() + " means nothing for fault = "
                        + fault + "; remove it");
            }
        }
        FaultSpec result = spec;
        if (a.jitterMs() != ChaosPort.UNSET) {
            result = result.jitter(Duration.ofMillis(nonNegative(origin, "jitterMs", a.jitterMs())));
        }
        if (a.toxicity() != ChaosPort.UNSET_FRACTION) {
            result = result.toxicity(fraction(origin, "toxicity", a.toxicity()));
        }
        if (a.seed() != ChaosPort.NO_SEED) {
            result = result.seed(a.seed());
        }
        return result;
    }

    private static void requireSet(String origin, Fault fault, boolean set, String what) {
        if (!set) {
            throw invalid(origin, "fault = " + fault + " requires " + what);
        }
    }

    private static long nonNegative(String origin, String name, long value) {
        if (value < 0) {
            throw invalid(origin, name + " = " + value + " is negative; it must be 0 or more");
        }
        return value;
    }

    private static double fraction(String origin, String name, double value) {
        if (!(value >= 0.0 && value <= 1.0)) {
            throw invalid(origin, name + " = " + value + " is out of range; it must be between 0.0 and 1.0");
        }
        return value;
    }
}
