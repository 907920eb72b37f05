package dev.chaosjunit.internal.engine;

import java.nio.ByteBuffer;

/**
 * Bytes read from one side in one read, waiting to be written to the other side; or the end of
 * the stream, which travels through the same queue so a half-close arrives after the bytes before it.
 */
final class Chunk {

    private static final ByteBuffer NO_BYTES = ByteBuffer.allocate(0);

    /** When the proxy read it; faults compute delays from this, not from when it is written. */
    final long arrivalNanos;

    /** When it may be written. Never earlier than the chunk before it in the same flow, so order holds. */
    long readyAtNanos;

    private final ByteBuffer bytes;
    private final boolean endOfStream;

    private Chunk(ByteBuffer bytes, boolean endOfStream, long arrivalNanos) {
        this.bytes = bytes;
        this.endOfStream = endOfStream;
        this.arrivalNanos = arrivalNanos;
    }

    /** A right-sized copy of what the shared read buffer holds between its position and limit. */
    static Chunk copyOf(ByteBuffer readBuffer, long arrivalNanos) {
        byte[] copy = new byte[readBuffer.remaining()];
        readBuffer.get(copy);
        return new Chunk(ByteBuffer.wrap(copy), false, arrivalNanos);
    }

    static Chunk endOfStream(long arrivalNanos) {
        return new Chunk(NO_BYTES, true, arrivalNanos);
    }

    boolean isEndOfStream() {
        return endOfStream;
    }

    /** The bytes not yet written; writing advances its position. */
    ByteBuffer unwritten() {
        return bytes;
    }

    int length() {
        return bytes.capacity();
    }
}
