package dev.chaosjunit;

import java.time.Duration;
import java.util.List;

/**
 * A fault that acts on a {@link FaultSchedule}: started by
 * {@link ChaosProxy#schedule(FaultSpec, FaultSchedule)}, each occurrence is an ordinary
 * {@link ActiveFault} injected into the proxy and healed when its duration is over.
 *
 * <p>Closing it cancels the schedule: no occurrence starts any more, the one acting now is healed
 * at once, and the schedule's thread has ended when {@code close()} returns. Closing is
 * idempotent, so it is safe in try-with-resources and in cleanup code alike:
 *
 * <pre>{@code
 * try (ScheduledFault outages = db.schedule(FaultSpec.down(),
 *         FaultSchedule.after(Duration.ofMillis(200)).lasting(Duration.ofMillis(300)))) {
 *     // ... before, during and after the outage
 *     assertThat(outages.awaitDone(Duration.ofSeconds(2))).isTrue();   // done: the outage ran and was healed
 *     assertThat(outages.isCancelled()).isFalse();                       // because it ran to its end
 * }
 * }</pre>
 *
 * <p>All methods are thread-safe.
 */
public interface ScheduledFault extends AutoCloseable {

    /** What is injected at each occurrence. */
    FaultSpec spec();

    /** When it is injected. */
    FaultSchedule schedule();

    /** The proxy the occurrences are injected into. */
    ChaosProxy proxy();

    /**
     * The occurrences started so far, in order, each with its start and (once over) heal time.
     * A snapshot: later occurrences do not appear in a list already returned.
     */
    List<ActiveFault> occurrences();

    /**
     * Whether the schedule is over: true once its last occurrence was healed (every occurrence
     * started and ended), or it was cancelled — see {@link #isCancelled()} to tell the two apart — or it
     * stopped because an occurrence could not be injected or healed ({@link #close()} then says
     * why). A schedule without an end ({@link FaultSchedule#every(Duration) every} without
     * {@link FaultSchedule#times(int) times}, or without {@link FaultSchedule#lasting(Duration) lasting})
     * is done only when cancelled.
     */
    boolean isDone();

    /**
     * Whether the schedule was cancelled before its last occurrence ended: by {@link #close()}, by
     * {@link ChaosProxy#heal()} or {@link ChaosProxy#close()} of its proxy, or by the end of the
     * test body it ran in. Then fewer occurrences ran than planned, or the last one was cut short.
     * False while the schedule runs, after it ran to its end (a close after that cancels nothing),
     * and when it stopped because an occurrence could not be injected.
     */
    boolean isCancelled();

    /**
     * Waits until {@link #isDone()}, at most {@code timeout}: true once the last occurrence was
     * healed, or the schedule was cancelled — see {@link #isCancelled()}.
     *
     * @return whether the schedule is done; {@code false} when the time ran out, or when the
     *         waiting thread was interrupted (its interrupt flag is set again)
     */
    boolean awaitDone(Duration timeout);

    /**
     * Cancels the schedule: no occurrence starts any more, the one acting now is healed at once,
     * and the schedule's thread has ended when this returns. Does nothing if already cancelled.
     *
     * @throws IllegalStateException on the first close, if an occurrence could not be injected or
     *         healed (the schedule stopped then); its cause says why
     */
    @Override
    void close();
}
