package dev.chaosjunit;

import static dev.chaosjunit.TestKit.assertReleased;
import static dev.chaosjunit.TestKit.failures;
import static dev.chaosjunit.TestKit.onlyFailure;
import static dev.chaosjunit.TestKit.run;
import static dev.chaosjunit.TestKit.runPassing;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** What the extension does while tests run: scopes of faults and proxies, targets, cleanup. */
class ChaosExtensionTests {

    static final Queue<String> LOG = new ConcurrentLinkedQueue<>();
    static final Queue<Integer> PROXY_PORTS = new ConcurrentLinkedQueue<>();
    static final Queue<ActiveFault> FAULTS = new ConcurrentLinkedQueue<>();
    static final Map<String, Long> TIMES = new ConcurrentHashMap<>();
    static EchoServer echo;

    @BeforeAll
    static void startEcho() {
        echo = EchoServer.start();
    }

    @AfterAll
    static void stopEcho() {
        echo.close();
    }

    @BeforeEach
    void clear() {
        LOG.clear();
        PROXY_PORTS.clear();
        FAULTS.clear();
        TIMES.clear();
    }

    static String faults(ChaosProxy proxy) {
        return proxy.activeFaults().stream().map(f -> f.spec().toString()).collect(Collectors.toList()).toString();
    }

    private static void assertAllReleased() {
        assertThat(PROXY_PORTS).isNotEmpty();
        PROXY_PORTS.stream().distinct().forEach(TestKit::assertReleased);
        assertThat(FAULTS).allMatch(ActiveFault::isHealed);
    }

    @Test
    void methodLevelFault_isActiveDuringTheBodyOnly() {
        runPassing(MethodScope.class);
        assertThat(LOG).containsExactly("beforeEach []", "body [DOWN]", "afterEach []");
        assertAllReleased();
    }

    @Test
    void classLevelFault_isActiveInEveryTestMethod_andTheProxyKeepsItsPortFromBeforeAll() {
        runPassing(ClassScope.class);
        assertThat(LOG).containsExactly("beforeAll []", "first [LATENCY(100 ms, DOWNSTREAM)]",
                "second [LATENCY(100 ms, DOWNSTREAM)]", "override [DOWN]", "unannotated port 5993 []");
        assertThat(PROXY_PORTS).hasSize(5);
        assertThat(PROXY_PORTS.stream().limit(4).distinct()).hasSize(1);
        assertAllReleased();
    }

    @Test
    void repeatedTest_getsTheFaultInEveryRepetition() {
        runPassing(Repeated.class);
        assertThat(LOG).containsExactly("[TIMEOUT(0 ms, BOTH)]", "[TIMEOUT(0 ms, BOTH)]", "[TIMEOUT(0 ms, BOTH)]");
        assertAllReleased();
    }

    @Test
    void nestedClass_seesTheEnclosingClassLevelFault_unlessItsOwnOrItsMethodsReplaceIt() {
        runPassing(Enclosing.class);
        assertThat(LOG).containsExactlyInAnyOrder("inner [DOWN]", "nested class [LATENCY(100 ms, DOWNSTREAM)]",
                "nested method [RESET_PEER(0 ms, BOTH)]",
                "other direction [LATENCY(100 ms, DOWNSTREAM), LATENCY(50 ms, UPSTREAM)]");
        assertAllReleased();
    }

    @Test
    void metaAnnotation_isFound() {
        runPassing(MetaAnnotated.class);
        assertThat(LOG).containsExactly("[DOWN]");
        assertAllReleased();
    }

    @Test
    void staticFieldTarget_forwardsToTheServer() {
        runPassing(StaticFieldTarget.class);
        assertThat(LOG).containsExactly("upstream " + echo.port() + " echo hello");
        assertAllReleased();
    }

    @Test
    void staticMethodTarget_isReadLazily_afterBeforeAllStartedTheServer() {
        runPassing(StaticMethodTarget.class);
        assertThat(LOG).hasSize(1).allMatch(line -> line.startsWith("echo hello via upstream "));
        assertAllReleased();
    }

