package dev.chaosjunit.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import dev.chaosjunit.ChaosProxy;

/**
 * The proxies one test holds: tests that share a proxy take turns on it. A fault on a proxy acts on
 * the traffic of every test that goes through it, and the end of a test heals and cancels what is
 * left on its proxies, so two tests using one proxy at once would undo each other's faults and find
 * each other's in their timelines.
 *
 * <p>One permit per proxy, named by its listen address (several {@link ManagedProxy} views of one
 * shared proxy are one proxy here), for the whole JVM. A test takes its proxies in one global order
 * (port, then host), so that two tests never wait for each other. When a test needs a proxy that
 * comes before one it already holds (a proxy first created by a parameter), it tries to take it at
 * once, and only if another test holds it gives back the ones after it and takes them all again
 * in order.
 *
 * <p>Permits, not locks: a permit is not tied to a thread, so the callbacks that take and give back
 * may run on different threads. Waiting is fair (first come, first served) and can be interrupted.
 * A test that has waited 10 s for its turn says so on stderr, naming the test that holds the proxy.
 */
final class ProxyTurns implements AutoCloseable {

    static final long WAIT_NOTICE_SECONDS = 10;

    private static final Map<Key, Semaphore> PERMITS = new ConcurrentHashMap<>();
    private static final Map<Key, String> HOLDERS = new ConcurrentHashMap<>();

    private final String test;
    /** Changed under {@code this}; read at any time. */
    private final NavigableSet<Key> held = new ConcurrentSkipListSet<>();

    /** @param test names the test in the notice of a long wait, such as {@code OrdersTest.outage()} */
    ProxyTurns(String test) {
        this.test = test;
    }

    /** A proxy, as its listen address. */
    private record Key(int port, String host) implements Comparable<Key> {

        static Key of(ChaosProxy proxy) {
            return new Key(proxy.port(), proxy.host().toLowerCase(Locale.ROOT));
        }

        @Override
        public int compareTo(Key other) {
            int byPort = Integer.compare(port, other.port);
            return byPort != 0 ? byPort : host.compareTo(other.host);
        }

        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    /** Whether this test holds {@code proxy}. */
    boolean holds(ChaosProxy proxy) {
        return held.contains(Key.of(proxy));
    }

    /**
     * Takes every one of {@code proxies} this test does not hold yet, waiting for the tests that
     * hold them to end.
     *
     * @throws IllegalStateException if interrupted while waiting; what was taken until then stays
     *         held, for {@link #close()}
     */
    synchronized void take(Collection<? extends ChaosProxy> proxies) {
        NavigableSet<Key> wanted = new TreeSet<>();
        for (ChaosProxy proxy : proxies) {
            Key key = Key.of(proxy);
            if (!held.contains(key)) {
                wanted.add(key);
            }
        }
        if (wanted.isEmpty()) {
            return;
        }
        if (!held.isEmpty() && wanted.first().compareTo(held.last()) < 0) {
            // out of order: free ones are taken at once; for a busy one, give back what comes after it
            for (Key key : new ArrayList<>(wanted)) {
                if (permit(key).tryAcquire()) {
                    taken(key);
                    wanted.remove(key);
                }
            }
            if (wanted.isEmpty()) {
                return;
            }
            NavigableSet<Key> after = new TreeSet<>(held.tailSet(wanted.first(), false));
            for (Key key : after.descendingSet()) {
                give(key);
            }
            wanted.addAll(after);
        }
        for (Key key : wanted) {
            acquire(key);
        }
    }

    private void acquire(Key key) {
        Semaphore permit = permit(key);
        try {
            if (!permit.tryAcquire(WAIT_NOTICE_SECONDS, TimeUnit.SECONDS)) {
                String holder = HOLDERS.get(key);
                System.err.println("[chaos] " + test + " has waited " + WAIT_NOTICE_SECONDS + " s for its turn on"
                        + " the chaos proxy " + key + (holder == null ? "" : ", which " + holder + " uses")
                        + "; tests that share a proxy take turns, and it waits until that test has ended");
                permit.acquire();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(test + " was interrupted while waiting for its turn on the chaos proxy "
                    + key, e);
        }
        taken(key);
    }

    private void taken(Key key) {
        held.add(key);
        HOLDERS.put(key, test);
    }

    private void give(Key key) {
        held.remove(key);
        HOLDERS.remove(key, test);
        permit(key).release();
    }

    private static Semaphore permit(Key key) {
        return PERMITS.computeIfAbsent(key, k -> new Semaphore(1, true));
    }

    /** Gives back every proxy this test holds, last taken first. Idempotent. */
    @Override
    public synchronized void close() {
        List<Key> all = new ArrayList<>(held.descendingSet());
        for (Key key : all) {
            give(key);
        }
    }
}
