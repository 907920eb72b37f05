package dev.chaosjunit;

/**
 * The kinds of fault a {@link ChaosProxy} can inject. Each constant documents what the client
 * sees, which attributes of {@link ChaosPort} it takes, and its default {@link Direction}.
 *
 * <p>Faults that act on connections one by one also take {@code toxicity}: the probability, from
 * 0.0 to 1.0 (default 1.0), that a given connection and direction is affected, decided once when
 * the fault reaches it (see {@link #takesToxicity()}). Every random choice comes from the fault's
 * seed ({@link FaultSpec#seed()}), so a run can be replayed.
 */
public enum Fault {

    /**
     * Every chunk of bytes is delayed by {@code ms} milliseconds, counted from when the chunk
     * reached the proxy. Delays are pipelined: a 10 MB response under 500 ms of latency arrives
     * about 500 ms later in total, with unchanged throughput. The TCP handshake is not delayed.
     *
     * <p>With {@code jitterMs}, each chunk's delay is drawn uniformly from
     * [{@code ms} &minus; jitter, {@code ms} + jitter] (never below zero); chunks still arrive in
     * order, so a chunk is never ready before the one before it. {@link Direction#BOTH} adds the
     * delay each way, so a round trip takes twice {@code ms}.
     *
     * <p>Attributes: {@code ms} (required, &ge; 0), {@code jitterMs} (optional, &ge; 0).
     * Default direction: {@link Direction#DOWNSTREAM}.
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
    RESET_PEER(Direction.BOTH),

    /**
     * Bytes are paced to {@code rate} KB/s (1 KB = 1000 bytes), separately for each connection and
     * direction; a large read is passed on in pieces of about 100 ms worth, so the client sees a
     * steady trickle, never a burst followed by a pause. {@code rate = 0} cuts the wire: data is
     * held (the connection stays open, reads block) and delivered, in order and complete, when the
     * fault is removed. Nothing is lost or reordered.
     *
     * <p>Attributes: {@code rate} (required, KB/s, &ge; 0). Default direction: {@link Direction#DOWNSTREAM}.
     */
    BANDWIDTH(Direction.DOWNSTREAM),

    /**
     * The end of the stream (the FIN a peer sends when it closes or half-closes) is passed on
     * {@code ms} milliseconds late; data is not delayed. The client reads every byte at once, then
     * waits {@code ms} before its read returns -1.
     *
     * <p>Attributes: {@code ms} (required, &ge; 0). Default direction: {@link Direction#DOWNSTREAM}.
     */
    SLOW_CLOSE(Direction.DOWNSTREAM),

    /**
     * Each chunk is cut into pieces of {@code averageSize} &plusmn; {@code sizeVariation} bytes
     * (uniformly, per piece), sent {@code delayUs} microseconds apart. Pieces are never merged, so
     * a client that assumes one read = one message sees partial messages. All bytes arrive, in order.
     *
     * <p>Attributes: {@code averageSize} (required, bytes, &gt; 0), {@code sizeVariation} (bytes,
     * 0 &le; variation &lt; averageSize, default 0), {@code delayUs} (microseconds, &ge; 0, default 0).
     * Default direction: {@link Direction#DOWNSTREAM}.
     */
    SLICER(Direction.DOWNSTREAM),

    /**
     * Exactly {@code bytes} bytes pass, per connection and direction; then the receiver's stream
     * ends cleanly (a FIN: its read returns -1 after exactly that many bytes). Later bytes from the
     * sender are discarded; the connection closes when the other side closes too. Each connection
     * gets its own {@code bytes}, counted from when the fault reached it.
     *
     * <p>Attributes: {@code bytes} (required, &ge; 0). Default direction: {@link Direction#DOWNSTREAM}.
     */
    LIMIT_DATA(Direction.DOWNSTREAM),

    /**
     * The port is open but nothing serves it: connects succeed, then the proxy closes the
     * connection at once with a FIN. The client's first read returns -1 (end of stream); a write
     * may succeed once and then fail with "Broken pipe" or "Connection reset". Open connections
     * are closed the same way. Compare {@link #DOWN} (connect refused) and {@link #ACCEPT_AND_HANG}.
     *
     * <p>Attributes: none. Direction: not applicable.
     */
    ACCEPT_AND_CLOSE(null),

    /**
     * The port is open but the server is stuck: connects succeed, then no byte ever passes either
     * way and nothing is closed. The client's reads block until its own read timeout
     * ({@link java.net.SocketTimeoutException}); writes succeed until the socket buffers fill.
     * Open connections go silent too. Healing closes the connections it held, since their streams
     * lost bytes. Compare {@link #DOWN} and {@link #ACCEPT_AND_CLOSE}.
     *
     * <p>Attributes: none. Direction: not applicable.
     */
    ACCEPT_AND_HANG(null),

    /**
     * Availability alternates while traffic flows: the port is up for {@code upFraction} of each
     * {@code periodMs}, then down (exactly like {@link #DOWN}: connects refused, open connections
     * closed) for the rest. It starts with an up phase. With {@code jitterMs}, each switch happens
     * up to that much earlier or later (uniformly, from the seed). Healing leaves the port up.
     *
     * <p>Attributes: {@code periodMs} (required, &gt; 0), {@code upFraction} (required, 0.0 to 1.0),
     * {@code jitterMs} (optional, &ge; 0). Direction: not applicable.
     */
    FLAP(null),

    /**
     * TCP packet loss as the application sees it: the stream stays complete and in order, but a
     * {@code fraction} of chunks suffers a retransmission stall of 200 ms (the minimum TCP
     * retransmission timeout), which doubles each time the retransmission is lost again (with the
     * same probability, at most 6 times: 12.6 s). A stall holds back the bytes behind it too
     * (head-of-line blocking), so reads see pauses, never errors.
     *
     * <p>Attributes: {@code fraction} (required, 0.0 to 1.0). Default direction: {@link Direction#BOTH}.
     */
    LOSS(Direction.BOTH),

    /**
     * The next {@code connections} connections accepted after the fault starts are reset (TCP RST)
     * at once: connect succeeds, then the first read or write fails with
     * {@link java.net.SocketException} "Connection reset". Later connections pass untouched, as do
     * connections open when the fault started. For testing retry logic.
     *
     * <p>Attributes: {@code connections} (required, &ge; 0). Direction: not applicable.
     */
    FAIL_FIRST(null);

    private final Direction defaultDirection;

    Fault(Direction defaultDirection) {
        this.defaultDirection = defaultDirection;
    }

    /**
     * Whether {@code toxicity} (the probability that a connection is affected) means anything for
     * this fault: true for every fault that acts on connections one by one, false for
     * {@link #DOWN} and {@link #FLAP} (the whole port) and {@link #FAIL_FIRST} (counts connections).
     */
    public boolean takesToxicity() {
        return this != DOWN && this != FLAP && this != FAIL_FIRST;
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
