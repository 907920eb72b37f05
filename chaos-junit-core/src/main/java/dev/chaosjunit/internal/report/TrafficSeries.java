package dev.chaosjunit.internal.report;

import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.chaosjunit.Direction;

/**
 * What went through one proxy during one test, aggregated into {@link #BUCKET_NANOS} time
 * buckets so that a large transfer is a handful of numbers, not one event per chunk. Written on
 * the proxy's event-loop thread without locks (a skip-list map and atomic counters); read when
 * the test ends.
 */
final class TrafficSeries {

    /** The width of one bucket: 50 ms. */
    static final long BUCKET_NANOS = 50_000_000L;

    private final long originNanos;
    private final NavigableMap<Long, Bucket> buckets = new ConcurrentSkipListMap<>();
    private final AtomicLong events = new AtomicLong();

    TrafficSeries(long originNanos) {
        this.originNanos = originNanos;
    }

    /** Counters of one bucket. */
    static final class Bucket {
        final AtomicLong bytesUp = new AtomicLong();
        final AtomicLong bytesDown = new AtomicLong();
        final AtomicLong droppedUp = new AtomicLong();
        final AtomicLong droppedDown = new AtomicLong();
        final AtomicLong opened = new AtomicLong();
        final AtomicLong closed = new AtomicLong();
    }

    private Bucket bucket(long atNanos) {
        long index = Math.max(0, (atNanos - originNanos) / BUCKET_NANOS);
        events.incrementAndGet();
        Bucket bucket = buckets.get(index);
        if (bucket == null) {
            Bucket created = new Bucket();
            bucket = buckets.putIfAbsent(index, created);
            if (bucket == null) {
                bucket = created;
            }
        }
        return bucket;
    }

    void opened(long atNanos) {
        bucket(atNanos).opened.incrementAndGet();
    }

    void closed(long atNanos) {
        bucket(atNanos).closed.incrementAndGet();
    }

    void delivered(Direction way, int bytes, long atNanos) {
        Bucket b = bucket(atNanos);
        (way == Direction.UPSTREAM ? b.bytesUp : b.bytesDown).addAndGet(bytes);
    }

    void dropped(Direction way, int bytes, long atNanos) {
        Bucket b = bucket(atNanos);
        (way == Direction.UPSTREAM ? b.droppedUp : b.droppedDown).addAndGet(bytes);
    }

    /** How many events were reported; 0 means the proxy saw no traffic at all. */
    long events() {
        return events.get();
    }

    /** The buckets by index (bucket {@code i} starts {@code i * 50 ms} after the test started). */
    NavigableMap<Long, Bucket> buckets() {
        return buckets;
    }
}
