package dev.chaosjunit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.chaosjunit.ChaosProxy;

/** Two tests taking turns on two proxies, each on a thread of its own, as JUnit runs them in parallel. */
class ProxyTurnsTest {

    private ChaosProxy low;
    private ChaosProxy high;
    private ExecutorService threads;

    @BeforeEach
    void twoProxies() {
        // nothing listens upstream: only their listen addresses matter here
        ChaosProxy a = ChaosProxy.open("127.0.0.1", 9);
        ChaosProxy b = ChaosProxy.open("127.0.0.1", 9);
        low = a.port() < b.port() ? a : b;
        high = low == a ? b : a;
        threads = Executors.newFixedThreadPool(2);
    }

    @AfterEach
    void close() {
        threads.shutdownNow();
        low.close();
        high.close();
    }

    @Test
    void aTestThatNeedsAProxyBeforeOneItHolds_givesThatOneBackWhileItWaits_soTheTwoNeverWaitForEachOther()
            throws Exception {
        ProxyTurns first = new ProxyTurns("First.test()");
        ProxyTurns second = new ProxyTurns("Second.test()");
        first.take(List.of(high));
        second.take(List.of(low));

        // first now needs low, which second has: it gives back high and waits
        Future<?> firstTakesLow = threads.submit(() -> first.take(List.of(low)));
        Awaitility.await("first gives back the proxy after the one it waits for").atMost(Duration.ofSeconds(5))
                .until(() -> !first.holds(high));
        // so second can take high too, finish, and give both back
        threads.submit(() -> second.take(List.of(high))).get(5, TimeUnit.SECONDS);
        assertThat(second.holds(low) && second.holds(high)).isTrue();
        assertThat(firstTakesLow.isDone()).isFalse();
        second.close();

        firstTakesLow.get(5, TimeUnit.SECONDS);
        assertThat(first.holds(low) && first.holds(high)).isTrue();
        first.close();
        assertThat(first.holds(low) || first.holds(high)).isFalse();
    }

    @Test
    void aFreeProxyBeforeOneItHolds_isTakenAtOnce() throws Exception {
        ProxyTurns first = new ProxyTurns("First.test()");
        first.take(List.of(high));

        threads.submit(() -> first.take(List.of(low))).get(5, TimeUnit.SECONDS);

        assertThat(first.holds(low) && first.holds(high)).isTrue();
        first.close();
        ProxyTurns next = new ProxyTurns("Next.test()");
        threads.submit(() -> next.take(List.of(low, high))).get(5, TimeUnit.SECONDS);
        next.close();
    }
}
