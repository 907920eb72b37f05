package dev.chaosjunit.examples;

import static dev.chaosjunit.ChaosAssertions.assertThatEveryCall;
import static dev.chaosjunit.ChaosAssertions.assertThatProbe;
import static dev.chaosjunit.ChaosAssertions.assertThatRecovery;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;

import dev.chaosjunit.ActiveFault;
import dev.chaosjunit.ChaosPort;
import dev.chaosjunit.ChaosProxy;
import dev.chaosjunit.Fault;
import dev.chaosjunit.FaultSpec;
import dev.chaosjunit.ProbeRecording;
import dev.chaosjunit.ProbeSample;
import dev.chaosjunit.ProxyFor;
import dev.chaosjunit.testcontainers.RequiresDocker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * A session cache on a real Redis in a container, through Jedis (its pooled {@code RedisClient})
 * with a 500 ms socket timeout. {@code @ChaosPort(port = 6379)} finds the container exposing 6379.
 *
 * <p>What these tests found: a connection that is reset while it sits idle in Jedis's pool is lent
 * out again after the network healed, so one command fails with "Connection reset" before the pool
 * replaces it. {@code testOnBorrow} avoids that at the cost of a PING per command; otherwise the
 * application must expect (or retry) one failure per idle connection.
 *
 * <p>With a background probe ({@code ProbeRecording}, started in the test), a session read every
 * 50 ms while every connection is reset for a second: each read fails at once ("Connection reset",
 * or a new connection reset as it opens), none waits for the socket timeout, and three reads in a
 * row succeed about 100 ms after the resets end. The probe keeps its connection busy, so here no
 * idle connection is left to fail after the heal.
 */
@RequiresDocker
@Testcontainers
class RedisSessionCacheChaosIT {

    @Container
    static final GenericContainer<?> redis = new GenericContainer<>(DockerImageName.parse("redis:7"))
            .withExposedPorts(6379);

    /** The client's socket timeout: the longest a command may wait for Redis. */
    static final Duration CLIENT_TIMEOUT = Duration.ofMillis(500);

    static RedisClient sessions;

    @BeforeAll
    static void connectThroughTheProxy(@ProxyFor(port = 6379) ChaosProxy cache) {
        sessions = connect(cache, new ConnectionPoolConfig());
        sessions.set("session:42", "alice");
    }

    @BeforeEach
    void startFromAHealthySystem() {
        assertThatRecovery(this::readSession).within(Duration.ofSeconds(5));
    }

    @AfterAll
    static void closeClient() {
        if (sessions != null) {
            sessions.close();
        }
    }

    @Test
    @ChaosPort(port = 6379, fault = Fault.TIMEOUT)
    void aStalledCacheFailsAtTheClientTimeoutInsteadOfHanging() {
        // Redis accepts the connection and then never answers: only the client's timeout ends the wait
        long start = System.nanoTime();
        assertThatThrownBy(this::readSession)
                .isInstanceOf(JedisConnectionException.class)
                .hasRootCauseInstanceOf(SocketTimeoutException.class);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        List<Duration> next = assertThatEveryCall(this::readSession).failsWithin(CLIENT_TIMEOUT.plusSeconds(2));
        System.out.printf("[redis] commands against a stalled Redis failed after %d ms, then %s ms (socket timeout %d ms)%n",
                took.toMillis(), PostgresOrderDatabaseChaosIT.millis(next), CLIENT_TIMEOUT.toMillis());

        // at the timeout, not before it (that would be another error) and not much after it (a hang)
        assertThat(took).isBetween(CLIENT_TIMEOUT.minusMillis(50), CLIENT_TIMEOUT.plusMillis(1_000));
        assertThat(next).allSatisfy(call ->
                assertThat(call).isBetween(CLIENT_TIMEOUT.minusMillis(50), CLIENT_TIMEOUT.plusMillis(1_000)));
    }

