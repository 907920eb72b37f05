package dev.chaosjunit;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * A TCP proxy between the code under test and one dependency. Point the client at
 * {@link #host()}:{@link #port()} instead of at the dependency, then break the connection with
 * {@link #inject(FaultSpec)}.
 *
 * <p>Inside a test, let chaos-junit create and close the proxy: declare a {@link ChaosPort} and
 * take a {@code ChaosProxy} parameter. Outside a test (a {@code main}, a benchmark, a Spring
 * {@code @DynamicPropertySource}), {@link #open(String, int)} starts one; close it when done.
 *
 * <p>All methods are thread-safe and return within milliseconds, even while traffic flows.
 */
public interface ChaosProxy extends AutoCloseable {

    /**
     * Starts an embedded proxy on {@code 127.0.0.1} and an ephemeral port, forwarding to
     * {@code upstreamHost:upstreamPort}.
     */
    static ChaosProxy open(String upstreamHost, int upstreamPort) {
        return dev.chaosjunit.internal.engine.TcpChaosProxy.start(upstreamHost, upstreamPort);
    }

    /** A short name for reports and messages, such as {@code "localhost:5432"}. */
    String name();

    /** The host clients connect to, such as {@code "127.0.0.1"}. */
    String host();

    /** The port clients connect to. Stable for the proxy's life, across {@link Fault#DOWN} and healing. */
    int port();

    /**
     * {@link #host()} and {@link #port()} together, ready to connect to ({@code host()} is an IP
     * address, so nothing is looked up).
     */
    default InetSocketAddress address() {
        return new InetSocketAddress(host(), port());
    }

    /** The dependency's host. */
    String upstreamHost();

    /** The dependency's port. */
    int upstreamPort();

    /** Starts a fault at once, on open connections and on new ones. Close the result to heal it. */
    ActiveFault inject(FaultSpec fault);

    /**
     * Injects {@code fault} on {@code schedule}: after a delay, for a duration, repeatedly. Each
     * occurrence is an {@link #inject(FaultSpec)} on this proxy and is healed when its duration is
     * over. When the schedule starts {@link FaultSchedule#immediately() immediately}, the first
     * occurrence acts before this method returns. Close the result to cancel the schedule and heal
     * the occurrence acting now.
     *
     * <pre>{@code
     * try (ScheduledFault outage = db.schedule(FaultSpec.down(),
     *         FaultSchedule.after(Duration.ofMillis(500)).lasting(Duration.ofSeconds(1)))) {
     *     // up until 500 ms from now, down until 1.5 s, then up again
     * }
     * }</pre>
     *
     * <p>Each schedule runs on a daemon thread of its own, {@code chaos-junit-schedule-<name()>},
     * which ends when the schedule is done or cancelled.
     *
     * @throws IllegalStateException if the proxy is closed, or the first occurrence, due at once,
     *         could not be injected
     */
    default ScheduledFault schedule(FaultSpec fault, FaultSchedule schedule) {
        return dev.chaosjunit.internal.FaultScheduler.start(this, fault, schedule);
    }

    /**
     * The schedules started on this proxy, by {@link #schedule(FaultSpec, FaultSchedule)} or by a
     * scheduled {@link ChaosPort}, that were not cancelled, oldest first; one that ran to its end
     * stays listed until the proxy heals. On a proxy chaos-junit manages, that is the test body's
     * schedules: for instance, with
     * {@code @ChaosPort(port = 5432, fault = Fault.DOWN, startAfterMs = 500, durationMs = 1000)},
     * {@code db.schedules().get(0).occurrences().get(0)} is the outage, for
     * {@code assertThatProbe(name).during(outage)} or {@code after(outage)}.
     */
    List<ScheduledFault> schedules();

    /** The faults acting now, oldest first. */
    List<ActiveFault> activeFaults();

    /**
     * Heals every active fault and cancels every {@link #schedule(FaultSpec, FaultSchedule) schedule}
     * started on this proxy, so that no fault acts until the next inject or schedule.
     */
    void heal();

    /** Counters of what went through the proxy so far. */
    TrafficStats stats();

    /** Cancels all schedules, heals all faults, closes all connections and frees the port and threads. Idempotent. */
    @Override
    void close();
}
