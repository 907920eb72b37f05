package dev.chaosjunit;

/**
 * A fault that was injected into a {@link ChaosProxy}. Closing it heals the fault; closing
 * is idempotent, so it is safe in try-with-resources and in cleanup code alike.
 *
 * <p>Times are {@link System#nanoTime()} values, the monotonic clock every chaos-junit
 * measurement uses.
 */
public interface ActiveFault extends AutoCloseable {

    /** What was injected. */
    FaultSpec spec();

    /** The proxy the fault acts on. */
    ChaosProxy proxy();

    /** When the fault started acting, as a {@link System#nanoTime()} value. */
    long startedAtNanos();

    /** Whether the fault has been healed. */
    boolean isHealed();

    /**
     * When the fault was healed, as a {@link System#nanoTime()} value.
     *
     * @throws IllegalStateException if the fault is still active
     */
    long healedAtNanos();

    /** Removes the fault. Does nothing if it was already removed. */
    @Override
    void close();
}