    @Test
    void instanceFieldTarget_getsOneProxyPerTestInstance() {
        runPassing(InstanceFieldTarget.class);
        assertThat(LOG).containsExactly("echo one", "echo two");
        assertThat(PROXY_PORTS).hasSize(2).doesNotHaveDuplicates();
        assertAllReleased();
    }

    @Test
    void instanceTarget_withPerClassLifecycle_getsOneProxyForTheClass() {
        runPassing(PerClassInstanceTarget.class);
        assertThat(LOG).containsExactly("echo a", "echo b");
        assertThat(PROXY_PORTS).hasSize(3).containsOnly(PROXY_PORTS.peek());
        assertAllReleased();
    }

    @Test
    void nestedClass_canUseTheEnclosingInstanceTarget() {
        runPassing(EnclosingInstanceTarget.class);
        assertThat(LOG).containsExactly("nested [DOWN] upstream true");
        assertAllReleased();
    }

    @Test
    void latency_delaysTheEcho() {
        runPassing(Latency.class);
        assertThat(TIMES.get("slow")).isBetween(280L, 2_000L);
        assertThat(TIMES.get("fast")).isLessThan(250L);
        assertAllReleased();
    }

    @Test
    void failingTest_leavesNoFaultProxyThreadOrPort() {
        EngineExecutionResults results = run(FailingTests.class);
        assertThat(failures(results)).extracting(Throwable::getMessage)
                .containsExactlyInAnyOrder("test failed on purpose", "@BeforeEach failed on purpose");
        assertThat(LOG).containsExactly("body [DOWN]");
        assertAllReleased();
    }

    @Test
    void failingTestWithRandomFaults_saysWhichSeedReplaysThem() {
        Throwable failure = onlyFailure(FailingWithRandomFaults.class);
        assertThat(failure).hasMessage("failed under jitter");
        assertThat(failure.getSuppressed()).singleElement().satisfies(hint -> assertThat(hint.getMessage())
                .isEqualTo("this test failed with random faults: LATENCY(20 ms ± 10 ms, DOWNSTREAM, seed=42), "
                        + "LOSS(fraction 0.5, BOTH, seed=42). Replay their random choices with -Dchaos.seed=42 "
                        + "(or seed = 42 on the @ChaosPort, FaultSpec.seed(42) in code)"));
        assertAllReleased();
    }

    @Test
    void passingTestWithRandomFaults_carriesNoHint_andTheNextFailureOnlyNamesItsOwn() {
        EngineExecutionResults results = run(RandomFaultsThenPlainFailure.class);
        assertThat(failures(results)).singleElement().satisfies(failure -> {
            assertThat(failure).hasMessage("plain failure");
            assertThat(failure.getSuppressed()).isEmpty();
        });
        assertAllReleased();
    }

    @Test
    void faultInjectedInCode_andForgotten_isHealedAfterTheTest() {
        runPassing(ForgottenInjection.class);
        assertThat(LOG).containsExactly("first [RESET_PEER(0 ms, BOTH)]", "afterEach []", "second []",
                "afterEach []");
        assertAllReleased();
    }

    @Test
    void afterAllThatThrows_stillLeavesNoProxyThreadOrPort() {
        Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
        EngineExecutionResults results = run(FailingAfterAll.class);
        assertThat(failures(results)).extracting(Throwable::getMessage)
                .containsExactly("@AfterAll failed on purpose");
        assertThat(LOG).containsExactly("test [DOWN]");
        assertThat(PROXY_PORTS).hasSize(2).containsOnly(PROXY_PORTS.peek());
        assertAllReleased();
        Awaitility.await("no new chaos-proxy thread").atMost(Duration.ofSeconds(3))
                .untilAsserted(() -> assertThat(Thread.getAllStackTraces().keySet())
                        .noneMatch(t -> t.getName().startsWith("chaos-proxy") && t.isAlive()
                                && !before.contains(t)));
    }

    @Test
    void unqualifiedParameter_inAClassWithOneTarget_getsThatTargetsProxy() {
        runPassing(OneTarget.class);
        assertThat(LOG).containsExactly("echo hello via upstream true", "inner echo nested");
        assertThat(PROXY_PORTS).hasSize(3).containsOnly(PROXY_PORTS.peek());
        assertAllReleased();
    }

    // ------------------------------------------------------------------ fixtures

