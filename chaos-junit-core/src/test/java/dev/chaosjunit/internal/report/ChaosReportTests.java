package dev.chaosjunit.internal.report;

import static dev.chaosjunit.ChaosAssertions.assertThatRecovery;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

import dev.chaosjunit.ActiveFault;
import dev.chaosjunit.ChaosPort;
import dev.chaosjunit.ChaosProxy;
import dev.chaosjunit.ChaosTarget;
import dev.chaosjunit.Fault;
import dev.chaosjunit.FaultSpec;
import dev.chaosjunit.ProxyFor;
import dev.chaosjunit.internal.SharedProxies;

/** Timelines, the log line, report entries, the guard and the report files, through real test runs. */
class ChaosReportTests {

    static ServerSocket echo;
    static Thread echoThread;

    @TempDir
    Path reportDir;

    @BeforeAll
    static void startEcho() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        echoThread = new Thread(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket socket = echo.accept();
                    Thread t = new Thread(() -> {
                        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
                            in.transferTo(out);
                        } catch (IOException ignored) {
                            // the client went away
                        }
                    });
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }, "report-tests-echo");
        echoThread.setDaemon(true);
        echoThread.start();
    }

    @AfterAll
    static void stopEcho() throws IOException {
        echo.close();
    }

    /** Sends {@code size} bytes through the proxy and reads them back. */
    static void roundTrip(ChaosProxy proxy, int size) throws IOException {
        try (Socket socket = new Socket(proxy.host(), proxy.port())) {
            socket.setSoTimeout(5_000);
            byte[] data = new byte[size];
            socket.getOutputStream().write(data);
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            int read = 0;
            while (read < size) {
                int n = in.read(data, 0, Math.min(data.length, size - read));
                if (n < 0) {
                    throw new IOException("closed after " + read + " bytes");
                }
                read += n;
            }
        }
    }

    private EngineExecutionResults run(Class<?> fixture, String... parameters) {
        EngineTestKit.Builder kit = EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture))
                .configurationParameter(ChaosReporting.REPORT_DIR, reportDir.toString());
        for (int i = 0; i < parameters.length; i += 2) {
            kit.configurationParameter(parameters[i], parameters[i + 1]);
        }
        return kit.execute();
    }

    private static TestResult result(Class<?> fixture, String test) {
        List<TestResult> found = RunReport.results().stream()
                .filter(r -> r.testClass().equals(ChaosReporting.className(fixture)) && r.testName().equals(test))
                .collect(Collectors.toList());
        assertThat(found).as("results of " + fixture.getSimpleName() + "." + test).isNotEmpty();
        return found.get(found.size() - 1);
    }

    private static Map<String, String> entry(EngineExecutionResults results) {
        List<ReportEntry> entries = results.allEvents().reportingEntryPublished().stream()
                .map(e -> e.getRequiredPayload(ReportEntry.class)).collect(Collectors.toList());
        assertThat(entries).hasSize(1);
        return entries.get(0).getKeyValuePairs();
    }

    // ------------------------------------------------------------------ fixtures

    static class LatencyWithTraffic {
        @ChaosTarget("echo")
        static int echoPort() {
            return echo.getLocalPort();
        }

        @Test
        @ChaosPort(target = "echo", fault = Fault.LATENCY, ms = 60)
        void slowEcho(ChaosProxy proxy) throws IOException {
            roundTrip(proxy, 64 * 1024);
            roundTrip(proxy, 100);
        }
    }

    static class InjectedOutageAndRecovery {
        @ChaosTarget("echo")
        static int echoPort() {
            return echo.getLocalPort();
        }

        @Test
        void outage(@ProxyFor(target = "echo") ChaosProxy proxy) throws IOException, InterruptedException {
            roundTrip(proxy, 10);
            ActiveFault outage = proxy.inject(FaultSpec.down());
            Thread.sleep(30);
            outage.close();
            assertThatRecovery(() -> roundTrip(proxy, 10)).after(outage).within(Duration.ofSeconds(2));
        }

        @Test
        void threeInARow(@ProxyFor(target = "echo") ChaosProxy proxy) throws IOException, InterruptedException {
            roundTrip(proxy, 10);
            ActiveFault outage = proxy.inject(FaultSpec.down());
            Thread.sleep(30);
            outage.close();
            assertThatRecovery(() -> roundTrip(proxy, 10)).after(outage).consecutiveSuccesses(3)
                    .pollInterval(Duration.ofMillis(20)).within(Duration.ofSeconds(2));
        }

        @Test
        void neverRecovers(@ProxyFor(target = "echo") ChaosProxy proxy) throws IOException {
            roundTrip(proxy, 10);
            proxy.inject(FaultSpec.down());
            assertThatRecovery(() -> roundTrip(proxy, 10)).within(Duration.ofMillis(150));
        }
    }

    static class ScheduledOutages {
        @ChaosTarget("echo")
        static int echoPort() {
            return echo.getLocalPort();
        }

        /** Down from 0 to 150 ms and from 400 to 550 ms; traffic in between. */
        @Test
        @ChaosPort(target = "echo", fault = Fault.DOWN, durationMs = 150, repeatEveryMs = 400, times = 2)
        void twoOutages(ChaosProxy proxy) throws IOException, InterruptedException {
            Thread.sleep(250);
            roundTrip(proxy, 10);
            Thread.sleep(500);
            roundTrip(proxy, 10);
        }
    }

    static class ThroughASharedProxy {
        /** By IP, so the other fixtures (by name, "localhost") do not use the shared proxy. */
        @ChaosTarget("echo")
        static InetSocketAddress echoAddress() {
            SharedProxies.forUpstream("127.0.0.1", echo.getLocalPort());
            return new InetSocketAddress("127.0.0.1", echo.getLocalPort());
        }

        @Test
        @ChaosPort(target = "echo", fault = Fault.LATENCY, ms = 10)
        void echoes(ChaosProxy proxy) throws IOException {
            roundTrip(proxy, 1000);
        }
    }

    static class ClientBypassesTheProxy {
        @ChaosTarget("echo")
        static int echoPort() {
            return echo.getLocalPort();
        }

        @Test
        @ChaosPort(target = "echo", fault = Fault.DOWN)
        void talksToTheDependencyDirectly() throws IOException {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), echo.getLocalPort())) {
                socket.getOutputStream().write(1);
                assertThat(socket.getInputStream().read()).isEqualTo(1);
            }
        }
    }

    // ------------------------------------------------------------------ tests

    @Test
    void aLatencyFaultWithTraffic_recordsTheFaultBand_andBytesInBuckets() {
        EngineExecutionResults results = run(LatencyWithTraffic.class);
        assertThat(results.testEvents().succeeded().count()).isEqualTo(1);

        TestResult test = result(LatencyWithTraffic.class, "slowEcho");
        assertThat(test.status()).isEqualTo("PASSED");
        assertThat(test.proxies()).hasSize(1);
        TestResult.ProxyResult proxy = test.proxies().get(0);
        assertThat(proxy.name()).isEqualTo("localhost:" + echo.getLocalPort());
        assertThat(proxy.faults()).singleElement().satisfies(f -> {
            assertThat(f.fault()).isEqualTo("LATENCY");
            assertThat(f.spec()).isEqualTo("LATENCY(60 ms, DOWNSTREAM)");
            assertThat(f.startNanos()).isLessThan(f.stopNanos());
            assertThat(f.stopNanos()).isLessThanOrEqualTo(test.durationNanos());
            assertThat(f.healed()).isTrue();
        });
        assertThat(proxy.bytesUp()).isEqualTo(64 * 1024 + 100);
        assertThat(proxy.bytesDown()).isEqualTo(64 * 1024 + 100);
        assertThat(proxy.opened()).isEqualTo(2);
        // aggregated: far fewer buckets than chunks, each a multiple of 50 ms from the start
        assertThat(proxy.buckets()).isNotEmpty().hasSizeLessThan(20)
                .allMatch(b -> b.startNanos() % TrafficSeries.BUCKET_NANOS == 0);
        assertThat(proxy.bypassed()).isFalse();
    }

    @Test
    void eachOccurrenceOfAScheduledFault_isItsOwnFaultPeriod() throws IOException {
        EngineExecutionResults results = run(ScheduledOutages.class);
        assertThat(results.testEvents().succeeded().count()).isEqualTo(1);

        List<TestResult.FaultPeriod> faults = result(ScheduledOutages.class, "twoOutages").proxies().get(0).faults();
        assertThat(faults).hasSize(2).allSatisfy(f -> {
            assertThat(f.fault()).isEqualTo("DOWN");
            assertThat(f.healed()).isTrue();
            assertThat(f.stopNanos() - f.startNanos()).isBetween(Duration.ofMillis(150 - 60).toNanos(),
                    Duration.ofMillis(150 + 150).toNanos());
        });
        assertThat(faults.get(0).startNanos()).isLessThan(Duration.ofMillis(150).toNanos());
        assertThat(faults.get(1).startNanos()).isBetween(Duration.ofMillis(400).toNanos(),
                Duration.ofMillis(400 + 150).toNanos());

        String json = Files.readString(reportDir.resolve("chaos-report.json"));
        String occurrence = "\\{\"fault\": \"DOWN\", \"spec\": \"DOWN\", [^}]*\"healed\": true\\}";
        assertThat(json).containsPattern("\"faults\": \\[" + occurrence + ", " + occurrence + "\\]");
    }

    @Test
    void aSharedProxy_reportsItsTrafficToo() {
        run(ThroughASharedProxy.class);
        TestResult.ProxyResult proxy = result(ThroughASharedProxy.class, "echoes").proxies().get(0);
        assertThat(proxy.listenAddress()).isEqualTo("127.0.0.1:"
                + SharedProxies.find("127.0.0.1", echo.getLocalPort()).orElseThrow().port());
        assertThat(proxy.trafficObserved()).isTrue();
        assertThat(proxy.bytesUp()).isEqualTo(1000);
        assertThat(proxy.faults()).singleElement().satisfies(f -> assertThat(f.fault()).isEqualTo("LATENCY"));
    }

    @Test
    void theReportEntry_andTheLogLine_haveTheKeyNumbers() {
        Map<String, String> entry = entry(run(LatencyWithTraffic.class));
        assertThat(entry.get("chaos.faults")).startsWith("LATENCY(60 ms, DOWNSTREAM) on localhost:" + echo.getLocalPort()
                + " from ");
        assertThat(entry.get("chaos.traffic")).isEqualTo("2 connections opened, 64.1 KiB up, 64.1 KiB down");
        assertThat(entry.get("chaos.verdict")).isEqualTo("PASSED");
        assertThat(entry).doesNotContainKeys("chaos.recovery", "chaos.guard");

        String line = ChaosReporting.logLine(result(LatencyWithTraffic.class, "slowEcho"), List.of());
        assertThat(line).matches("\\[chaos\\] ChaosReportTests\\.LatencyWithTraffic\\.slowEcho: LATENCY\\(60 ms, DOWNSTREAM\\) on localhost:\\d+"
                + " for \\d+ ms; 2 connections opened, 64\\.1 KiB up, 64\\.1 KiB down -- PASSED");
    }

    @Test
    void codeInjectedFaults_andRecoveryAssertions_areRecorded() {
        EngineExecutionResults results = run(InjectedOutageAndRecovery.class);
        assertThat(results.testEvents().succeeded().count()).isEqualTo(2);
        assertThat(results.testEvents().failed().count()).isEqualTo(1);

        TestResult outage = result(InjectedOutageAndRecovery.class, "outage");
        TestResult.FaultPeriod down = outage.proxies().get(0).faults().get(0);
        assertThat(down.fault()).isEqualTo("DOWN");
        assertThat(down.stopNanos() - down.startNanos()).isGreaterThanOrEqualTo(Duration.ofMillis(30).toNanos());
        assertThat(outage.recoveries()).singleElement().satisfies(r -> {
            assertThat(r.passed()).isTrue();
            assertThat(r.startNanos()).isEqualTo(down.stopNanos());
            assertThat(r.recoveryNanos()).isBetween(0L, Duration.ofSeconds(2).toNanos());
            assertThat(r.sloNanos()).isEqualTo(Duration.ofSeconds(2).toNanos());
            assertThat(r.attempts()).isPositive();
            assertThat(r.firstSuccessNanos()).as("one success is enough").isEqualTo(r.recoveryNanos());
            assertThat(r.summary()).matches("recovered in \\d+ ms \\(SLO 2 s\\)");
        });
        assertThat(ChaosReporting.logLine(outage, List.of()))
                .matches("\\[chaos\\] ChaosReportTests\\.InjectedOutageAndRecovery\\.outage: DOWN on localhost:\\d+ for \\d+ ms;"
                        + " recovered in \\d+ ms \\(SLO 2 s\\); SLOs 1 of 1 met; \\d+ connections? opened, .* -- PASSED");

        TestResult never = result(InjectedOutageAndRecovery.class, "neverRecovers");
        assertThat(never.status()).isEqualTo("FAILED");
        assertThat(never.failureMessage()).contains("Expecting the probe to recover within 150 ms");
        assertThat(never.proxies().get(0).faults()).singleElement()
                .satisfies(f -> assertThat(f.healed()).as("healed by the extension after the body").isTrue());
        assertThat(never.recoveries()).singleElement().satisfies(r -> {
            assertThat(r.passed()).isFalse();
            assertThat(r.recoveryNanos()).isEqualTo(-1);
            assertThat(r.firstSuccessNanos()).isEqualTo(-1);
            assertThat(r.lastError()).contains("Connection");
            assertThat(r.summary()).startsWith("did not recover within 150 ms (");
        });
        assertThat(ChaosReporting.logLine(never, List.of())).matches(".*; did not recover within 150 ms \\(\\d+ attempts\\);"
                + " SLOs 0 of 1 met; not met: recovery within 150 ms \\(was none in \\d+ attempts\\); .* -- FAILED");
    }

    @Test
    void nInARow_theFirstSuccessIsRecorded_earlierThanTheRecovery() {
        run(InjectedOutageAndRecovery.class);
        TestResult test = result(InjectedOutageAndRecovery.class, "threeInARow");
        assertThat(test.status()).isEqualTo("PASSED");
        assertThat(test.recoveries()).singleElement().satisfies(r -> {
            assertThat(r.passed()).isTrue();
            assertThat(r.consecutiveSuccesses()).isEqualTo(3);
            assertThat(r.attempts()).isGreaterThanOrEqualTo(3);
            assertThat(r.firstSuccessNanos()).isPositive();
            assertThat(r.recoveryNanos()).as("two more calls, 20 ms apart, after the first success")
                    .isGreaterThanOrEqualTo(r.firstSuccessNanos() + Duration.ofMillis(35).toNanos());
            assertThat(r.summary()).matches("recovered in \\d+ ms, 3 in a row \\(first success after \\d+ ms; SLO 2 s\\)");
        });
        assertThat(ChaosReporting.logLine(test, List.of()))
                .contains(" recovered in ", ", 3 in a row (first success after ", "; SLOs 1 of 1 met;");
    }

    @Test
    void recoveryAssertionsOutsideAChaosTest_recordNothing_andStillWork() {
        int before = RunReport.results().size();
        assertThat(TestTimeline.current()).isNull();
        assertThat(assertThatRecovery(() -> { }).within(Duration.ofSeconds(1))).isLessThan(Duration.ofSeconds(1));
        assertThat(RunReport.results()).hasSize(before);
    }

    @Test
    void theGuard_warnsWhenTheFaultsProxySawNoTraffic() {
        EngineExecutionResults results = run(ClientBypassesTheProxy.class);
        assertThat(results.testEvents().succeeded().count()).isEqualTo(1);
        TestResult test = result(ClientBypassesTheProxy.class, "talksToTheDependencyDirectly");
        assertThat(test.proxies()).singleElement().satisfies(p -> assertThat(p.bypassed()).isTrue());
        assertThat(entry(results).get("chaos.guard")).contains("no traffic went through the chaos proxy");
        assertThat(ChaosReporting.logLine(test, test.proxies())).contains("-- PASSED -- WARNING: no traffic went"
                + " through the chaos proxy for localhost:" + echo.getLocalPort());
    }

    @Test
    void theGuard_countsADownOnlyProxyAsBypassedOnlyIfItNeverAcceptedAConnection() {
        TestResult.FaultPeriod down = new TestResult.FaultPeriod("DOWN", "DOWN", 0, 10, true);
        TestResult.FaultPeriod slow = new TestResult.FaultPeriod("LATENCY(5 ms, DOWNSTREAM)", "LATENCY", 0, 10, true);
        assertThat(proxy(false, 0, down).bypassed()).isTrue();
        assertThat(proxy(false, 3, down).bypassed()).as("refused before the proxy saw it").isFalse();
        assertThat(proxy(false, 3, slow).bypassed()).isTrue();
        assertThat(proxy(false, 3, down, slow).bypassed()).isTrue();
        assertThat(proxy(true, 3, slow).bypassed()).isFalse();
        assertThat(proxy(false, 0).bypassed()).as("no fault").isFalse();
    }

    private static TestResult.ProxyResult proxy(boolean sawTraffic, long everAccepted, TestResult.FaultPeriod... faults) {
        return new TestResult.ProxyResult("localhost:1", "127.0.0.1:2", true, 0, sawTraffic, everAccepted,
                List.of(faults), List.of());
    }

    @Test
    void theGuard_failsTheTestWithChaosGuardFail_sayingHowToFixIt() {
        EngineExecutionResults results = run(ClientBypassesTheProxy.class, ChaosReporting.GUARD, "fail");
        List<Throwable> failures = results.testEvents().failed().stream()
                .map(e -> e.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow())
                .collect(Collectors.toList());
        assertThat(failures).singleElement().satisfies(f -> assertThat(f).isInstanceOf(AssertionError.class)
                .hasMessageContaining("no traffic went through the chaos proxy for localhost:" + echo.getLocalPort())
                .hasMessageContaining("DOWN acted on it")
                .hasMessageContaining("point it at proxy.host():proxy.port() (127.0.0.1:")
                .hasMessageContaining("chaos.guard=fail"));
        assertThat(result(ClientBypassesTheProxy.class, "talksToTheDependencyDirectly").status()).isEqualTo("FAILED");
    }

    @Test
    void theReportFiles_areWrittenWhenTheRunEnds_intoChaosReportDir() throws IOException {
        run(InjectedOutageAndRecovery.class);

        String json = Files.readString(reportDir.resolve("chaos-report.json"));
        assertThat(json).startsWith("{\n  \"version\": 2,\n  \"bucketMs\": 50,\n  \"run\": ")
                .contains("{\"class\": \"ChaosReportTests.InjectedOutageAndRecovery\", \"test\": \"outage\", \"status\": \"PASSED\"")
                .contains("\"faults\": [{\"fault\": \"DOWN\", \"spec\": \"DOWN\", \"startMs\": ")
                .contains("\"recoveries\": [{\"subject\": null, \"startMs\": ", "\"probes\": [],\n     \"verdicts\": []}")
                .containsPattern("\"recoveryMs\": [0-9.]+, \"firstSuccessMs\": [0-9.]+, \"endMs\": [0-9.]+,"
                        + " \"sloMs\": 2000, \"passed\": true")
                .contains("\"recoveryMs\": null, \"firstSuccessMs\": null, \"endMs\": ")
                .containsPattern("\"buckets\": \\[\\{\"startMs\": 0, \"bytesUp\": \\d+, \"bytesDown\": \\d+, ");
        assertThat(json.chars().filter(c -> c == '{').count()).isEqualTo(json.chars().filter(c -> c == '}').count());
        assertThat(json.chars().filter(c -> c == '[').count()).isEqualTo(json.chars().filter(c -> c == ']').count());

        String html = Files.readString(reportDir.resolve("index.html"));
        assertThat(html).contains("InjectedOutageAndRecovery.outage", "<svg class=\"chart\"",
                "class=\"fault-band fault-DOWN\"", "class=\"recovery-marker\"", "class=\"recovery passed\"",
                "class=\"recovery failed\"", "class=\"bytes-up\"", "class=\"conn-line\"",
                "<circle class=\"recovery-first-success\"");
    }

    @Test
    void theHtml_isSelfContained_andEscapesText() {
        TestResult result = new TestResult("Fixture", "weird<name>&\"", 1_000_000_000L, "FAILED",
                "expected <1> but was </script><script>alert(1)</script>",
                List.of(new TestResult.ProxyResult("localhost:1", "127.0.0.1:2", true, 0, true, 2,
                        List.of(new TestResult.FaultPeriod("LATENCY(10 ms, DOWNSTREAM)", "LATENCY", 100_000_000L,
                                400_000_000L, true)),
                        List.of(new TestResult.TrafficBucket(0, 10, 20, 0, 0, 1, 0),
                                new TestResult.TrafficBucket(500_000_000L, 10, 20, 5, 0, 0, 1)))),
                List.of(new TestResult.Recovery(null, 400_000_000L, 49_000_000L, 49_000_000L, 450_000_000L, 5_000_000_000L,
                        true, 3, 1, null)),
                List.of(), List.of());
        String html = HtmlReport.render(List.of(result));

        assertThat(html).doesNotContain("http://", "https://", "src=", "href=", "@import", "url(")
                .doesNotContain("<name>", "</script><script>")
                .contains("weird&lt;name&gt;&amp;&quot;", "data-fault=\"LATENCY\"", "data-start-ms=\"100\"",
                        "data-stop-ms=\"400\"", "data-recovery-ms=\"49\"", "recovered in 49 ms (SLO 5 s)");
        // two inline scripts: the data (not run), and the render self-check; nothing loaded
        assertThat(html.split("<script", -1)).hasSize(3);
        assertThat(html).contains("<script type=\"application/json\" id=\"chaos-data\">{", "data-rendered");
        assertThat(HtmlReport.render(List.of())).contains("No chaos test ran.");
    }
}
