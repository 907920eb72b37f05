package dev.chaosjunit.examples.spring;

import static dev.chaosjunit.ChaosAssertions.assertThatEveryCall;
import static dev.chaosjunit.ChaosAssertions.assertThatProbe;
import static dev.chaosjunit.ChaosAssertions.assertThatRecovery;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.chaosjunit.ActiveFault;
import dev.chaosjunit.ChaosPort;
import dev.chaosjunit.ChaosProxy;
import dev.chaosjunit.Fault;
import dev.chaosjunit.FaultSpec;
import dev.chaosjunit.HealthProbe;
import dev.chaosjunit.ProbeRecording;
import dev.chaosjunit.ProbeSample;
import dev.chaosjunit.ProxyFor;
import dev.chaosjunit.examples.ProbeCalls;
import dev.chaosjunit.testcontainers.ChaosContainers;
import dev.chaosjunit.testcontainers.RequiresDocker;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * A Spring Boot application whose datasource goes through a chaos proxy. The application context
 * is built before any test method runs, so {@code @DynamicPropertySource} asks
 * {@link ChaosContainers#jdbcUrl} for the proxy's URL; {@code @ChaosPort(port = 5432)} and
 * {@code @ProxyFor(port = 5432)} then act on that same proxy, and so on the application.
 *
 * <p>What the health probe ({@link WithAHealthProbe}) found: with Spring Boot's datasource
 * defaults, a stalled database (connections open, no answer) holds a repository call for as long as
 * the stall lasts, because the PostgreSQL driver has no socket timeout unless told (HikariCP only
 * bounds the wait for a connection): in a 2.5 s stall the probe's call took 2.5 s, released only
 * when the stall ended. With {@code spring.datasource.hikari.data-source-properties.socketTimeout=1}
 * the first call fails after 1 s, the next one when the pool gives up finding a live connection
 * (1 s connection timeout), and the pool recovers about 100 ms after the stall.
 */
@RequiresDocker
@Testcontainers
@SpringBootTest(classes = OrdersApplication.class, webEnvironment = WebEnvironment.NONE,
        properties = "spring.main.banner-mode=off")
class OrdersSpringBootChaosIT {

    @Container
    static final PostgreSQLContainer postgres = new PostgreSQLContainer("postgres:15");

    @DynamicPropertySource
    static void datasourceThroughTheProxy(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> ChaosContainers.jdbcUrl(postgres));
        registry.add("spring.datasource.username", postgres::getUsername);
        registry.add("spring.datasource.password", postgres::getPassword);
        // what the application would set anyway: callers wait at most 1 s for a connection
        registry.add("spring.datasource.hikari.maximum-pool-size", () -> 4);
        registry.add("spring.datasource.hikari.connection-timeout", () -> 1_000);
        registry.add("spring.datasource.hikari.validation-timeout", () -> 500);
        // the driver's read timeout, in seconds: without it a query on a stalled connection waits forever
        registry.add("spring.datasource.hikari.data-source-properties.socketTimeout", () -> 1);
        registry.add("spring.sql.init.mode", () -> "always");
        registry.add("spring.sql.init.schema-locations", () -> "classpath:orders/schema.sql");
    }

    @Autowired
    OrderRepository orders;

    @Autowired
    DataSource dataSource;

    @BeforeEach
    void startFromAHealthySystem() {
        // after an earlier test's outage, HikariCP may still be in its reconnect backoff (up to 5 s)
        assertThatRecovery(orders::count).within(Duration.ofSeconds(10));
    }

    @Test
    @ChaosPort(port = 5432, fault = Fault.LATENCY, ms = 300)
    void theApplicationTalksThroughTheProxyThatChaosPortSlowsDown(ChaosProxy db) {
        // the pool Spring Boot built points at the proxy, not at the container
        assertThat(((HikariDataSource) dataSource).getJdbcUrl()).contains("//" + db.host() + ":" + db.port() + "/");

        long start = System.nanoTime();
        String item = orders.item(2);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        System.out.printf("[spring] repository call took %d ms under %s%n", took.toMillis(),
                db.activeFaults().get(0).spec());

        assertThat(item).isEqualTo("tea");
        // one round trip per query, so at least the 300 ms; above, room for a loaded machine
        assertThat(took).isBetween(Duration.ofMillis(300), Duration.ofMillis(300 + 1_500));
    }

    @Test
    void springsPoolFailsFastDuringAnOutageAndRecoversWithinTheSlo(@ProxyFor(port = 5432) ChaosProxy db) {
        assertThat(orders.count()).isEqualTo(3);

        ActiveFault outage = db.inject(FaultSpec.down());
        // HikariCP lends a connection used in the last 500 ms without checking it: the first calls fail
        // at once on the connections the outage closed ("An I/O error occurred while sending to the
        // backend", SQL state 08006), which evicts them; once the pool is empty, a call waits for the
        // 1 s connection timeout (CannotGetJdbcConnectionException). Either way, no call hangs.
        assertThatThrownBy(orders::count).isInstanceOf(DataAccessResourceFailureException.class);
        List<Duration> failed = assertThatEveryCall(orders::count).failsWithin(Duration.ofSeconds(3));
        outage.close();

        // What this test found: the SLO cannot be much below 5 s. While the database is away, HikariCP
        // retries opening connections with a backoff that doubles from 10 ms up to 5 s, so after an
        // outage of a few seconds the pool may sleep for seconds after the database is back (the short
        // outage in PostgresOrderDatabaseChaosIT recovers in about 0.2 s).
        Duration recovery = assertThatRecovery(orders::count)
                .after(outage)
                .consecutiveSuccesses(3)
                .within(Duration.ofSeconds(6));
        System.out.printf("[spring] repository calls failed after %s ms during the outage; recovered %d ms after it%n",
                failed.stream().map(Duration::toMillis).toList(), recovery.toMillis());
    }

    /**
     * The repository's query, every 50 ms in the background, before, during and after the database
     * stalls for 2.5 s: connections stay open, but no byte comes back. In a nested class, so that the
     * probe's queries run only in this test; it shares the enclosing class's application context.
     */
    @Nested
    class WithAHealthProbe {

        @HealthProbe(intervalMs = 50)
        void orders() {
            orders.count();
        }

        @Test
        @ChaosPort(port = 5432, fault = Fault.TIMEOUT, startAfterMs = 500, durationMs = 2_500)
        void aStalledDatabaseFailsQueriesAtTheSocketTimeoutAndThePoolRecoversWithinTheSlo() throws InterruptedException {
            Duration recovery = assertThatProbe("orders").consecutiveSuccesses(3).recoversWithin(Duration.ofSeconds(3));
            Thread.sleep(500);

            // No call waits out the stall: the first fails at the 1 s socket timeout, the next ones when the pool
            // gives up finding a live connection (1 s connection timeout, plus up to 500 ms validating the last one).
            assertThatProbe("orders").duringFaults()
                    .hasErrorRateAtLeast(0.5)
                    .failsFastWithin(Duration.ofSeconds(2));
            assertThatProbe("orders").inSteadyState()
                    .hasErrorRateAtMost(0)
                    .hasLatencyPercentileAtMost(95, Duration.ofMillis(100));

            List<ProbeSample> calls = ProbeRecording.named("orders").samples();
            System.out.printf("[spring] probe: %d of %d repository calls failed during a 2.5 s stall, after %s ms"
                            + " (%s); recovered %d ms after it (3 in a row)%n", ProbeCalls.failedMillis(calls).size(),
                    calls.size(), ProbeCalls.failedMillis(calls), String.join(", ", ProbeCalls.errors(calls)),
                    recovery.toMillis());
        }
    }
}