    /** No @ChaosPort, no @ProxyFor: the one @ChaosTarget field registers the extension and names the proxy. */
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class OneTarget {
        @ChaosTarget("orders")
        static Supplier<InetSocketAddress> orders = () -> echo.address();

        @BeforeAll
        static void all(ChaosProxy orders) {
            PROXY_PORTS.add(orders.port());
        }

        @Test
        @Order(1)
        void test(ChaosProxy orders) throws Exception {
            PROXY_PORTS.add(orders.port());
            LOG.add("echo " + EchoServer.roundTrip(orders.host(), orders.port(), "hello", 2_000)
                    + " via upstream " + (orders.upstreamPort() == echo.port()));
        }

        @Nested
        @Order(2)
        class Inner {
            @Test
            void inner(ChaosProxy orders) throws Exception {
                PROXY_PORTS.add(orders.port());
                LOG.add("inner echo " + EchoServer.roundTrip(orders.host(), orders.port(), "nested", 2_000));
            }
        }
    }

    @ChaosPort(port = 5991, fault = Fault.DOWN)
    static class FailingAfterAll {
        @BeforeAll
        static void all(ChaosProxy proxy) {
            PROXY_PORTS.add(proxy.port());
        }

        @Test
        void test(ChaosProxy proxy) {
            PROXY_PORTS.add(proxy.port());
            FAULTS.addAll(proxy.activeFaults());
            LOG.add("test " + faults(proxy));
        }

        @AfterAll
        static void fails() {
            throw new IllegalStateException("@AfterAll failed on purpose");
        }
    }

    static class MethodScope {
        @BeforeEach
        void before(ChaosProxy proxy) {
            LOG.add("beforeEach " + faults(proxy));
        }

        @Test
        @ChaosPort(port = 5999, fault = Fault.DOWN)
        void test(ChaosProxy proxy) {
            PROXY_PORTS.add(proxy.port());
            FAULTS.addAll(proxy.activeFaults());
            LOG.add("body " + faults(proxy));
        }

        @AfterEach
        void after(ChaosProxy proxy) {
            LOG.add("afterEach " + faults(proxy));
        }
    }

    @ChaosPort(port = 5998, fault = Fault.LATENCY, ms = 100)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class ClassScope {
        @BeforeAll
        static void all(ChaosProxy proxy) {
            PROXY_PORTS.add(proxy.port());
            LOG.add("beforeAll " + faults(proxy));
        }

        @Test
        @Order(1)
        void first(ChaosProxy proxy) {
            PROXY_PORTS.add(proxy.port());
            FAULTS.addAll(proxy.activeFaults());
            LOG.add("first " + faults(proxy));
        }

        @Test
        @Order(2)
        void second(ChaosProxy proxy) {
            PROXY_PORTS.add(proxy.port());
            LOG.add("second " + faults(proxy));
        }

        @Test
        @Order(3)
        @ChaosPort(port = 5998, fault = Fault.DOWN)
        void override(ChaosProxy proxy) {
            PROXY_PORTS.add(proxy.port());
            FAULTS.addAll(proxy.activeFaults());
            LOG.add("override " + faults(proxy));
        }

        @Test
        @Order(4)
        void unannotated(@ProxyFor(port = 5993) ChaosProxy proxy) {
            PROXY_PORTS.add(proxy.port());
            LOG.add("unannotated port " + proxy.upstreamPort() + " " + faults(proxy));
        }
    }

    static class Repeated {
        @RepeatedTest(3)
        @ChaosPort(port = 5997, fault = Fault.TIMEOUT)
        void test(ChaosProxy proxy) {
            PROXY_PORTS.add(proxy.port());
            FAULTS.addAll(proxy.activeFaults());
            LOG.add(faults(proxy));
        }
    }

    @ChaosPort(port = 5996, fault = Fault.DOWN)
    static class Enclosing {
        @Nested
        class Inner {
            @Test
            void inner(ChaosProxy proxy) {
                PROXY_PORTS.add(proxy.port());
                FAULTS.addAll(proxy.activeFaults());
                LOG.add("inner " + faults(proxy));
            }
        }