    @Test
    void afterConnectionResetsTheClientReconnects(@ProxyFor(port = 6379) ChaosProxy cache) {
        assertThat(readSession()).isEqualTo("alice"); // a live pooled connection

        ActiveFault resets = cache.inject(FaultSpec.resetPeer());
        assertThatThrownBy(this::readSession)
                .isInstanceOf(JedisConnectionException.class);
        resets.close();

        // the pool dropped the reset connection; the next command opens a new one
        assertThat(readSession()).isEqualTo("alice");

        Duration recovery = assertThatRecovery(this::readSession)
                .after(resets)
                .consecutiveSuccesses(3)
                .within(Duration.ofSeconds(2));
        System.out.printf("[redis] client recovered %d ms after the resets ended (3 commands in a row)%n",
                recovery.toMillis());
    }

    @Test
    void aConnectionResetWhileIdleFailsOneCommandUnlessThePoolTestsOnBorrow(@ProxyFor(port = 6379) ChaosProxy cache) {
        // the default pool, as in most applications, and one that checks a connection (PING) before lending it
        ConnectionPoolConfig testOnBorrow = new ConnectionPoolConfig();
        testOnBorrow.setTestOnBorrow(true);
        try (RedisClient checked = connect(cache, testOnBorrow)) {
            assertThat(readSession()).isEqualTo("alice");
            assertThat(checked.get("session:42")).isEqualTo("alice");

            // resets while nobody sends anything: both pools keep a dead idle connection
            ActiveFault resets = cache.inject(FaultSpec.resetPeer());
            assertThatRecovery(() -> assertThat(cache.stats().connectionsOpen()).isZero()).within(Duration.ofSeconds(2));
            resets.close();

            // What this test found: the default pool lends the dead connection, so the first command
            // after the network healed still fails; only the next one gets a new connection.
            assertThatThrownBy(this::readSession)
                    .isInstanceOf(JedisConnectionException.class)
                    .hasMessageContaining("Connection reset");
            assertThat(readSession()).isEqualTo("alice");

            // Testing on borrow costs a PING per borrow, and no command fails.
            assertThat(checked.get("session:42")).isEqualTo("alice");
        }
    }

    @Test
    @ChaosPort(port = 6379, fault = Fault.RESET_PEER, startAfterMs = 500, durationMs = 1_000)
    void whileConnectionsAreResetCommandsFailAtOnceAndTheClientRecoversRightAfter() throws InterruptedException {
        // Started here rather than as a @HealthProbe, which would run in every test of the class, and the idle-reset
        // test above needs a pool that nobody uses. It belongs to this test: it stops with it, and is in the report.
        ProbeRecording session = ProbeRecording.start("session", Duration.ofMillis(50), this::readSession);

        Duration recovery = assertThatProbe(session).consecutiveSuccesses(3).recoversWithin(Duration.ofSeconds(1));
        Thread.sleep(500);

        // every command on a reset connection fails, at once: none waits for the 500 ms socket timeout
        assertThatProbe(session).duringFaults()
                .hasErrorRateAtLeast(0.9)
                .failsFastWithin(CLIENT_TIMEOUT);
        assertThatProbe(session).inSteadyState()
                .hasErrorRateAtMost(0)
                .hasLatencyPercentileAtMost(95, Duration.ofMillis(50));

        List<ProbeSample> calls = session.samples();
        System.out.printf("[redis] probe: %d of %d commands failed while connections were reset for 1 s, the slowest"
                        + " after %d ms (%s); the client recovered %d ms after it (3 in a row)%n",
                ProbeCalls.failedMillis(calls).size(), calls.size(),
                ProbeCalls.failedMillis(calls).stream().mapToLong(Long::longValue).max().orElse(0),
                String.join(", ", ProbeCalls.errors(calls)), recovery.toMillis());
    }

    static RedisClient connect(ChaosProxy cache, ConnectionPoolConfig pool) {
        return RedisClient.builder()
                .hostAndPort(cache.host(), cache.port())
                .clientConfig(DefaultJedisClientConfig.builder()
                        .connectionTimeoutMillis((int) CLIENT_TIMEOUT.toMillis())
                        .socketTimeoutMillis((int) CLIENT_TIMEOUT.toMillis())
                        .build())
                .poolConfig(pool)
                .build();
    }

    private String readSession() {
        return sessions.get("session:42");
    }
}
