package dev.chaosjunit.internal.probe;

import java.util.ArrayList;
import java.util.List;

import dev.chaosjunit.ActiveFault;

/**
 * When one fault acted, as {@link System#nanoTime()} values.
 *
 * @param label such as {@code DOWN on localhost:5432}
 * @param startNanos when it started acting
 * @param endNanos when it was healed, or when it was looked at while it is still active
 * @param active whether it is still active
 */
public record FaultSpan(String label, long startNanos, long endNanos, boolean active) {

    /** The spans of {@code faults}; an active fault's span ends now. */
    public static List<FaultSpan> of(List<ActiveFault> faults) {
        long now = System.nanoTime();
        List<FaultSpan> spans = new ArrayList<>();
        for (ActiveFault fault : faults) {
            spans.add(of(fault, now));
        }
        return spans;
    }

    /** The span of {@code fault}, ending at {@code now} if it is still active. */
    public static FaultSpan of(ActiveFault fault, long now) {
        boolean healed = fault.isHealed();
        return new FaultSpan(label(fault), fault.startedAtNanos(), healed ? fault.healedAtNanos() : now, !healed);
    }

    /** Such as {@code DOWN on localhost:5432}. */
    public static String label(ActiveFault fault) {
        String proxy;
        try {
            proxy = fault.proxy().name();
        } catch (RuntimeException e) {
            proxy = null;
        }
        return fault.spec() + (proxy == null ? "" : " on " + proxy);
    }
}
