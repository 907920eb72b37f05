package dev.chaosjunit.internal.report;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.chaosjunit.ActiveFault;
import dev.chaosjunit.ChaosProxy;
import dev.chaosjunit.Direction;
import dev.chaosjunit.internal.engine.TrafficListener;

/**
 * The {@link TrafficListener} of one extension-managed proxy: forwards each event to the
 * timelines of the tests running now that use the proxy (usually one, often none). On the loop
 * thread it only walks a copy-on-write list and bumps atomic counters; it never blocks.
 *
 * <p>A shared proxy was started without a listener; its {@code ProxyTraffic} still records
 * faults, and the guard falls back to the proxy's {@link ChaosProxy#stats() counters}.
 */
public final class ProxyTraffic implements TrafficListener {

    private final boolean observesEngine;
    private final List<TestTimeline.ProxyLane> lanes = new CopyOnWriteArrayList<>();

    private ProxyTraffic(boolean observesEngine) {
        this.observesEngine = observesEngine;
    }

    /** For a proxy started with this as its listener. */
    public static ProxyTraffic listening() {
        return new ProxyTraffic(true);
    }

    /** For a proxy started by someone else, without a listener. */
    public static ProxyTraffic notListening() {
        return new ProxyTraffic(false);
    }

    boolean observesEngine() {
        return observesEngine;
    }

    void subscribe(TestTimeline.ProxyLane lane) {
        lanes.add(lane);
    }

    void unsubscribe(TestTimeline.ProxyLane lane) {
        lanes.remove(lane);
    }

    /**
     * Before a fault is injected through {@code proxy}: the current thread's test starts using the
     * proxy if it did not, so it sees what the fault does to open connections. Never throws.
     */
    public void beforeInject(ChaosProxy proxy) {
        try {
            TestTimeline current = TestTimeline.current();
            if (current != null) {
                current.attach(proxy, this);
            }
        } catch (RuntimeException e) {
            // the report must never break a test
        }
    }

    /**
     * Records a fault injected through {@code proxy} in the timeline of every test using the
     * proxy now, and in the current thread's test (which starts using the proxy if it did not).
     * Never throws.
     */
    public void faultInjected(ChaosProxy proxy, ActiveFault fault) {
        try {
            TestTimeline current = TestTimeline.current();
            if (current != null) {
                current.attach(proxy, this);
            }
            for (TestTimeline.ProxyLane lane : lanes) {
                lane.fault(fault);
            }
        } catch (RuntimeException e) {
            // the report must never break a test
        }
    }

    @Override
    public void connectionOpened(long connectionId, long atNanos) {
        for (TestTimeline.ProxyLane lane : lanes) {
            lane.traffic().opened(atNanos);
        }
    }

    @Override
    public void connectionClosed(long connectionId, String reason, long atNanos) {
        for (TestTimeline.ProxyLane lane : lanes) {
            lane.traffic().closed(atNanos);
        }
    }

    @Override
    public void bytesDelivered(long connectionId, Direction way, int byteCount, long atNanos) {
        for (TestTimeline.ProxyLane lane : lanes) {
            lane.traffic().delivered(way, byteCount, atNanos);
        }
    }

    @Override
    public void bytesDropped(long connectionId, Direction way, int byteCount, long atNanos) {
        for (TestTimeline.ProxyLane lane : lanes) {
            lane.traffic().dropped(way, byteCount, atNanos);
        }
    }
}
