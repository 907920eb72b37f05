package dev.chaosjunit.testcontainers;

import static dev.chaosjunit.testcontainers.TestSupport.redis;
import static dev.chaosjunit.testcontainers.TestSupport.resolve;
import static dev.chaosjunit.testcontainers.TestSupport.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import dev.chaosjunit.spi.ResolvedTarget;

/**
 * The resolver on its own, against real containers: each case class runs in a nested engine and
 * records what the resolver returned (or threw) into {@link #RESULT}.
 */
@RequiresDocker
class ContainerTargetResolverTest {

    static final AtomicReference<Object> RESULT = new AtomicReference<>();
    static final AtomicReference<Integer> MAPPED = new AtomicReference<>();

    static void record(ExtensionContext context, int port, String container, GenericContainer<?> expected) {
        if (expected != null && expected.isRunning()) {
            MAPPED.set(expected.getMappedPort(6379));
        }
        try {
            RESULT.set(resolve(context, port, container));
        } catch (RuntimeException e) {
            RESULT.set(e);
        }
    }

    private static Object runCase(Class<?> testClass) {
        RESULT.set(null);
        MAPPED.set(null);
        run(testClass).testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
        return RESULT.get();
    }

    private static ResolvedTarget resolved(Class<?> testClass) {
        Object result = runCase(testClass);
        assertThat(result).isInstanceOf(Optional.class);
        Optional<?> target = (Optional<?>) result;
        assertThat(target).isPresent();
        ResolvedTarget t = (ResolvedTarget) target.get();
        assertThat(t.host()).isEqualTo(redisHost());
        assertThat(t.port()).isEqualTo(MAPPED.get());
        return t;
    }

    private static String failure(Class<?> testClass) {
        Object result = runCase(testClass);
        assertThat(result).isInstanceOf(ExtensionConfigurationException.class);
        return ((Exception) result).getMessage();
    }

    private static String redisHost() {
        return org.testcontainers.DockerClientFactory.instance().dockerHostIpAddress();
    }

    // ---- cases ----------------------------------------------------------------------------------

    @Testcontainers
    @ExtendWith(ContextCapture.class)
    static class StaticContainer {
        @Container
        static GenericContainer<?> redis = redis();

        @Test
        void test(ExtensionContext context) {
            record(context, 6379, "", redis);
        }
    }

    @Test
    void staticContainerFieldResolvesToMappedPortForTheClass() {
        ResolvedTarget t = resolved(StaticContainer.class);
        assertThat(t.perTestInstance()).isFalse();
        assertThat(t.description()).isEqualTo("container 'redis' (redis:7) port 6379");
    }

    @Testcontainers
    @ExtendWith(ContextCapture.class)
    static class InstanceContainer {
        @Container
        GenericContainer<?> cache = redis();

        @Test
        void test(ExtensionContext context) {
            record(context, 6379, "", cache);
        }
    }

    @Test
    void instanceContainerFieldResolvesPerTestInstance() {
        ResolvedTarget t = resolved(InstanceContainer.class);
        assertThat(t.perTestInstance()).isTrue();
    }

    @Testcontainers
    abstract static class AbstractRedisTest {
        @Container
        static GenericContainer<?> inherited = redis();
    }

    @ExtendWith(ContextCapture.class)
    static class InheritedContainer extends AbstractRedisTest {
        @Test
        void test(ExtensionContext context) {
            record(context, 6379, "", inherited);
        }
    }

    @Test
    void inheritedContainerFieldIsFound() {
        assertThat(resolved(InheritedContainer.class).description()).contains("'inherited'");
    }

    @ExtendWith(ContextCapture.class)
    static class SingletonContainer {
        static final GenericContainer<?> REDIS = redis();

        static {
            REDIS.start();
        }

        // the singleton-container pattern: lives as long as the JVM (Ryuk or CI's cleanup removes it)

        @Test
        void test(ExtensionContext context) {
            record(context, 6379, "", REDIS);
        }
    }

    @Test
    void containerStartedInStaticInitializerWithoutAnnotationsIsFound() {
        assertThat(resolved(SingletonContainer.class).perTestInstance()).isFalse();
    }

    @ExtendWith(ContextCapture.class)
    static class StartedInBeforeAll {
        static GenericContainer<?> redis;

        @BeforeAll
        static void start() {
            redis = redis();
            redis.start();
        }

        @AfterAll
        static void stop() {
            redis.stop();
        }

        @Test
        void test(ExtensionContext context) {
            record(context, 6379, "", redis);
        }
    }

    @Test
    void containerStartedByHandInBeforeAllIsFound() {
        resolved(StartedInBeforeAll.class);
    }

    @Testcontainers
    @ExtendWith(ContextCapture.class)
    static class TwoContainers {
        @Container
        static GenericContainer<?> primary = redis();
        @Container
        static GenericContainer<?> replica = redis();

        @Test
        void test(ExtensionContext context) {
            record(context, 6379, "", null);
        }
    }

    @Test
    void severalContainersExposingThePortIsAnErrorNamingThem() {
        assertThat(failure(TwoContainers.class))
                .contains("several containers", "expose port 6379", "'primary'", "'replica'",
                        "container = \"primary\"");
    }

    @Testcontainers
    @ExtendWith(ContextCapture.class)
    static class TwoContainersNamed {
        @Container
        static GenericContainer<?> primary = redis();
        @Container
        static GenericContainer<?> replica = redis();

        @Test
        void test(ExtensionContext context) {
            record(context, 6379, "replica", replica);
        }
    }

    @Test
    void containerAttributeChoosesAmongSeveral() {
        assertThat(resolved(TwoContainersNamed.class).description()).contains("'replica'");
    }

    @ExtendWith(ContextCapture.class)
    static class NotStarted {
        static GenericContainer<?> redis = redis();

        @Test
        void test(ExtensionContext context) {
            record(context, 6379, "", null);
        }
    }

    @Test
    void containerNotStartedIsAnErrorSayingHowToStartIt() {
        assertThat(failure(NotStarted.class))
                .contains("'redis'", "is not started", "@Testcontainers", "@Container", "static initializer",
                        "@BeforeAll");
    }

    @Testcontainers
    @ExtendWith(ContextCapture.class)
    static class NoContainerExposesThePort {
        @Container
        static GenericContainer<?> redis = redis();

        @Test
        void test(ExtensionContext context) {
            record(context, 5432, "", null);
        }
    }

    @Test
    void noContainerExposingThePortIsAnErrorListingWhatIsExposed() {
        assertThat(failure(NoContainerExposesThePort.class))
                .contains("no container", "exposes port 5432", "'redis'", "[6379]", "withExposedPorts(5432)");
    }

    @ExtendWith(ContextCapture.class)
    static class NoContainerFields {
        @Test
        void test(ExtensionContext context) {
            record(context, 5432, "", null);
        }
    }

    @Test
    void classWithoutContainerFieldsIsLeftToTheNextResolver() {
        assertThat(runCase(NoContainerFields.class)).isEqualTo(Optional.empty());
    }

    @Testcontainers
    static class Outer {
        @Container
        static GenericContainer<?> outerRedis = redis();

        @Nested
        @ExtendWith(ContextCapture.class)
        class Inner {
            @Test
            void test(ExtensionContext context) {
                record(context, 6379, "", outerRedis);
            }
        }
    }

    @Test
    void nestedClassFindsTheEnclosingClassContainer() {
        assertThat(resolved(Outer.class).description()).contains("'outerRedis'");
    }
}
