package dev.chaosjunit.testcontainers;

import static dev.chaosjunit.testcontainers.TestSupport.redis;
import static dev.chaosjunit.testcontainers.TestSupport.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import dev.chaosjunit.ChaosPort;
import dev.chaosjunit.ChaosProxy;
import dev.chaosjunit.Fault;
import dev.chaosjunit.ProxyFor;

/**
 * {@code @ChaosPort} and {@code @ProxyFor} through the real extension against real Redis
 * containers; each case class runs in a nested engine.
 */
@RequiresDocker
class ChaosPortOnContainersTest {

    static final AtomicReference<ChaosProxy> BEFORE_ALL_PROXY = new AtomicReference<>();

    private static void assertAllSucceeded(Class<?> testClass) {
        EngineExecutionResults results = run(testClass);
        results.allEvents().failed().stream().forEach(e -> e.getPayload(org.junit.platform.engine.TestExecutionResult.class)
                .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable)
                .ifPresent(Throwable::printStackTrace));
        results.containerEvents().assertStatistics(s -> s.failed(0));
        results.testEvents().assertStatistics(s -> s.failed(0).aborted(0).skipped(0));
        assertThat(results.testEvents().succeeded().count()).isPositive();
    }

    private static String failureMessage(Class<?> testClass) {
        EngineExecutionResults results = run(testClass);
        results.testEvents().assertThatEvents()
                .haveExactly(1, event(finishedWithFailure(instanceOf(ExtensionConfigurationException.class))));
        return results.testEvents().failed().stream().findFirst().orElseThrow()
                .getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow()
                .getThrowable().orElseThrow().getMessage();
    }

    // ---- extension order: @Testcontainers before or after @ChaosPort ---------------------------

    @Testcontainers
    @ChaosPort(port = 6379, fault = Fault.LATENCY, ms = 300)
    static class TestcontainersFirst {
        @Container
        static GenericContainer<?> redis = redis();

        @BeforeAll
        static void pool(@ProxyFor(port = 6379) ChaosProxy proxy) {
            BEFORE_ALL_PROXY.set(proxy);
        }

        @Test
        void slow(ChaosProxy proxy) throws IOException {
            assertThat(proxy.upstreamPort()).isEqualTo(redis.getMappedPort(6379));
            assertThat(proxy.port()).isEqualTo(BEFORE_ALL_PROXY.get().port());
            assertThat(Redis.timePing(proxy)).isGreaterThanOrEqualTo(250);
        }
    }

    @ChaosPort(port = 6379, fault = Fault.LATENCY, ms = 300)
    @Testcontainers
    static class ChaosPortFirst {
        @Container
        static GenericContainer<?> redis = redis();

        @BeforeAll
        static void pool(@ProxyFor(port = 6379) ChaosProxy proxy) {
            BEFORE_ALL_PROXY.set(proxy);
        }

        @Test
        void slow(ChaosProxy proxy) throws IOException {
            assertThat(proxy.upstreamPort()).isEqualTo(redis.getMappedPort(6379));
            assertThat(proxy.port()).isEqualTo(BEFORE_ALL_PROXY.get().port());
            assertThat(Redis.timePing(proxy)).isGreaterThanOrEqualTo(250);
        }
    }

    @Test
    void worksWithTestcontainersAnnotationBeforeChaosPort() {
        assertAllSucceeded(TestcontainersFirst.class);
    }

    @Test
    void worksWithTestcontainersAnnotationAfterChaosPort() {
        assertAllSucceeded(ChaosPortFirst.class);
    }

    // ---- instance containers, method-level faults ----------------------------------------------

    @Testcontainers
    @TestMethodOrder(MethodOrderer.MethodName.class)
    static class InstanceContainer {
        @Container
        GenericContainer<?> redis = redis();

        @Test
        @ChaosPort(port = 6379, fault = Fault.DOWN)
        void a_down(ChaosProxy proxy) {
            assertThat(proxy.upstreamPort()).isEqualTo(redis.getMappedPort(6379));
            assertThatThrownBy(() -> Redis.ping(proxy)).isInstanceOf(IOException.class);
        }

        @Test
        void b_healthy(@ProxyFor(port = 6379) ChaosProxy proxy) throws IOException {
            assertThat(proxy.upstreamPort()).isEqualTo(redis.getMappedPort(6379));
            assertThat(Redis.ping(proxy)).isEqualTo("+PONG");
        }
    }

    @Test
    void instanceContainerGetsAProxyPerTestInstance() {
        assertAllSucceeded(InstanceContainer.class);
    }

    // ---- ChaosContainers.proxy first, @ChaosPort later: the same proxy -------------------------

    @Testcontainers
    @TestMethodOrder(MethodOrderer.MethodName.class)
    static class SharedProxyThenChaosPort {
        @Container
        static GenericContainer<?> redis = redis();
        static ChaosProxy shared;

        @BeforeAll
        static void wire() throws IOException {
            // as a Spring @DynamicPropertySource would: the application is configured with this address
            shared = ChaosContainers.proxy(redis, 6379);
            assertThat(ChaosContainers.proxy(redis, 6379)).isSameAs(shared);
            assertThat(Redis.ping(shared)).isEqualTo("+PONG");
        }

        @Test
        @ChaosPort(port = 6379, fault = Fault.DOWN)
        void a_faultReachesTheSharedProxy(ChaosProxy proxy) {
            assertThat(proxy.port()).isEqualTo(shared.port());
            assertThat(shared.activeFaults()).hasSize(1);
            assertThatThrownBy(() -> Redis.ping(shared)).isInstanceOf(IOException.class);
        }

        @Test
        void b_healedAndStillOpenAfterwards() throws IOException {
            assertThat(shared.activeFaults()).isEmpty();
            assertThat(Redis.ping(shared)).isEqualTo("+PONG");
        }
    }

    @Test
    void chaosPortUsesTheSharedProxyOfChaosContainers() {
        assertAllSucceeded(SharedProxyThenChaosPort.class);
    }

    // ---- configuration errors, as the user sees them -------------------------------------------

    @Testcontainers
    static class SeveralContainers {
        @Container
        static GenericContainer<?> primary = redis();
        @Container
        static GenericContainer<?> replica = redis();

        @Test
        @ChaosPort(port = 6379, fault = Fault.DOWN)
        void test() {
        }
    }

    @Test
    void severalContainersExposingThePort() {
        String simple = SeveralContainers.class.getName();
        assertThat(failureMessage(SeveralContainers.class)).isEqualTo(
                "@ChaosPort(port = 6379, fault = DOWN) on method test(): several containers in " + simple
                        + " expose port 6379: 'primary' (static SeveralContainers.primary: redis:7, exposes [6379]),"
                        + " 'replica' (static SeveralContainers.replica: redis:7, exposes [6379])."
                        + " Say which one with container = \"primary\" (the field name), for example"
                        + " @ChaosPort(port = 6379, container = \"primary\", ...) or"
                        + " @ProxyFor(port = 6379, container = \"primary\").");
    }

    @Testcontainers
    static class SeveralContainersChosen {
        @Container
        static GenericContainer<?> primary = redis();
        @Container
        static GenericContainer<?> replica = redis();

        @Test
        @ChaosPort(port = 6379, container = "replica", fault = Fault.DOWN)
        void test(ChaosProxy proxy) throws IOException {
            assertThat(proxy.upstreamPort()).isEqualTo(replica.getMappedPort(6379));
            assertThat(Redis.ping(primary.getHost(), primary.getMappedPort(6379), java.time.Duration.ofSeconds(5)))
                    .isEqualTo("+PONG");
        }
    }

    @Test
    void containerAttributeChoosesTheContainer() {
        assertAllSucceeded(SeveralContainersChosen.class);
    }

    static class NotStarted {
        static GenericContainer<?> redis = redis();

        @Test
        @ChaosPort(port = 6379, fault = Fault.DOWN)
        void test() {
        }
    }

    @Test
    void containerNotStarted() {
        assertThat(failureMessage(NotStarted.class)).isEqualTo(
                "@ChaosPort(port = 6379, fault = DOWN) on method test(): container 'redis' (static NotStarted.redis:"
                        + " redis:7, exposes [6379]) is not started, so its port 6379 has no address yet."
                        + " Start it before the test needs it: annotate the test class with @Testcontainers and the"
                        + " field with @Container, or start it yourself in a static initializer (the"
                        + " singleton-container pattern) or in a @BeforeAll method.");
    }

    @Testcontainers
    static class PortNotExposed {
        @Container
        static GenericContainer<?> redis = redis();

        @Test
        @ChaosPort(port = 5432, fault = Fault.DOWN)
        void test() {
        }
    }

    @Test
    void noContainerExposesThePort() {
        assertThat(failureMessage(PortNotExposed.class)).isEqualTo(
                "@ChaosPort(port = 5432, fault = DOWN) on method test(): no container in "
                        + PortNotExposed.class.getName() + " exposes port 5432. Its container fields: 'redis'"
                        + " (static PortNotExposed.redis: redis:7, exposes [6379]). Expose the port with"
                        + " withExposedPorts(5432) on the container meant, or, if the dependency is not one of"
                        + " these containers, declare it with @ChaosTarget and use @ChaosPort(target = ...).");
    }
}
