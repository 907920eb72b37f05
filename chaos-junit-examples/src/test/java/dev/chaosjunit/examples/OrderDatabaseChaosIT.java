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
import java.util.List;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.SQLExceptionOverride;
import dev.chaosjunit.ActiveFault;
import dev.chaosjunit.ChaosPort;
import dev.chaosjunit.ChaosProxy;
import dev.chaosjunit.ChaosTarget;
import dev.chaosjunit.Fault;
import dev.chaosjunit.FaultSpec;
import dev.chaosjunit.HealthProbe;
import dev.chaosjunit.ProbeRecording;
import dev.chaosjunit.ProbeSample;
import dev.chaosjunit.ProxyFor;
import org.h2.api.ErrorCode;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * An order service's data access, against a real SQL database server over TCP (H2 in server
 * mode) through a real connection pool (HikariCP). The pool talks to the database through a
 * chaos proxy, so each test can make the database slow or take it away.
 *
 * <p>What these tests found: after an outage, HikariCP kept handing out connections that H2's
 * driver had already marked broken, because HikariCP evicts a connection only on SQL states of
 * class 08 and H2 reports its own codes (90067, 90121). The pool never recovered until it was
 * told to evict on those codes: {@link EvictBrokenH2Connections}.
 *
 * <p>With a background health probe ({@link WithAHealthProbe}), the order service's query every
 * 50 ms through a 1.5 s outage: the first query fails at once on a connection the outage closed,
 * the next waits out the pool's 1 s connection timeout and fails, and a query that starts less
 * than that before the database is back just waits and succeeds; no query waits longer. Three
 * good queries in a row about 150 ms after the outage; before and after it, not one error.
 */
class OrderDatabaseChaosIT {

    /** The database server, on a port the operating system picks. */
    static final Server database = startDatabase();

    @ChaosTarget("orders-db")
    static int databasePort() {
        return database.getPort();
    }

    /** How long a caller waits for a connection from the pool before it gets an error. */
    static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(1);

    static HikariDataSource pool;

    @BeforeAll
    static void connectThePoolThroughTheProxy(@ProxyFor(target = "orders-db") ChaosProxy db) throws SQLException {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:h2:tcp://" + db.host() + ":" + db.port() + "/mem:orders;DB_CLOSE_DELAY=-1");
        config.setUsername("sa");
        config.setMaximumPoolSize(4);
        config.setConnectionTimeout(CONNECTION_TIMEOUT.toMillis()); // our fail-fast bound
        config.setValidationTimeout(500);
        config.setExceptionOverrideClassName(EvictBrokenH2Connections.class.getName());
        pool = new HikariDataSource(config);
        try (Connection connection = pool.getConnection(); Statement sql = connection.createStatement()) {
            sql.execute("create table orders (id int primary key, item varchar(40))");
            sql.execute("insert into orders values (1, 'coffee'), (2, 'tea'), (3, 'cake')");
        }
    }

    @BeforeEach
    void startFromAHealthySystem() {
        // an earlier test's outage may have left broken connections in the pool
        assertThatRecovery(this::countOrders).within(Duration.ofSeconds(5));
    }

    @AfterAll
    static void closePoolAndDatabase() {
        if (pool != null) {
            pool.close();
        }
        database.stop();
    }

    @Test
    @ChaosPort(target = "orders-db", fault = Fault.LATENCY, ms = 300)
    void aSlowDatabaseMakesEveryQuerySlower() throws SQLException {
        long start = System.nanoTime();
        int orders = countOrders();
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(orders).isEqualTo(3);
        // H2's protocol makes two round trips per query (prepare, then execute): each one is 300 ms late.
        // Generous above, for a loaded machine.
        assertThat(took).isBetween(Duration.ofMillis(2 * 300), Duration.ofMillis(2 * 300 + 2_000));
    }

