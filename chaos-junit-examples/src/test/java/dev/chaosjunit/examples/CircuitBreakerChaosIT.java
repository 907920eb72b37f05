package dev.chaosjunit.examples;

import static dev.chaosjunit.ChaosAssertions.assertThatEveryCall;
import static dev.chaosjunit.ChaosAssertions.assertThatProbe;
import static dev.chaosjunit.ChaosAssertions.assertThatRecovery;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.chaosjunit.ActiveFault;
import dev.chaosjunit.ChaosProxy;
import dev.chaosjunit.FaultSchedule;
import dev.chaosjunit.FaultSpec;
import dev.chaosjunit.HealthProbe;
import dev.chaosjunit.ProbeRecording;
import dev.chaosjunit.ProbeSample;
import dev.chaosjunit.ProxyFor;
import dev.chaosjunit.ScheduledFault;
import dev.chaosjunit.testcontainers.RequiresDocker;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.StateTransition;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * A Resilience4j circuit breaker in front of a real Redis: during an outage it must open and
 * reject calls without touching the network, and after the outage it must close again on its own,
 * within the SLO. The breaker's settings are the ones under test here: a small window so that it
 * opens quickly, and a short wait in the open state so that it tries again soon.
 *
 * <p>With a background health probe ({@link WithAHealthProbe}), the application's read
 * through the breaker every 50 ms while Redis goes away three times for 400 ms, 1.5 s apart
 * ({@code ChaosProxy.schedule} with {@code every} and {@code times}): each outage fails two calls
 * at the client, which opens the breaker, then the breaker rejects the rest without touching the
 * network, every failure within a few ms; after each outage it closes again 250 to 300 ms later,
 * as its 500 ms wait in the open state allows, and nothing fails between the outages.
 */
@RequiresDocker
@Testcontainers
class CircuitBreakerChaosIT {

    @Container
    static final GenericContainer<?> redis = new GenericContainer<>(DockerImageName.parse("redis:7"))
            .withExposedPorts(6379);

    static final int WINDOW = 4;
    static final Duration WAIT_IN_OPEN_STATE = Duration.ofMillis(500);
    /** The Redis client's connect and socket timeout. */
    static final Duration CLIENT_TIMEOUT = Duration.ofMillis(500);

    static RedisClient cache;

    CircuitBreaker breaker;
    final List<StateTransition> transitions = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void connectThroughTheProxy(@ProxyFor(port = 6379) ChaosProxy proxy) {
        cache = RedisClient.builder()
                .hostAndPort(proxy.host(), proxy.port())
                .clientConfig(DefaultJedisClientConfig.builder()
                        .connectionTimeoutMillis((int) CLIENT_TIMEOUT.toMillis())
                        .socketTimeoutMillis((int) CLIENT_TIMEOUT.toMillis())
                        .build())
                .build();
        cache.set("session:42", "alice");
    }

