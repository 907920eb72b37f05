package dev.chaosjunit;

import static dev.chaosjunit.ChaosAssertions.assertThatEveryCall;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class FailFastAssertTests {

    @Test
    void callsThroughADownProxy_failFast() {
        try (EchoServer server = EchoServer.start(); ChaosProxy proxy = ChaosProxy.open("127.0.0.1", server.port())) {
            proxy.inject(FaultSpec.down());

            List<Duration> took = assertThatEveryCall(() -> EchoServer.roundTrip(proxy.host(), proxy.port(), "x", 5_000))
                    .failsWithin(Duration.ofSeconds(1));

            assertThat(took).hasSize(3).allMatch(d -> d.compareTo(Duration.ofSeconds(1)) < 0);
        }
    }

    @Test
    void aCallThatHangs_isCutOffAndReported() {
        try (EchoServer server = EchoServer.start(); ChaosProxy proxy = ChaosProxy.open("127.0.0.1", server.port())) {
            proxy.inject(FaultSpec.timeout());
            long start = System.nanoTime();

            assertThatThrownBy(() -> assertThatEveryCall(
                    () -> EchoServer.roundTrip(proxy.host(), proxy.port(), "x", 10_000)).failsWithin(Duration.ofMillis(300)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessage("Expecting every call to fail within 300 ms, but call 1 of 3 was still running after"
                            + " 300 ms (it hangs instead of failing fast)");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        }
    }

    @Test
    void aCallThatSucceeds_isReported() {
        AtomicInteger calls = new AtomicInteger();
        Probe secondSucceeds = () -> {
            if (calls.incrementAndGet() != 2) {
                throw new IllegalStateException("down");
            }
        };
        assertThatThrownBy(() -> assertThatEveryCall(secondSucceeds).failsWithin(Duration.ofSeconds(1)))
                .isInstanceOf(AssertionError.class)
                .hasMessage("Expecting every call to fail within 1 s, but call 2 of 3 succeeded");
    }

    @Test
    void attempts_setsTheNumberOfCalls() {
        AtomicInteger calls = new AtomicInteger();
        List<Duration> took = assertThatEveryCall(() -> {
            calls.incrementAndGet();
            throw new IllegalStateException("down");
        }).attempts(5).failsWithin(Duration.ofSeconds(1));

        assertThat(took).hasSize(5);
        assertThat(calls).hasValue(5);
    }

    @Test
    void invalidOptions_areIllegalArguments() {
        assertThatIllegalArgumentException().isThrownBy(() -> assertThatEveryCall(() -> { }).attempts(0))
                .withMessage("attempts must be 1 or more, but was 0");
        assertThatIllegalArgumentException().isThrownBy(() -> assertThatEveryCall(() -> { }).failsWithin(Duration.ZERO))
                .withMessage("maxPerCall must be positive, but was PT0S");
    }
}
