package dev.chaosjunit;

import static dev.chaosjunit.ChaosAssertions.assertThatRecovery;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RecoveryAssertTests {

    EchoServer server;
    ChaosProxy proxy;

    @BeforeEach
    void start() {
        server = EchoServer.start();
        proxy = ChaosProxy.open("127.0.0.1", server.port());
    }

    @AfterEach
    void stop() {
        proxy.close();
        server.close();
    }

    private Probe echoThroughProxy() {
        return () -> assertThat(EchoServer.roundTrip(proxy.host(), proxy.port(), "ping", 500)).isEqualTo("ping");
    }

    @Test
    void recovery_afterDown_isMeasuredFromTheHealing() throws Exception {
        ActiveFault outage = proxy.inject(FaultSpec.down());
        assertThatThrownBy(echoThroughProxy()::check).isInstanceOf(ConnectException.class);
        outage.close();

        Duration recovery = assertThatRecovery(echoThroughProxy()).after(outage).within(Duration.ofSeconds(2));

        assertThat(recovery).isPositive().isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void recovery_thatNeverHappens_failsWithWaitAttemptsAndLastError() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> assertThatRecovery(() -> {
            throw new IllegalStateException("still down");
        }).pollInterval(Duration.ofMillis(20)).afterNanoTime(start).within(Duration.ofMillis(300)))
                .isInstanceOf(AssertionError.class)
                .message()
                .matches("Expecting the probe to recover within 300 ms after the given start, but after 0\\.[3-9]\\d s"
                        + " and \\d+ attempts it still failed; last error: java\\.lang\\.IllegalStateException: still down");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void recovery_withAFaultStillActive_failsAfterTheProxyKeepsRefusing() {
        proxy.inject(FaultSpec.down());
        assertThatThrownBy(() -> assertThatRecovery(echoThroughProxy()).within(Duration.ofMillis(300)))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("Expecting the probe to recover within 300 ms, but after ")
                .hasMessageContaining("last error: java.net.ConnectException");
    }

    @Test
    void recovery_ofAHangingProbe_failsAtTheSlo() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> assertThatRecovery(() -> Thread.sleep(10_000)).within(Duration.ofMillis(300)))
                .isInstanceOf(AssertionError.class)
                .message()
                .matches("Expecting the probe to recover within 300 ms, but after 0\\.\\d\\d s and 1 attempt it had"
                        + " not recovered: attempt 1 was still running, for \\d+ ms(, longer than the SLO \\(the probe"
                        + " hangs\\))?");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void recovery_withAnAttemptInFlightShorterThanTheSlo_saysItWasStillRunning_notThatTheProbeHangs() {
        long start = System.nanoTime();
        Probe hangsAfter200Ms = () -> {
            if (System.nanoTime() - start < Duration.ofMillis(200).toNanos()) {
                throw new IllegalStateException("still down");
            }
            Thread.sleep(10_000);
        };
        assertThatThrownBy(() -> assertThatRecovery(hangsAfter200Ms).pollInterval(Duration.ofMillis(20))
                .afterNanoTime(start).within(Duration.ofMillis(400)))
                .isInstanceOf(AssertionError.class)
                .message()
                .matches("Expecting the probe to recover within 400 ms after the given start, but after 0\\.\\d\\d s and"
                        + " \\d+ attempts it had not recovered: attempt \\d+ was still running, for \\d+ ms; last error:"
                        + " java\\.lang\\.IllegalStateException: still down");
    }

    @Test
    void recovery_withAnAttemptInFlightLongerThanTheSlo_saysTheProbeHangs() {
        // the budget starts 300 ms from now, so the first call can run for longer than the 200 ms SLO
        long start = System.nanoTime() + Duration.ofMillis(300).toNanos();
        assertThatThrownBy(() -> assertThatRecovery(() -> Thread.sleep(10_000)).afterNanoTime(start)
                .within(Duration.ofMillis(200)))
                .isInstanceOf(AssertionError.class)
                .message()
                .matches("Expecting the probe to recover within 200 ms after the given start, but after 0\\.\\d\\d s and"
                        + " 1 attempt it had not recovered: attempt 1 was still running, for \\d+ ms, longer than the SLO"
                        + " \\(the probe hangs\\)");
    }

    @Test
    void consecutiveSuccesses_measuresToTheLastSuccessOfTheFirstRun() {
        // fail, ok, fail, ok, ok, ok: the first run of 3 ends with call 6
        boolean[] outcomes = {false, true, false, true, true, true, true};
        AtomicInteger calls = new AtomicInteger();
        Probe flaky = () -> {
            if (!outcomes[calls.getAndIncrement()]) {
                throw new IllegalStateException("flaky");
            }
        };

        Duration recovery = assertThatRecovery(flaky).consecutiveSuccesses(3).pollInterval(Duration.ofMillis(10))
                .within(Duration.ofSeconds(2));

        assertThat(calls).hasValue(6);
        assertThat(recovery).isGreaterThanOrEqualTo(Duration.ofMillis(50));
    }

    @Test
    void consecutiveSuccesses_neverReached_saysTheBestRun() {
        AtomicInteger calls = new AtomicInteger();
        Probe alternating = () -> {
            if (calls.getAndIncrement() % 2 == 0) {
                throw new IllegalStateException("every other call fails");
            }
        };
        assertThatThrownBy(() -> assertThatRecovery(alternating).consecutiveSuccesses(3)
                .pollInterval(Duration.ofMillis(10)).within(Duration.ofMillis(200)))
                .isInstanceOf(AssertionError.class)
                .message()
                .matches("Expecting the probe to recover within 200 ms, but after 0\\.\\d\\d s and \\d+ attempts it did"
                        + " not succeed 3 times in a row \\(at best 1\\); last error: java\\.lang\\.IllegalStateException:"
                        + " every other call fails");
    }

    @Test
    void dslIsImmutable() {
        RecoveryAssert base = assertThatRecovery(() -> { });
        RecoveryAssert strict = base.consecutiveSuccesses(1_000);

        assertThat(strict).isNotSameAs(base);
        assertThat(base.within(Duration.ofSeconds(1))).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void after_aFaultThatIsStillActive_isAnIllegalArgument() {
        ActiveFault outage = proxy.inject(FaultSpec.down());
        assertThatIllegalArgumentException().isThrownBy(() -> assertThatRecovery(echoThroughProxy()).after(outage))
                .withMessage("the fault DOWN is still active; heal it (close it) before asserting recovery after it");
    }

    @Test
    void invalidOptions_areIllegalArguments() {
        RecoveryAssert recovery = assertThatRecovery(() -> { });
        assertThatIllegalArgumentException().isThrownBy(() -> recovery.consecutiveSuccesses(0))
                .withMessage("consecutiveSuccesses must be 1 or more, but was 0");
        assertThatIllegalArgumentException().isThrownBy(() -> recovery.pollInterval(Duration.ZERO))
                .withMessage("pollInterval must be positive, but was PT0S");
        assertThatIllegalArgumentException().isThrownBy(() -> recovery.within(Duration.ofMillis(-1)))
                .withMessage("slo must be positive, but was PT-0.001S");
    }
}
