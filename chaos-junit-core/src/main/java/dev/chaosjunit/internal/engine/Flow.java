package dev.chaosjunit.internal.engine;

import dev.chaosjunit.Direction;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * One direction of a connection: bytes read from {@link #source} wait here as {@link Chunk}s
 * until their ready time, then are written to {@link #sink}. Faults decide each chunk's ready
 * time (or drop it) when it arrives, which is what lets latency pipeline instead of stalling.
 *
 * <p>Loop thread only.
 */
final class Flow {

    /**
     * While the sink is not keeping up, the proxy stops reading the source above this many queued
     * bytes, so a peer that never reads cannot make it buffer without bound.
     */
    static final int HIGH_WATER_BYTES = 1024 * 1024;

    /** Reading resumes below this, so the flow does not flap between paused and reading on every write. */
    static final int LOW_WATER_BYTES = 256 * 1024;

    /**
     * Bytes merely held back by a delaying fault are in flight, like bytes on a slow wire, and do
     * not count against {@link #HIGH_WATER_BYTES}: otherwise latency would cap throughput at
     * high-water / delay. This caps them instead, so throughput under a delay d is at least
     * {@code MAX_HELD_BYTES / d} (64 MB/s at 500 ms) and memory stays bounded.
     */
    static final int MAX_HELD_BYTES = 32 * 1024 * 1024;

    final Connection connection;
    /** {@link Direction#UPSTREAM} (client to dependency) or {@link Direction#DOWNSTREAM}. */
    final Direction way;
    final Endpoint source;
    final Endpoint sink;

    /** Null while empty, so an idle connection holds no queue. */
    private ArrayDeque<Chunk> queue;
    private long queuedBytes;
    private long lastReadyAtNanos;
    private boolean sourceEnded;
    /** An end of stream is queued (read from the source, or requested by a fault); nothing may follow it. */
    private boolean endQueued;
    private boolean endRequested;
    private boolean admitting;
    private boolean endDelivered;
    private boolean pausedByBackpressure;
    private boolean waitingForWritable;
    private TimerQueue.Timer releaseTimer;

    Flow(Connection connection, Direction way, Endpoint source, Endpoint sink) {
        this.connection = connection;
        this.way = way;
        this.source = source;
        this.sink = sink;
    }

    boolean wantsToRead() {
        return !sourceEnded && !pausedByBackpressure;
    }

    boolean isWaitingForWritable() {
        return waitingForWritable;
    }

    /** The end of the source's stream reached the sink as a half-close; nothing more will flow this way. */
    boolean isFinished() {
        return endDelivered;
    }

    long queuedBytes() {
        return queuedBytes;
    }

    /**
     * Reads at most one buffer-full, so that under a flood every other channel and every API
     * command still gets a turn on each loop iteration.
     */
    void readOnce(ByteBuffer sharedReadBuffer, long nowNanos) throws IOException {
        sharedReadBuffer.clear();
        int count = source.channel().read(sharedReadBuffer);
        if (count > 0) {
            sharedReadBuffer.flip();
            int end = sharedReadBuffer.limit();
            while (sharedReadBuffer.hasRemaining()) {
                // faults may cut what was read into pieces, each with a ready time of its own; never merged
                int piece = connection.loop.pieceLength(this, sharedReadBuffer.remaining());
                sharedReadBuffer.limit(sharedReadBuffer.position() + piece);
                admit(Chunk.copyOf(sharedReadBuffer, nowNanos));
                sharedReadBuffer.limit(end);
            }
        } else if (count < 0) {
            sourceEnded = true;
            admit(Chunk.endOfStream(nowNanos));
        }
    }

    private void admit(Chunk chunk) {
        EventLoop loop = connection.loop;
        if (endQueued) {
            // a fault ended this stream early (LIMIT_DATA): what follows is discarded, never written after the FIN
            loop.dropped(this, chunk.length(), chunk.arrivalNanos);
            return;
        }
        admitting = true;
        long readyAt;
        try {
            readyAt = loop.readyAtNanos(this, chunk, false);
        } finally {
            admitting = false;
        }
        if (readyAt == FaultBehavior.DROP) {
            loop.dropped(this, chunk.length(), chunk.arrivalNanos);
        } else {
            enqueue(chunk, readyAt);
        }
        if (endRequested && !endQueued) {
            queueEnd(chunk.arrivalNanos);
        }
    }

    private void enqueue(Chunk chunk, long readyAtNanos) {
        long readyAt = readyAtNanos;
        if (queue == null) {
            queue = new ArrayDeque<>(4);
        } else if (!queue.isEmpty() && lastReadyAtNanos - readyAt > 0) {
            // never overtake the chunk before: order matters more than any fault's wish
            readyAt = lastReadyAtNanos;
        }
        chunk.readyAtNanos = readyAt;
        lastReadyAtNanos = readyAt;
        queue.add(chunk);
        queuedBytes += chunk.length();
        updateBackpressure();
        if (chunk.isEndOfStream()) {
            endQueued = true;
        }
    }

    /**
     * Ends this direction's stream cleanly after the bytes already queued (a FIN to the sink);
     * anything read later is discarded. Used by faults that cut a stream short, such as LIMIT_DATA.
     */
    void requestEnd(long nowNanos) {
        endRequested = true;
        if (!admitting && !endQueued) {
            queueEnd(nowNanos);
            connection.flushLater(this);
        }
    }

    private void queueEnd(long nowNanos) {
        enqueue(Chunk.endOfStream(nowNanos), nowNanos);
    }

    private void updateBackpressure() {
        if (pausedByBackpressure) {
            pausedByBackpressure = waitingForWritable ? queuedBytes >= LOW_WATER_BYTES : queuedBytes >= MAX_HELD_BYTES / 2;
        } else {
            pausedByBackpressure = queuedBytes > MAX_HELD_BYTES || (waitingForWritable && queuedBytes > HIGH_WATER_BYTES);
        }
    }

    /** Writes every chunk that is due, as far as the sink accepts; arranges a wake-up for the next one. */
    void flush(long nowNanos) throws IOException {
        waitingForWritable = false;
        while (queue != null && !queue.isEmpty()) {
            Chunk head = queue.peek();
            if (head.readyAtNanos - nowNanos > 0) {
                scheduleRelease(head.readyAtNanos);
                break;
            }
            if (head.isEndOfStream()) {
                queue.poll();
                sink.channel().shutdownOutput();
                endDelivered = true;
                break;
            }
            ByteBuffer bytes = head.unwritten();
            int written = sink.channel().write(bytes);
            if (written > 0) {
                connection.loop.delivered(this, written, nowNanos);
            }
            if (bytes.hasRemaining()) {
                waitingForWritable = true;
                break;
            }
            queue.poll();
            queuedBytes -= head.length();
        }
        if (queue != null && queue.isEmpty()) {
            queue = null;
        }
        updateBackpressure();
    }

    private void scheduleRelease(long readyAtNanos) {
        if (releaseTimer != null && !releaseTimer.isCancelled() && releaseTimer.deadlineNanos - readyAtNanos <= 0) {
            return;
        }
        if (releaseTimer != null) {
            releaseTimer.cancel();
        }
        releaseTimer = connection.loop.timers().schedule(readyAtNanos, () -> {
            releaseTimer = null;
            connection.flushLater(this);
        });
    }

    /**
     * Recomputes the ready time of every held chunk from the faults active now, keeping order.
     * Called when a delaying fault is removed: what it held is released at once, nothing lost.
     */
    void reschedule(long nowNanos) {
        if (queue == null) {
            return;
        }
        connection.loop.beforeReschedule(this, nowNanos);
        boolean first = true;
        long previous = 0;
        for (Chunk chunk : queue) {
            long readyAt = connection.loop.readyAtNanos(this, chunk, true);
            if (readyAt == FaultBehavior.DROP) {
                // a dropping fault is active as well; it has already emptied the queue when it arrived,
                // so these chunks predate it and keep flowing as their own arrival time says
                readyAt = chunk.arrivalNanos;
            }
            if (!first && previous - readyAt > 0) {
                readyAt = previous;
            }
            chunk.readyAtNanos = readyAt;
            previous = readyAt;
            first = false;
        }
        lastReadyAtNanos = previous;
        if (releaseTimer != null) {
            releaseTimer.cancel();
            releaseTimer = null;
        }
        connection.flushLater(this);
    }

    /** Drops everything held, end of stream included: the stream has lost bytes, so its end must not look clean. */
    void discardQueued(long nowNanos) {
        if (queue != null) {
            for (Chunk chunk : queue) {
                connection.loop.dropped(this, chunk.unwritten().remaining(), nowNanos);
            }
            queue = null;
        }
        queuedBytes = 0;
        pausedByBackpressure = false;
        waitingForWritable = false;
        if (releaseTimer != null) {
            releaseTimer.cancel();
            releaseTimer = null;
        }
    }

    void cancelTimers() {
        if (releaseTimer != null) {
            releaseTimer.cancel();
            releaseTimer = null;
        }
    }
}
