package dev.chaosjunit;

/**
 * The kinds of fault a {@link ChaosProxy} can inject. Each constant documents what the client
 * sees, which attributes of {@link ChaosPort} it takes, and its default {@link Direction}.
 */
public enum Fault {

    /**
     * Every chunk of bytes is delayed by {@code ms} milliseconds, counted from when the chunk
     * reached the proxy. Delays are pipelined: a 10 MB response under 500 ms of latency arrives
     * about 500 ms later in total, with unchanged throughput. The TCP handshake is not delayed.
     *
     * <p>Attributes: {@code ms} (required, &ge; 0). Default direction: {@link Direction#DOWNSTREAM}.
     */
    LATENCY(Direction.DOWNSTREAM),

    /**
     * The port is down: new connections are refused (the client's connect fails with
     * "Connection refused") and open connections are closed. Healing listens again on the same port.
     *
     * <p>Attributes: none. Direction: not applicable.
     */
    DOWN(null),

    /**
     * Data stops flowing and is dropped; connections stay open. With {@code ms > 0} they are closed
     * {@code ms} milliseconds later; with {@code ms = 0} they are held until the fault is removed.
     * Healing closes the connections that were held, since their streams have lost bytes.
     *
     * <p>Attributes: {@code ms} (optional, &ge; 0, default 0 = forever). Default direction: {@link Direction#BOTH}.
     */
    TIMEOUT(Direction.BOTH),

    /**
     * Connections are reset with a TCP RST (the client sees "Connection reset"), {@code ms}
     * milliseconds after the fault starts (0 = at once), live connections included.
     *
     * <p>Attributes: {@code ms} (optional, &ge; 0, default 0). Default direction: {@link Direction#BOTH}
     * (both peers see the reset); {@link Direction#DOWNSTREAM} resets only the client's side,
     * {@link Direction#UPSTREAM} only the dependency's side, closing the other side normally.
     */
    RESET_PEER(Direction.BOTH);

    private final Direction defaultDirection;

    Fault(Direction defaultDirection) {
        this.defaultDirection = defaultDirection;
    }

    /**
     * The direction used when none is given, or {@code null} when the fault acts on the whole
     * port rather than on a direction of traffic.
     */
    public Direction defaultDirection() {
        return defaultDirection;
    }

    /** Whether a direction means anything for this fault. */
    public boolean hasDirection() {
        return defaultDirection != null;
    }
}
