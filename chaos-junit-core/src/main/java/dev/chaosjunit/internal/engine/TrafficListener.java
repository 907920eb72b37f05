package dev.chaosjunit.internal.engine;

import dev.chaosjunit.Direction;

/**
 * What the engine reports as it happens, for a per-test timeline of connections and bytes.
 * Called on the proxy's event-loop thread, so implementations must return quickly and must not
 * call back into the proxy synchronously. Times are {@link System#nanoTime()} values.
 *
 * <p>Public only because the Jupiter extension lives in another internal package; not API.
 */
public interface TrafficListener {

    /** Reports nothing; the default. */
    TrafficListener NONE = new TrafficListener() {
    };

    /** A client connected; {@code connectionId} is unique within one proxy. */
    default void connectionOpened(long connectionId, long atNanos) {
    }

    /** Both sockets of the connection are closed; {@code reason} is a short phrase such as "reset by RESET_PEER". */
    default void connectionClosed(long connectionId, String reason, long atNanos) {
    }

    /** {@code byteCount} bytes were written to the peer on {@code way}'s side ({@code UPSTREAM} or {@code DOWNSTREAM}). */
    default void bytesDelivered(long connectionId, Direction way, int byteCount, long atNanos) {
    }

    /** {@code byteCount} bytes read on {@code way} were discarded by a fault. */
    default void bytesDropped(long connectionId, Direction way, int byteCount, long atNanos) {
    }
}
