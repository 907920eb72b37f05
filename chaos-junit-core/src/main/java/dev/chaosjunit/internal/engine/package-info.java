/**
 * The embedded TCP proxy engine. <b>Internal</b>: only {@link dev.chaosjunit.internal.engine.TcpChaosProxy}
 * (reached through {@link dev.chaosjunit.ChaosProxy#open}) and the
 * {@link dev.chaosjunit.internal.engine.TrafficListener} hook are public, for other internal packages.
 *
 * <p>How it fits together:
 * <ul>
 *   <li>{@code EventLoop}: one thread per proxy ({@code chaos-proxy-<port>}) owning the selector, every
 *       socket, connection, fault and timer. API calls become commands on it and wait for the answer.</li>
 *   <li>{@code Connection}: a client socket and a dependency socket ({@code Endpoint}s) with a {@code Flow}
 *       each way; a flow queues {@code Chunk}s with a ready time, applies backpressure and carries the
 *       half-close in order behind the bytes.</li>
 *   <li>{@code FaultBehavior}: one subclass per kind of fault, acting only through hooks: injected,
 *       connection reached, piece length (cut a read into pieces, never merged), chunk arrived (ready time or
 *       drop), chunk rescheduled (another fault was healed), connection closed, healed. Random choices
 *       come from the spec's seed mixed with the connection number and direction, so they replay.
 *       A new kind of fault is a new subclass plus one line in {@code FaultBehavior.of}.</li>
 *   <li>{@code TimerQueue}: deadlines on the loop (latency release, delayed close or reset), instead of
 *       sleeping threads.</li>
 * </ul>
 */
package dev.chaosjunit.internal.engine;
