package dev.chaosjunit.internal.report;

import java.util.ArrayList;
import java.util.List;

/** Test results built by hand, shaped like what the examples record: faults, traffic, probes, verdicts. */
final class ReportFixtures {

    static final long MS = 1_000_000L;
    static final String POOL_TIMEOUT = "java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not"
            + " available, request timed out after 250ms";
    static final String REFUSED = "java.net.ConnectException: Connection refused";

    private ReportFixtures() {
    }

    /**
     * 6 s: the database is DOWN from 2 s to 3.5 s; its probe (every 50 ms) fails, first fast then
     * at the pool's 250 ms timeout; its first call to succeed ends 327 ms after the outage, the third
     * in a row (the recovery) 429 ms after it; the inventory service
     * gets 300 ms of LATENCY from 1 s to 2.5 s and its probe (every 100 ms) is slow then, and
     * its last call hangs; three verdicts, one failed.
     */
    static TestResult outageWithProbes() {
        TestResult.FaultPeriod down = new TestResult.FaultPeriod("DOWN", "DOWN", 2000 * MS, 3500 * MS, true);
        TestResult.FaultPeriod slow = new TestResult.FaultPeriod("LATENCY(300 ms, DOWNSTREAM)", "LATENCY", 1000 * MS,
                2500 * MS, true);
        List<TestResult.TrafficBucket> dbBuckets = new ArrayList<>();
        List<TestResult.TrafficBucket> httpBuckets = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            long start = i * TrafficSeries.BUCKET_NANOS;
            boolean outage = start >= 2000 * MS && start < 3500 * MS;
            dbBuckets.add(new TestResult.TrafficBucket(start, outage ? 0 : 900 + 37 * (i % 7), outage ? 0 : 2400 + 91 * (i % 5),
                    0, 0, i == 0 || i == 73 ? 4 : 0, i == 40 ? 4 : 0));
            httpBuckets.add(new TestResult.TrafficBucket(start, 180, i % 2 == 0 ? 1200 : 0, 0, 0, i % 10 == 0 ? 1 : 0,
                    i % 10 == 9 ? 1 : 0));
        }
        List<TestResult.Sample> db = new ArrayList<>();
        long t = 20 * MS;
        int n = 0;
        while (t < 5900 * MS) {
            long latency;
            String error = null;
            if (t >= 2000 * MS && t < 2300 * MS) {
                latency = 300_000 + (n % 3) * 100_000;
                error = REFUSED;
            } else if (t >= 2300 * MS && t < 3680 * MS) {
                latency = 251 * MS;
                error = POOL_TIMEOUT;
            } else if (t >= 3680 * MS && t < 3700 * MS) {
                latency = 120 * MS;
            } else {
                latency = 900_000 + (n * 7919 % 2300) * 1000;
            }
            db.add(new TestResult.Sample(t, latency, error == null, error));
            t += Math.max(50 * MS, latency);
            n++;
        }
        List<TestResult.Sample> http = new ArrayList<>();
        t = 10 * MS;
        n = 0;
        while (t < 5700 * MS) {
            long latency = t >= 1000 * MS && t < 2500 * MS ? 300 * MS + (n % 4) * 11 * MS : 2 * MS + (n % 5) * 300_000;
            http.add(new TestResult.Sample(t, latency, true, null));
            t += Math.max(100 * MS, latency);
            n++;
        }
        return new TestResult("OrderDatabaseChaosIT", "poolRecoversAfterAnOutage", 6000 * MS, "FAILED",
                "p99 latency of inventory outside faults: expected <= 200 ms, was 312 ms",
                List.of(new TestResult.ProxyResult("localhost:5432", "127.0.0.1:40123", true, 2, true, 9, List.of(down),
                                dbBuckets),
                        new TestResult.ProxyResult("localhost:8080", "127.0.0.1:40125", true, 0, true, 12, List.of(slow),
                                httpBuckets)),
                List.of(new TestResult.Recovery("orders-db", 3500 * MS, 429 * MS, 327 * MS, 3940 * MS, 2000 * MS, true, 4, 3,
                        null)),
                List.of(new TestResult.ProbeResult("orders-db", 50 * MS, db, -1),
                        new TestResult.ProbeResult("inventory", 100 * MS, http, 5750 * MS)),
                List.of(new TestResult.Verdict("orders-db", "every call during the outage fails within 500 ms",
                                "slowest failed call 251 ms (29 calls)", true, 2000 * MS, 3500 * MS),
                        new TestResult.Verdict("orders-db", "error rate after recovery <= 1%", "0% (0 of 43 calls failed)",
                                true, 3700 * MS, 6000 * MS),
                        new TestResult.Verdict("inventory", "p99 latency outside faults <= 200 ms",
                                "312 ms (40 calls)", false, 0, 6000 * MS)));
    }

    /** A test as v1 knew it: one fault, some traffic, a recovery without a subject, no probes. */
    static TestResult plainOutage() {
        return new TestResult("InventoryServiceChaosIT", "recovers", 900 * MS, "PASSED", null,
                List.of(new TestResult.ProxyResult("localhost:8080", "127.0.0.1:40200", true, 0, true, 3,
                        List.of(new TestResult.FaultPeriod("DOWN", "DOWN", 100 * MS, 400 * MS, true)),
                        List.of(new TestResult.TrafficBucket(0, 120, 800, 0, 0, 1, 0),
                                new TestResult.TrafficBucket(450 * MS, 120, 800, 0, 0, 1, 1)))),
                List.of(new TestResult.Recovery(null, 400 * MS, 49 * MS, 49 * MS, 455 * MS, 5000 * MS, true, 3, 1, null)),
                List.of(), List.of());
    }

    /**
     * 4 s of a circuit breaker in front of Redis: three short faults (RESET_PEER for 300 ms, DOWN
     * for 60 ms, then RESET_PEER for 400 ms), each too narrow for its label; after the first, a
     * recovery of 3 in a row whose SLO deadline falls where its label would go; the breaker's
     * probe (every 100 ms) fails during the faults, and a second probe's only call hangs from 200 ms.
     */
    static TestResult flappingBreaker() {
        List<TestResult.FaultPeriod> faults = List.of(
                new TestResult.FaultPeriod("RESET_PEER(0 ms)", "RESET_PEER", 300 * MS, 600 * MS, true),
                new TestResult.FaultPeriod("DOWN", "DOWN", 1800 * MS, 1860 * MS, true),
                new TestResult.FaultPeriod("RESET_PEER(0 ms)", "RESET_PEER", 2600 * MS, 3000 * MS, true));
        List<TestResult.TrafficBucket> buckets = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            buckets.add(new TestResult.TrafficBucket(i * TrafficSeries.BUCKET_NANOS, 60, 240, 0, 0, i % 10 == 0 ? 1 : 0,
                    i % 10 == 9 ? 1 : 0));
        }
        List<TestResult.Sample> calls = new ArrayList<>();
        for (long t = 10 * MS; t < 3900 * MS; t += 100 * MS) {
            long at = t;
            boolean failing = faults.stream().anyMatch(f -> at >= f.startNanos() && at < f.stopNanos());
            calls.add(new TestResult.Sample(t, failing ? 400_000 : 1_500_000, !failing,
                    failing ? "io.lettuce.core.RedisConnectionException: Connection reset by peer" : null));
        }
        return new TestResult("CircuitBreakerChaosIT", "breakerClosesAgain", 4000 * MS, "PASSED", null,
                List.of(new TestResult.ProxyResult("localhost:6379", "127.0.0.1:40300", true, 1, true, 8, faults,
                        buckets)),
                List.of(new TestResult.Recovery("breaker", 600 * MS, 212 * MS, 12 * MS, 820 * MS, 500 * MS, true, 3, 3,
                        null)),
                List.of(new TestResult.ProbeResult("breaker", 100 * MS, calls, -1),
                        new TestResult.ProbeResult("stuck", 100 * MS, List.of(), 200 * MS)),
                List.of());
    }

    /** A test with a probe and no proxy, named {@code name}. */
    static TestResult probeOnly(String testClass, String name) {
        return new TestResult(testClass, name, 300 * MS, "PASSED", null, List.of(), List.of(),
                List.of(new TestResult.ProbeResult("health", 100 * MS,
                        List.of(new TestResult.Sample(0, 2 * MS, true, null),
                                new TestResult.Sample(100 * MS, 1 * MS, false, null),
                                new TestResult.Sample(200 * MS, 3 * MS, true, null)), -1)),
                List.of());
    }
}
