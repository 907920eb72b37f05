package dev.chaosjunit;

import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link ChaosProxy#schedule} on the real proxy and real sockets. Timing is checked on
 * {@link System#nanoTime()}: strictly never before its time, generously after it (a loaded
 * two-core machine wakes threads late).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ScheduledFaultTests {

    /** How late an occurrence may start or end on a loaded machine. */
    static final long LATE_MS = 150;

    static EchoServer echo;
    ChaosProxy proxy;

    @BeforeAll
    static void startEcho() {
        echo = EchoServer.start();
    }

    @AfterAll
    static void stopEcho() {
        echo.close();
    }

    @BeforeEach
    void openProxy() {
        proxy = ChaosProxy.open("127.0.0.1", echo.port());
    }

    @AfterEach
    void closeProxy() {
        proxy.close();
        assertNoScheduleThread(proxy);
    }

    /** "echo" if a round trip through the proxy works, "refused" if the connect is refused. */
    static String attempt(ChaosProxy proxy) throws IOException {
        try {
            return EchoServer.roundTrip(proxy.host(), proxy.port(), "echo", 2_000);
        } catch (ConnectException e) {
            return "refused";
        }
    }

    static void sleepUntil(long originNanos, long millis) throws InterruptedException {
        long remaining;
        while ((remaining = originNanos + TimeUnit.MILLISECONDS.toNanos(millis) - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(remaining);
        }
    }

    static long millisBetween(long fromNanos, long toNanos) {
        return TimeUnit.NANOSECONDS.toMillis(toNanos - fromNanos);
    }

    static void assertNoScheduleThread(ChaosProxy proxy) {
        assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(t -> t.getName().equals("chaos-junit-schedule-" + proxy.name()) && t.isAlive());
    }

    @Test
    void occurrencesStartAtTheirTime_neverBefore_andAreHealedAfterTheirDuration() {
        long origin = System.nanoTime();
        ScheduledFault outages = proxy.schedule(FaultSpec.down(),
                FaultSchedule.after(ofMillis(150)).lasting(ofMillis(100)).every(ofMillis(300)).times(3));

        assertThat(outages.awaitDone(ofSeconds(5))).isTrue();
        List<ActiveFault> occurrences = outages.occurrences();
        assertThat(occurrences).hasSize(3).allMatch(ActiveFault::isHealed);
        for (int k = 0; k < 3; k++) {
            ActiveFault occurrence = occurrences.get(k);
            long due = 150 + 300L * k;
            // never early; late by at most LATE_MS, and a late start does not push later ones
            assertThat(occurrence.startedAtNanos() - origin).as("start of occurrence %d", k)
                    .isBetween(ofMillis(due).toNanos(), ofMillis(due + LATE_MS).toNanos());
            assertThat(occurrence.healedAtNanos() - origin).as("end of occurrence %d", k)
                    .isBetween(ofMillis(due + 100).toNanos(), ofMillis(due + 100 + LATE_MS).toNanos());
            if (k > 0) {
                assertThat(occurrence.startedAtNanos()).as("occurrence %d starts after %d was healed", k, k - 1)
                        .isGreaterThan(occurrences.get(k - 1).healedAtNanos());
            }
        }
        assertThat(outages.isDone()).isTrue();
        assertThat(outages.isCancelled()).as("ran to its end").isFalse();
        assertThat(proxy.activeFaults()).isEmpty();
        assertNoScheduleThreadSoon(proxy);
        outages.close();
        assertThat(outages.isCancelled()).as("a close after the end cancels nothing").isFalse();
        assertThat(outages.toString()).endsWith("(3 occurrences, done)");
    }

    @Test
    void aDownSchedule_refusesConnectionsOnlyWhileItActs() throws Exception {
        long origin = System.nanoTime();
        try (ScheduledFault outage = proxy.schedule(FaultSpec.down(),
                FaultSchedule.after(ofMillis(200)).lasting(ofMillis(300)))) {
            sleepUntil(origin, 100);
            assertThat(attempt(proxy)).as("at 100 ms").isEqualTo("echo");
            sleepUntil(origin, 350);
            assertThat(attempt(proxy)).as("at 350 ms").isEqualTo("refused");
            sleepUntil(origin, 700);
            assertThat(attempt(proxy)).as("at 700 ms").isEqualTo("echo");
            assertThat(outage.isDone()).isTrue();
            assertThat(outage.occurrences()).singleElement().satisfies(o -> assertThat(o.isHealed()).isTrue());
        }
    }

    @Test
    void aScheduleThatStartsImmediately_actsBeforeScheduleReturns() throws Exception {
        try (ScheduledFault outage = proxy.schedule(FaultSpec.down(), FaultSchedule.immediately().lasting(ofSeconds(5)))) {
            assertThat(outage.occurrences()).hasSize(1);
            assertThat(attempt(proxy)).isEqualTo("refused");
            assertThat(proxy.activeFaults()).containsExactlyElementsOf(outage.occurrences());
        }
        assertThat(attempt(proxy)).isEqualTo("echo");
    }

    @Test
    void close_inTheMiddleOfAnOccurrence_healsAtOnce_startsNoMore_andEndsTheThread() throws Exception {
        ScheduledFault outages = proxy.schedule(FaultSpec.down(),
                FaultSchedule.immediately().lasting(ofSeconds(10)).every(ofSeconds(20)));
        assertThat(attempt(proxy)).isEqualTo("refused");

        long before = System.nanoTime();
        outages.close();
        assertThat(millisBetween(before, System.nanoTime())).as("close takes").isLessThan(1_000);

        assertNoScheduleThread(proxy);
        assertThat(attempt(proxy)).isEqualTo("echo");
        assertThat(outages.isDone()).isTrue();
        assertThat(outages.awaitDone(Duration.ZERO)).as("done, though cancelled").isTrue();
        assertThat(outages.isCancelled()).isTrue();
        assertThat(outages.toString()).endsWith("(1 occurrence, cancelled)");
        assertThat(outages.occurrences()).singleElement().satisfies(o -> {
            assertThat(o.isHealed()).isTrue();
            assertThat(o.healedAtNanos()).isBetween(before, System.nanoTime());
        });
        outages.close();
        assertThat(outages.occurrences()).hasSize(1);
    }

    @Test
    void close_beforeTheFirstOccurrence_meansItNeverStarts() throws Exception {
        ScheduledFault later = proxy.schedule(FaultSpec.down(), FaultSchedule.after(ofMillis(200)).lasting(ofMillis(100)));
        assertThat(later.isCancelled()).isFalse();
        later.close();
        assertThat(later.isCancelled()).isTrue();
        assertNoScheduleThread(proxy);
        Thread.sleep(350);
        assertThat(later.occurrences()).isEmpty();
        assertThat(attempt(proxy)).isEqualTo("echo");
    }

    @Test
    void every_withoutTimes_repeatsUntilCancelled() throws Exception {
        ScheduledFault flicker = proxy.schedule(FaultSpec.down(),
                FaultSchedule.immediately().lasting(ofMillis(30)).every(ofMillis(100)));
        Awaitility.await().atMost(ofSeconds(5)).until(() -> flicker.occurrences().size() >= 4);
        assertThat(flicker.isDone()).isFalse();
        assertThat(flicker.awaitDone(ofMillis(50))).isFalse();

        flicker.close();
        int count = flicker.occurrences().size();
        assertThat(flicker.isDone()).isTrue();
        Thread.sleep(250);
        assertThat(flicker.occurrences()).hasSize(count).allMatch(ActiveFault::isHealed);
        assertThat(proxy.activeFaults()).isEmpty();
    }

    @Test
    void withoutADuration_theOccurrenceActsUntilCancelled() throws Exception {
        ScheduledFault outage = proxy.schedule(FaultSpec.down(), FaultSchedule.after(ofMillis(50)));
        try {
            Awaitility.await().atMost(ofSeconds(5)).until(() -> outage.occurrences().size() == 1);
            Thread.sleep(200);
            assertThat(outage.isDone()).isFalse();
            assertThat(outage.isCancelled()).isFalse();
            assertThat(attempt(proxy)).isEqualTo("refused");
        } finally {
            outage.close();
        }
        assertThat(outage.isCancelled()).as("without a duration, only a cancel ends it").isTrue();
        assertThat(attempt(proxy)).isEqualTo("echo");
    }

    @Test
    void awaitDone_whenInterrupted_returnsFalse_andKeepsTheInterrupt() {
        try (ScheduledFault forever = proxy.schedule(FaultSpec.latency(ofMillis(1)), FaultSchedule.after(ofSeconds(60)))) {
            Thread.currentThread().interrupt();
            assertThat(forever.awaitDone(ofSeconds(10))).isFalse();
            assertThat(Thread.interrupted()).isTrue();
        }
    }

    @Test
    void close_whenInterrupted_stillWaitsForTheThread_andKeepsTheInterrupt() {
        ScheduledFault forever = proxy.schedule(FaultSpec.down(), FaultSchedule.after(ofSeconds(60)));
        Thread.currentThread().interrupt();
        forever.close();
        assertThat(Thread.interrupted()).isTrue();
        assertNoScheduleThread(proxy);
        assertThat(forever.isDone()).isTrue();
    }

    @Test
    void healingTheProxy_cancelsItsSchedules() throws Exception {
        ScheduledFault outages = proxy.schedule(FaultSpec.down(),
                FaultSchedule.immediately().lasting(ofMillis(100)).every(ofMillis(200)));
        proxy.heal();
        assertThat(outages.isDone()).isTrue();
        assertThat(outages.awaitDone(ofSeconds(1))).isTrue();
        assertThat(outages.isCancelled()).as("heal() cancelled it").isTrue();
        assertThat(outages).hasToString("DOWN immediately, lasting 100 ms, every 200 ms, until cancelled on 127.0.0.1:" + echo.port()
                + " (1 occurrence, cancelled)");
        assertNoScheduleThread(proxy);
        Thread.sleep(300);
        assertThat(outages.occurrences()).hasSize(1);
        assertThat(attempt(proxy)).isEqualTo("echo");
    }

    @Test
    void closingTheProxy_cancelsItsSchedules_andEndsTheirThreads() {
        ScheduledFault outages = proxy.schedule(FaultSpec.down(),
                FaultSchedule.after(ofMillis(50)).lasting(ofMillis(100)).every(ofMillis(200)));
        proxy.close();
        assertThat(outages.isDone()).isTrue();
        assertThat(outages.isCancelled()).isTrue();
        assertNoScheduleThread(proxy);
        assertThatThrownBy(() -> proxy.schedule(FaultSpec.down(), FaultSchedule.immediately()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("cannot schedule DOWN: the proxy for 127.0.0.1:" + echo.port() + " is closed");
    }

    @Test
    void toString_saysWhatWhenWhereAndHowFar() {
        try (ScheduledFault outage = proxy.schedule(FaultSpec.down(), FaultSchedule.immediately().lasting(ofMillis(50)))) {
            assertThat(outage.awaitDone(ofSeconds(5))).isTrue();
            assertThat(outage).hasToString("DOWN immediately, lasting 50 ms on 127.0.0.1:" + echo.port()
                    + " (1 occurrence, done)");
            assertThat(outage.spec()).isEqualTo(FaultSpec.down());
            assertThat(outage.schedule()).isEqualTo(FaultSchedule.immediately().lasting(ofMillis(50)));
            assertThat(outage.proxy()).isSameAs(proxy);
        }
    }

    @Test
    void everyOccurrence_goesThroughTheInjectOfTheProxyItWasScheduledOn() {
        CountingProxy counting = new CountingProxy(proxy, 0);
        try (ScheduledFault twice = counting.schedule(FaultSpec.down(),
                FaultSchedule.immediately().lasting(ofMillis(30)).every(ofMillis(60)).times(2))) {
            assertThat(twice.awaitDone(ofSeconds(5))).isTrue();
            assertThat(counting.injects.get()).isEqualTo(2);
            assertThat(twice.proxy()).isSameAs(counting);
        }
        assertNoScheduleThread(counting);
    }

    @Test
    void anOccurrenceThatCannotBeInjected_stopsTheSchedule_andTheFirstCloseSaysWhy() {
        CountingProxy failsSecond = new CountingProxy(proxy, 2);
        ScheduledFault schedule = failsSecond.schedule(FaultSpec.down(),
                FaultSchedule.immediately().lasting(ofMillis(30)).every(ofMillis(60)).times(3));
        assertThat(schedule.awaitDone(ofSeconds(5))).isTrue();
        assertThat(schedule.occurrences()).singleElement().satisfies(o -> assertThat(o.isHealed()).isTrue());

        assertThatThrownBy(schedule::close).isInstanceOf(IllegalStateException.class)
                .hasMessage("DOWN immediately, lasting 30 ms, every 60 ms, 3 times on 127.0.0.1:" + echo.port()
                        + " (1 occurrence, done) stopped early: java.lang.IllegalStateException: inject 2 fails")
                .cause().hasMessage("inject 2 fails");
        schedule.close();
        assertThat(schedule.isCancelled()).as("stopped by a failure, not cancelled").isFalse();
        assertNoScheduleThread(failsSecond);
    }

    @Test
    void aFirstOccurrenceDueAtOnce_thatCannotBeInjected_failsTheCall_andStartsNoThread() {
        CountingProxy failsFirst = new CountingProxy(proxy, 1);
        assertThatThrownBy(() -> failsFirst.schedule(FaultSpec.down(), FaultSchedule.immediately()))
                .isInstanceOf(IllegalStateException.class).hasMessage("inject 1 fails");
        assertNoScheduleThread(failsFirst);
    }

    private static void assertNoScheduleThreadSoon(ChaosProxy proxy) {
        // the thread ends right after it healed the last occurrence
        Awaitility.await().atMost(ofSeconds(3)).untilAsserted(() -> assertNoScheduleThread(proxy));
    }

    /** Another implementation of ChaosProxy, which only uses the interface's default schedule. */
    static final class CountingProxy implements ChaosProxy {

        final ChaosProxy delegate;
        final int failingInject;
        final AtomicInteger injects = new AtomicInteger();

        CountingProxy(ChaosProxy delegate, int failingInject) {
            this.delegate = delegate;
            this.failingInject = failingInject;
        }

        @Override
        public List<ScheduledFault> schedules() {
            return delegate.schedules();
        }

        @Override
        public String name() {
            return delegate.name();
        }

        @Override
        public String host() {
            return delegate.host();
        }

        @Override
        public int port() {
            return delegate.port();
        }

        @Override
        public String upstreamHost() {
            return delegate.upstreamHost();
        }

        @Override
        public int upstreamPort() {
            return delegate.upstreamPort();
        }

        @Override
        public ActiveFault inject(FaultSpec fault) {
            int n = injects.incrementAndGet();
            if (n == failingInject) {
                throw new IllegalStateException("inject " + n + " fails");
            }
            return delegate.inject(fault);
        }

        @Override
        public List<ActiveFault> activeFaults() {
            return delegate.activeFaults();
        }

        @Override
        public void heal() {
            delegate.heal();
        }

        @Override
        public TrafficStats stats() {
            return delegate.stats();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
