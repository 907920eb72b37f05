package dev.chaosjunit.examples;

import static dev.chaosjunit.ChaosAssertions.assertThatEveryCall;
import static dev.chaosjunit.ChaosAssertions.assertThatProbe;
import static dev.chaosjunit.ChaosAssertions.assertThatRecovery;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.chaosjunit.ActiveFault;
import dev.chaosjunit.ChaosPort;
import dev.chaosjunit.ChaosProxy;
import dev.chaosjunit.Fault;
import dev.chaosjunit.FaultSchedule;
import dev.chaosjunit.FaultSpec;
import dev.chaosjunit.HealthProbe;
import dev.chaosjunit.ProbeRecording;
import dev.chaosjunit.ProbeSample;
import dev.chaosjunit.ProxyFor;
import dev.chaosjunit.ScheduledFault;
import dev.chaosjunit.testcontainers.RequiresDocker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * An order service's data access against a real PostgreSQL in a container, through HikariCP and
 * the PostgreSQL JDBC driver. {@code @ProxyFor(port = 5432)} finds the container that exposes
 * 5432 and puts a chaos proxy in front of it; the pool is built on the proxy's address, so each
 * test can make the database slow or take it away.
 *
 * <p>Unlike H2 (see {@link OrderDatabaseChaosIT}), the PostgreSQL driver reports a lost
 * connection with SQL state 08006, which HikariCP treats as fatal (it logs "marked as broken because
 * of SQLSTATE(08006)") and evicts: the pool recovers after an outage without any exception override.
 *
 * <p>With a background health probe ({@link WithAHealthProbe}), the query every 50 ms while
 * the database answers 200 ms late for a second (scheduled in code, {@code ChaosProxy.schedule}):
 * each query pays the delay once (about 202 ms, against about 2 ms before and after), none fails,
 * and the first query sent after the heal is fast again.
 */
@RequiresDocker
@Testcontainers
class PostgresOrderDatabaseChaosIT {

    @Container
    static final PostgreSQLContainer postgres = new PostgreSQLContainer("postgres:15");

    static HikariDataSource pool;

    @BeforeAll
    static void connectThePoolThroughTheProxy(@ProxyFor(port = 5432) ChaosProxy db) throws SQLException {
        HikariConfig config = new HikariConfig();
        // the container's own URL would bypass the proxy: same database, the proxy's host and port
        config.setJdbcUrl("jdbc:postgresql://" + db.host() + ":" + db.port() + "/" + postgres.getDatabaseName());
        config.setUsername(postgres.getUsername());
        config.setPassword(postgres.getPassword());
        config.setMaximumPoolSize(4);
        config.setConnectionTimeout(1_000); // how long a caller waits for a connection: our fail-fast bound
        config.setValidationTimeout(500);
        pool = new HikariDataSource(config);
        try (Connection connection = pool.getConnection(); Statement sql = connection.createStatement()) {
            sql.execute("create table orders (id int primary key, item varchar(40))");
            sql.execute("insert into orders values (1, 'coffee'), (2, 'tea'), (3, 'cake')");
        }
    }

    @BeforeEach
    void startFromAHealthySystem() {
        // An earlier test's outage may have left the pool empty, and HikariCP in its reconnect backoff,
        // which doubles from 10 ms up to 5 s while the database is away.
        assertThatRecovery(this::countOrders).within(Duration.ofSeconds(10));
    }

    @AfterAll
    static void closePool() {
        if (pool != null) {
            pool.close();
        }
    }

    @Test
    void latencyAddsTheInjectedDelayToQueryTime(@ProxyFor(port = 5432) ChaosProxy db) throws SQLException {
        Duration latency = Duration.ofMillis(250);
        Duration healthy = medianQueryTime(5);
        Duration slowed;
        String fault;
        try (ActiveFault slow = db.inject(FaultSpec.latency(latency))) {
            slowed = medianQueryTime(5);
            fault = slow.spec().toString();
        }
        Duration added = slowed.minus(healthy);
        System.out.printf("[postgres] median query: %d ms healthy, %d ms under %s (+%d ms)%n",
                healthy.toMillis(), slowed.toMillis(), fault, added.toMillis());

        // The driver sends parse, bind and execute in one go: a query is one round trip, so one delay.
        // No response can beat the delay; above, room for a loaded machine, but less than a second delay.
        assertThat(slowed).isGreaterThanOrEqualTo(latency);
        assertThat(added).isLessThan(latency.multipliedBy(2));
    }

    @Test
    @ChaosPort(port = 5432, fault = Fault.DOWN)
    void anOutageMakesQueriesFailFastInsteadOfHanging() {
        assertThatThrownBy(this::countOrders).isInstanceOf(SQLException.class);

        // HikariCP keeps trying to open a connection until its connection timeout (1 s), then gives up:
        // callers wait that long, and no longer, on a dead database
        List<Duration> took = assertThatEveryCall(this::countOrders).failsWithin(Duration.ofSeconds(3));
        System.out.printf("[postgres] queries during the outage failed after %s ms%n", millis(took));
    }

    @Test
    void thePoolRecoversWithinTheSloAfterAnOutage(@ProxyFor(port = 5432) ChaosProxy db) throws SQLException {
        assertThat(countOrders()).isEqualTo(3);

        ActiveFault outage = db.inject(FaultSpec.down());
        assertThatThrownBy(this::countOrders).isInstanceOf(SQLException.class);
        outage.close();

        // three in a row: the pool must hand out working connections, not just one lucky new one
        Duration recovery = assertThatRecovery(this::countOrders)
                .after(outage)
                .consecutiveSuccesses(3)
                .within(Duration.ofSeconds(3));
        System.out.printf("[postgres] pool recovered %d ms after the outage ended%n", recovery.toMillis());
    }

    /**
     * The order service's query through the pool, every 50 ms in the background, before, during
     * and after a second in which the database answers 200 ms late. In a nested class, so that the
     * probe's queries run only in this test.
     */
    @Nested
    class WithAHealthProbe {

        @HealthProbe(intervalMs = 50)
        void orders() throws SQLException {
            countOrders();
        }

        @Test
        void aSlowDatabaseSlowsEveryQueryByOneDelayAndNoneFails(@ProxyFor(port = 5432) ChaosProxy db)
                throws InterruptedException {
            Duration latency = Duration.ofMillis(200);
            ActiveFault slowdown;
            try (ScheduledFault slow = db.schedule(FaultSpec.latency(latency),
                    FaultSchedule.after(Duration.ofMillis(500)).lasting(Duration.ofSeconds(1)))) {
                assertThat(slow.awaitDone(Duration.ofSeconds(5))).isTrue();
                slowdown = slow.occurrences().get(0);
            }
            // the first query sent after the heal is fast again
            Duration recovery = assertThatProbe("orders").after(slowdown).recoversWithin(Duration.ofSeconds(1));
            Thread.sleep(500);

            assertThatProbe("orders").during(slowdown)
                    .hasErrorRateAtMost(0)                                    // slow, not broken: nothing timed out
                    .hasLatencyPercentileAtLeast(50, latency)                 // the delay bit: most queries paid it
                    .hasLatencyPercentileAtMost(95, latency.plusMillis(150)); // once: one round trip per query
            assertThatProbe("orders").inSteadyState()
                    .hasErrorRateAtMost(0)
                    .hasLatencyPercentileAtMost(95, Duration.ofMillis(100));

            ProbeRecording probe = ProbeRecording.named("orders");
            List<ProbeSample> slowed = ProbeCalls.during(probe, slowdown);
            List<ProbeSample> others = probe.samples().stream().filter(call -> !slowed.contains(call)).toList();
            System.out.printf("[postgres] probe: the %d queries during 1 s of %s took %s ms at the median (p95 %s ms),"
                            + " the other %d took %s ms; none failed; the first query after it returned %d ms after"
                            + " the heal%n", slowed.size(), slowdown.spec(), ProbeCalls.percentileMillis(slowed, 50),
                    ProbeCalls.percentileMillis(slowed, 95), others.size(), ProbeCalls.percentileMillis(others, 50),
                    recovery.toMillis());
        }
    }

    private int countOrders() throws SQLException {
        try (Connection connection = pool.getConnection();
             Statement sql = connection.createStatement();
             ResultSet rows = sql.executeQuery("select count(*) from orders")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private Duration medianQueryTime(int queries) throws SQLException {
        long[] nanos = new long[queries];
        for (int i = 0; i < queries; i++) {
            long start = System.nanoTime();
            countOrders();
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        return Duration.ofNanos(nanos[queries / 2]);
    }

    static List<Long> millis(List<Duration> durations) {
        return durations.stream().map(Duration::toMillis).toList();
    }
}