    @BeforeEach
    void newBreaker() {
        breaker = CircuitBreaker.of("redis", CircuitBreakerConfig.custom()
                .slidingWindowType(SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(WINDOW)
                .minimumNumberOfCalls(WINDOW)             // decide after 4 calls...
                .failureRateThreshold(50)                 // ...open when half of them failed
                .waitDurationInOpenState(WAIT_IN_OPEN_STATE)
                .permittedNumberOfCallsInHalfOpenState(2) // two good trial calls close it again
                .build());
        breaker.getEventPublisher().onStateTransition(event -> transitions.add(event.getStateTransition()));
    }

    @AfterAll
    static void closeClient() {
        if (cache != null) {
            cache.close();
        }
    }

    @Test
    void theBreakerOpensDuringAnOutageAndClosesWithinTheSloAfterIt(@ProxyFor(port = 6379) ChaosProxy proxy) {
        assertThat(readThroughBreaker()).isEqualTo("alice");

        ActiveFault outage = proxy.inject(FaultSpec.down());
        // the calls fail at the client (refused connections) until the window holds enough failures;
        // the good call above counts too, so 3 failures of 4 calls (75 %) open it
        int failed = 0;
        while (breaker.getState() == State.CLOSED) {
            assertThatThrownBy(this::readThroughBreaker).isInstanceOf(JedisConnectionException.class);
            failed++;
            assertThat(failed).as("failed calls before the breaker opened").isLessThanOrEqualTo(WINDOW);
        }
        assertThat(breaker.getState()).isEqualTo(State.OPEN);

        // open: calls are rejected at once, and never reach the client or the network
        assertThatThrownBy(this::readThroughBreaker).isInstanceOf(CallNotPermittedException.class);
        List<Duration> rejected = assertThatEveryCall(this::readThroughBreaker).failsWithin(Duration.ofSeconds(1));
        assertThat(breaker.getMetrics().getNumberOfNotPermittedCalls()).isEqualTo(1 + rejected.size());

        outage.close();
        // the probe calls through the breaker, as the application would, until the breaker is closed again
        Duration recovery = assertThatRecovery(() -> {
            readThroughBreaker();
            assertThat(breaker.getState()).isEqualTo(State.CLOSED);
        }).after(outage).within(WAIT_IN_OPEN_STATE.plusSeconds(2));

        System.out.printf("[breaker] opened after %d failed calls, rejected calls in %s ms, closed %d ms after the "
                + "outage ended (wait in open state %d ms); transitions %s%n", failed,
                PostgresOrderDatabaseChaosIT.millis(rejected), recovery.toMillis(), WAIT_IN_OPEN_STATE.toMillis(),
                transitions);
        assertThat(transitions).containsExactly(
                StateTransition.CLOSED_TO_OPEN, StateTransition.OPEN_TO_HALF_OPEN, StateTransition.HALF_OPEN_TO_CLOSED);
    }

    /**
     * The application's read through the breaker, every 50 ms in the background, while the cache
     * goes away three times for 400 ms. In a nested class, so that the probe's calls run only in
     * this test (they go through the same breaker as the test's own).
     */
    @Nested
    class WithAHealthProbe {

        @HealthProbe(intervalMs = 50)
        void session() {
            readThroughBreaker();
        }

        @Test
        void aFlappingCacheOpensTheBreakerEachTimeAndItClosesWithinTheSloAfterEachOutage(
                @ProxyFor(port = 6379) ChaosProxy proxy) throws InterruptedException {
            List<ActiveFault> outages;
            try (ScheduledFault flapping = proxy.schedule(FaultSpec.down(), FaultSchedule.after(Duration.ofMillis(500))
                    .lasting(Duration.ofMillis(400)).every(Duration.ofMillis(1_500)).times(3))) {
                assertThat(flapping.awaitDone(Duration.ofSeconds(10))).isTrue();
                outages = flapping.occurrences();
            }
            // After each outage the breaker stays open until its wait (500 ms from opening) is over, then two
            // good trial calls close it: the probe succeeds twice in a row once it is closed again.
            List<Long> recoveries = new ArrayList<>();
            for (ActiveFault outage : outages) {
                recoveries.add(assertThatProbe("session").after(outage).consecutiveSuccesses(2)
                        .recoversWithin(WAIT_IN_OPEN_STATE.plusMillis(500)).toMillis());
            }
            Thread.sleep(500);

            // during the outages every call fails, and fast: refused at first, then rejected by the open breaker
            // without touching the network; none waits for the client's 500 ms timeout
            assertThatProbe("session").duringFaults()
                    .hasErrorRateAtLeast(0.9)
                    .failsFastWithin(CLIENT_TIMEOUT);
            // between the outages, once closed again, not one call fails
            assertThatProbe("session").inSteadyState()
                    .hasErrorRateAtMost(0)
                    .hasLatencyPercentileAtMost(95, Duration.ofMillis(50));
            assertThat(transitions).containsExactly(
                    StateTransition.CLOSED_TO_OPEN, StateTransition.OPEN_TO_HALF_OPEN, StateTransition.HALF_OPEN_TO_CLOSED,
                    StateTransition.CLOSED_TO_OPEN, StateTransition.OPEN_TO_HALF_OPEN, StateTransition.HALF_OPEN_TO_CLOSED,
                    StateTransition.CLOSED_TO_OPEN, StateTransition.OPEN_TO_HALF_OPEN, StateTransition.HALF_OPEN_TO_CLOSED);

            List<ProbeSample> calls = ProbeRecording.named("session").samples();
            long refused = calls.stream().filter(call -> !call.succeeded())
                    .filter(call -> !call.error().startsWith(CallNotPermittedException.class.getName())).count();
            long rejected = calls.stream().filter(call -> !call.succeeded()).count() - refused;
            System.out.printf("[breaker] probe: 3 outages of 400 ms, each opened the breaker; %d calls failed at the"
                            + " client and %d were rejected by the open breaker, the slowest in %d ms; closed again"
                            + " %s ms after each outage ended (wait in open state %d ms)%n", refused, rejected,
                    ProbeCalls.failedMillis(calls).stream().mapToLong(Long::longValue).max().orElse(0), recoveries,
                    WAIT_IN_OPEN_STATE.toMillis());
        }
    }

    private String readThroughBreaker() {
        return breaker.executeSupplier(() -> cache.get("session:42"));
    }
}