    @Test
    void latencyAddsTheInjectedDelayToQueryTime(@ProxyFor(target = "orders-db") ChaosProxy db) throws SQLException {
        Duration healthy = medianQueryTime(5);
        Duration slowed;
        String fault;
        try (ActiveFault slow = db.inject(FaultSpec.latency(Duration.ofMillis(200)))) {
            slowed = medianQueryTime(5);
            fault = slow.spec().toString();
        }
        Duration added = slowed.minus(healthy);
        System.out.printf("[orders-db] median query: %d ms healthy, %d ms under %s (+%d ms)%n",
                healthy.toMillis(), slowed.toMillis(), fault, added.toMillis());

        // two round trips per query (prepare, execute), each 200 ms later
        assertThat(added).isBetween(Duration.ofMillis(2 * 200 - 10), Duration.ofMillis(2 * 200 + 1_000));
    }

    @Test
    @ChaosPort(target = "orders-db", fault = Fault.DOWN)
    void anOutageMakesQueriesFailFastInsteadOfHanging() {
        assertThatEveryCall(this::countOrders).failsWithin(Duration.ofSeconds(3));
    }

    @Test
    void thePoolRecoversWithinTheSloAfterAnOutage(@ProxyFor(target = "orders-db") ChaosProxy db) throws SQLException {
        assertThat(countOrders()).isEqualTo(3);

        ActiveFault outage = db.inject(FaultSpec.down());
        assertThatThrownBy(this::countOrders).isInstanceOf(SQLException.class);
        outage.close();

        Duration recovery = assertThatRecovery(this::countOrders)
                .after(outage)
                .within(Duration.ofSeconds(5));
        System.out.printf("[orders-db] pool recovered %d ms after the outage ended%n", recovery.toMillis());
    }

    /**
     * The order service's query through the pool, every 50 ms in the background, before, during
     * and after an outage that outlasts the pool's connection timeout. In a nested class, so that
     * the probe's queries run only in this test.
     */
    @Nested
    class WithAHealthProbe {

        @HealthProbe(intervalMs = 50)
        void orders() throws SQLException {
            countOrders();
        }

        @Test
        @ChaosPort(target = "orders-db", fault = Fault.DOWN, startAfterMs = 500, durationMs = 1_500)
        void queriesFailFastOnlyWhileTheDatabaseIsDownAndThePoolRecoversWithinTheSlo() throws InterruptedException {
            // waits for the outage to end, then for three good queries in a row (thanks to EvictBrokenH2Connections)
            Duration recovery = assertThatProbe("orders").consecutiveSuccesses(3).recoversWithin(Duration.ofSeconds(2));
            Thread.sleep(500); // some steady state after the recovery

            // the outage bit, and no query waited longer than the pool's connection timeout (plus room for a busy machine)
            assertThatProbe("orders").duringFaults()
                    .hasErrorRateAtLeast(0.5)
                    .failsFastWithin(CONNECTION_TIMEOUT.plusMillis(700));
            // before and after it: not one error, and fast
            assertThatProbe("orders").inSteadyState()
                    .hasErrorRateAtMost(0)
                    .hasLatencyPercentileAtMost(95, Duration.ofMillis(100));

            List<ProbeSample> calls = ProbeRecording.named("orders").samples();
            System.out.printf("[orders-db] probe: %d of %d queries failed during a 1.5 s outage, after %s ms (%s);"
                            + " the pool recovered %d ms after it (3 in a row)%n", ProbeCalls.failedMillis(calls).size(),
                    calls.size(), ProbeCalls.failedMillis(calls), String.join(", ", ProbeCalls.errors(calls)),
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
        java.util.Arrays.sort(nanos);
        return Duration.ofNanos(nanos[queries / 2]);
    }

    /** Tells HikariCP to drop a connection when H2 says it is broken or closed. */
    public static class EvictBrokenH2Connections implements SQLExceptionOverride {
        @java.lang.Override // plain @Override would name HikariCP's nested enum
        public Override adjudicate(SQLException e) {
            return e.getErrorCode() == ErrorCode.CONNECTION_BROKEN_1
                    || e.getErrorCode() == ErrorCode.DATABASE_CALLED_AT_SHUTDOWN
                    ? Override.MUST_EVICT
                    : Override.CONTINUE_EVICT;
        }
    }

    private static Server startDatabase() {
        try {
            // port 0: the operating system picks a free one; -ifNotExists lets the pool create the in-memory database
            return Server.createTcpServer("-tcpPort", "0", "-ifNotExists").start();
        } catch (SQLException e) {
            throw new IllegalStateException("could not start the H2 database server", e);
        }
    }
}