        /** Same dependency, overlapping directions: the nested class's replaces the enclosing one, a method's both. */
        @Nested
        @ChaosPort(port = 5996, fault = Fault.LATENCY, ms = 100)
        class Replaces {
            @Test
            void classLevel(ChaosProxy proxy) {
                PROXY_PORTS.add(proxy.port());
                LOG.add("nested class " + faults(proxy));
            }

            @Test
            @ChaosPort(port = 5996, fault = Fault.RESET_PEER)
            void methodLevel(ChaosProxy proxy) {
                PROXY_PORTS.add(proxy.port());
                LOG.add("nested method " + faults(proxy));
            }

            @Test
            @ChaosPort(port = 5996, fault = Fault.LATENCY, ms = 50, direction = Direction.UPSTREAM)
            void otherDirection(ChaosProxy proxy) {
                PROXY_PORTS.add(proxy.port());
                LOG.add("other direction " + faults(proxy));
            }
        }
    }

    @Target(ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    @ChaosPort(port = 5995, fault = Fault.DOWN)
    @interface DatabaseDown {
    }

    static class MetaAnnotated {
        @Test
        @DatabaseDown
        void test(ChaosProxy proxy) {
            PROXY_PORTS.add(proxy.port());
            FAULTS.addAll(proxy.activeFaults());
            LOG.add(faults(proxy));
        }
    }

    static class StaticFieldTarget {
        @ChaosTarget("echo")
        static InetSocketAddress echoAddress = echo.address();

        @Test
        void test(@ProxyFor(target = "echo") ChaosProxy proxy) throws Exception {
            PROXY_PORTS.add(proxy.port());
            LOG.add("upstream " + proxy.upstreamPort() + " echo "
                    + EchoServer.roundTrip(proxy.host(), proxy.port(), "hello", 2_000));
        }
    }

    static class StaticMethodTarget {
        static EchoServer own;

        @BeforeAll
        static void start() {
            own = EchoServer.start();
        }

        @AfterAll
        static void stop() {
            own.close();
        }

        @ChaosTarget("own")
        static Supplier<InetSocketAddress> own() {
            return own::address;
        }

        @Test
        void test(@ProxyFor(target = "own") ChaosProxy proxy) throws Exception {
            PROXY_PORTS.add(proxy.port());
            LOG.add("echo " + EchoServer.roundTrip(proxy.host(), proxy.port(), "hello", 2_000)
                    + " via upstream " + (proxy.upstreamPort() == own.port()));
        }
    }

    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class InstanceFieldTarget {
        final EchoServer server = EchoServer.start();

        @ChaosTarget("server")
        int port = server.port();

        @AfterEach
        void stop() {
            server.close();
        }

        @Test
        @Order(1)
        void one(@ProxyFor(target = "server") ChaosProxy proxy) throws Exception {
            PROXY_PORTS.add(proxy.port());
            LOG.add("echo " + EchoServer.roundTrip(proxy.host(), proxy.port(), "one", 2_000));
        }

        @Test
        @Order(2)
        @ChaosPort(target = "server", fault = Fault.LATENCY, ms = 0)
        void two(ChaosProxy proxy) throws Exception {
            PROXY_PORTS.add(proxy.port());
            FAULTS.addAll(proxy.activeFaults());
            LOG.add("echo " + EchoServer.roundTrip(proxy.host(), proxy.port(), "two", 2_000));
        }
    }

    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class PerClassInstanceTarget {
        final EchoServer server = EchoServer.start();

        @ChaosTarget("server")
        InetSocketAddress address() {
            return server.address();
        }

        @BeforeAll
        void client(@ProxyFor(target = "server") ChaosProxy proxy) {
            PROXY_PORTS.add(proxy.port());
        }

        @AfterAll
        void stop() {
            server.close();
        }

        @Test
        @Order(1)
        void a(@ProxyFor(target = "server") ChaosProxy proxy) throws Exception {
            PROXY_PORTS.add(proxy.port());
            LOG.add("echo " + EchoServer.roundTrip(proxy.host(), proxy.port(), "a", 2_000));
        }

        @Test
        @Order(2)
        void b(@ProxyFor(target = "server") ChaosProxy proxy) throws Exception {
            PROXY_PORTS.add(proxy.port());
            LOG.add("echo " + EchoServer.roundTrip(proxy.host(), proxy.port(), "b", 2_000));
        }
    }

    static class EnclosingInstanceTarget {
        final EchoServer server = EchoServer.start();

        @ChaosTarget("outer")
        int port = server.port();

        @AfterEach
        void stop() {
            server.close();
        }

        @Nested
        class Inner {
            @Test
            @ChaosPort(target = "outer", fault = Fault.DOWN)
            void nested(ChaosProxy proxy) {
                PROXY_PORTS.add(proxy.port());
                FAULTS.addAll(proxy.activeFaults());
                LOG.add("nested " + faults(proxy) + " upstream " + (proxy.upstreamPort() == server.port()));
            }
        }
    }

    static class Latency {
        @ChaosTarget("echo")
        static int echoPort() {
            return echo.port();
        }

        @Test
        @ChaosPort(target = "echo", fault = Fault.LATENCY, ms = 300)
        void slow(ChaosProxy proxy) throws Exception {
            PROXY_PORTS.add(proxy.port());
            FAULTS.addAll(proxy.activeFaults());
            TIMES.put("slow", timeRoundTrip(proxy));
        }

        @Test
        void fast(@ProxyFor(target = "echo") ChaosProxy proxy) throws Exception {
            PROXY_PORTS.add(proxy.port());
            TIMES.put("fast", timeRoundTrip(proxy));
        }

        private static long timeRoundTrip(ChaosProxy proxy) throws Exception {
            long start = System.nanoTime();
            assertThat(EchoServer.roundTrip(proxy.host(), proxy.port(), "ping", 5_000)).isEqualTo("ping");
            return Duration.ofNanos(System.nanoTime() - start).toMillis();
        }
    }

    static class FailingWithRandomFaults {
        @Test
        @ChaosPort(port = 5995, fault = Fault.LATENCY, ms = 20, jitterMs = 10, seed = 42)
        void failsInTheBody(ChaosProxy proxy) {
            PROXY_PORTS.add(proxy.port());
            proxy.inject(FaultSpec.loss(0.5).seed(42));
            throw new AssertionError("failed under jitter");
        }
    }

    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class RandomFaultsThenPlainFailure {
        @Test
        @Order(1)
        @ChaosPort(port = 5996, fault = Fault.LATENCY, ms = 20, jitterMs = 10, seed = 7)
        void passesUnderJitter(ChaosProxy proxy) {
            PROXY_PORTS.add(proxy.port());
        }

        @Test
        @Order(2)
        @ChaosPort(port = 5996, fault = Fault.LATENCY, ms = 20)
        void failsWithoutRandomFaults(ChaosProxy proxy) {
            PROXY_PORTS.add(proxy.port());
            throw new AssertionError("plain failure");
        }
    }

    @ChaosPort(port = 5994, fault = Fault.DOWN)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class FailingTests {
        @Test
        @Order(1)
        void failsInTheBody(ChaosProxy proxy) {
            PROXY_PORTS.add(proxy.port());
            FAULTS.addAll(proxy.activeFaults());
            LOG.add("body " + faults(proxy));
            throw new AssertionError("test failed on purpose");
        }

        @Nested
        class FailingBeforeEach {
            @BeforeEach
            void before(ChaosProxy proxy) {
                PROXY_PORTS.add(proxy.port());
                FAULTS.add(proxy.inject(FaultSpec.latency(Duration.ofMillis(50))));
                throw new IllegalStateException("@BeforeEach failed on purpose");
            }

            @Test
            void neverRuns(ChaosProxy proxy) {
                LOG.add("never");
            }
        }
    }

    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class ForgottenInjection {
        @AfterEach
        void after(@ProxyFor(port = 5992) ChaosProxy proxy) {
            LOG.add("afterEach " + faults(proxy));
        }

        @Test
        @Order(1)
        void first(@ProxyFor(port = 5992) ChaosProxy proxy) {
            PROXY_PORTS.add(proxy.port());
            FAULTS.add(proxy.inject(FaultSpec.resetPeer()));
            LOG.add("first " + faults(proxy));
        }

        @Test
        @Order(2)
        void second(@ProxyFor(port = 5992) ChaosProxy proxy) {
            LOG.add("second " + faults(proxy));
        }
    }
}
