package dev.chaosjunit;

import static dev.chaosjunit.TestKit.onlyFailure;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ParameterResolutionException;

/** Every configuration error, with its exact message, raised before any proxy starts. */
class ChaosPortValidationTests {

    static final List<String> LOG = new ArrayList<>();

    private static void assertConfigurationError(Class<?> fixture, String message) {
        Throwable failure = onlyFailure(fixture);
        assertThat(failure).isInstanceOf(ExtensionConfigurationException.class).hasMessage(message);
    }

    private static void assertParameterError(Class<?> fixture, String message) {
        Throwable failure = onlyFailure(fixture);
        assertThat(failure).isInstanceOf(ParameterResolutionException.class).hasMessage(message);
    }

    @Test
    void port_outOfRange_isRejected() {
        assertConfigurationError(PortOutOfRange.class, "@ChaosPort(port = 70000, fault = DOWN) on method test():"
                + " port = 70000 is out of range; it must be between 1 and 65535");
    }

    @Test
    void ms_negative_isRejected() {
        assertConfigurationError(NegativeMs.class, "@ChaosPort(port = 5432, fault = LATENCY, ms = -5) on method test():"
                + " ms = -5 is negative; it must be 0 or more");
    }

    @Test
    void ms_tooLarge_isRejected() {
        assertConfigurationError(HugeMs.class, "@ChaosPort(port = 5432, fault = LATENCY, ms = 9223372036854775807)"
                + " on method test(): ms = 9223372036854775807 is too large; it must be at most 31536000000 (365 days)");
    }

    @Test
    void neitherPortNorTarget_isRejected() {
        assertConfigurationError(NoTarget.class, "@ChaosPort(fault = DOWN) on method test(): no dependency given;"
                + " set port (such as port = 5432) or target (the name of a @ChaosTarget)");
    }

    @Test
    void portAndTarget_areRejected() {
        assertConfigurationError(PortAndTarget.class,
                "@ChaosPort(port = 5432, target = \"db\", fault = DOWN) on method test():"
                        + " target = \"db\" and port = 5432 both name the dependency; give only one of them");
    }

    @Test
    void ms_onDown_isRejected() {
        assertConfigurationError(MsOnDown.class, "@ChaosPort(port = 5432, fault = DOWN, ms = 100) on method test():"
                + " ms = 100 means nothing for fault = DOWN, which takes no time; remove it");
    }

    @Test
    void direction_onDown_isRejected() {
        assertConfigurationError(DirectionOnDown.class,
                "@ChaosPort(port = 5432, fault = DOWN, direction = UPSTREAM) on method test():"
                        + " direction = UPSTREAM means nothing for fault = DOWN, which acts on the whole port; remove it");
    }

    @Test
    void latency_withoutMs_isRejected() {
        assertConfigurationError(LatencyWithoutMs.class, "@ChaosPort(port = 5432, fault = LATENCY) on method test():"
                + " fault = LATENCY requires ms, the delay in milliseconds (such as ms = 500)");
    }

    @Test
    void unknownTarget_listsTheKnownTargets() {
        assertConfigurationError(UnknownTarget.class,
                "@ChaosPort(target = \"payments\", fault = DOWN) on method test(): target = \"payments\" names no"
                        + " @ChaosTarget in UnknownTarget; known targets: \"orders\", \"users\"");
    }

    @Test
    void unknownTarget_withNoTargets_saysHowToDeclareOne() {
        assertConfigurationError(UnknownTargetNoneDeclared.class,
                "@ChaosPort(target = \"payments\", fault = DOWN) on method test(): target = \"payments\" names no"
                        + " @ChaosTarget in UnknownTargetNoneDeclared; it declares none: put @ChaosTarget(\"payments\")"
                        + " on a field or no-argument method whose value is an InetSocketAddress, an int port or a"
                        + " Supplier of either");
    }

    @Test
    void twoAnnotations_onTheSameTarget_withOverlappingDirections_areRejected() {
        assertConfigurationError(Conflict.class,
                "@ChaosPort(port = 5432, fault = LATENCY, ms = 100) on method test() and"
                        + " @ChaosPort(port = 5432, fault = TIMEOUT) on method test() both inject a fault into"
                        + " port 5432 in overlapping directions (DOWNSTREAM and BOTH); keep only one of them, give"
                        + " them directions that do not overlap, such as UPSTREAM and DOWNSTREAM, or schedules that"
                        + " never act at the same time (startAfterMs, durationMs)");
    }

    @Test
    void classLevelError_failsTheClass_beforeBeforeAllRuns() {
        LOG.clear();
        assertConfigurationError(ClassLevelConflict.class,
                "@ChaosPort(port = 5432, fault = DOWN) on class ClassLevelConflict and"
                        + " @ChaosPort(port = 5432, fault = RESET_PEER) on class ClassLevelConflict both inject a fault"
                        + " into port 5432 in overlapping directions (the whole port and BOTH); keep only one of them,"
                        + " give them directions that do not overlap, such as UPSTREAM and DOWNSTREAM, or schedules"
                        + " that never act at the same time (startAfterMs, durationMs)");
        assertThat(LOG).isEmpty();
    }

    @Test
    void container_withoutPlugin_asksForChaosJunitTestcontainers() {
        Thread thread = Thread.currentThread();
        ClassLoader original = thread.getContextClassLoader();
        thread.setContextClassLoader(new WithoutTargetResolvers(original));
        try {
            assertConfigurationError(ContainerWithoutPlugin.class,
                    "@ChaosPort(port = 5432, container = \"postgres\", fault = DOWN) on method test():"
                            + " container = \"postgres\" needs a plug-in that knows containers, and there is none;"
                            + " add chaos-junit-testcontainers to the test classpath");
        } finally {
            thread.setContextClassLoader(original);
        }
    }

    @Test
    void container_thatNoPluginClaims_namesTheInstalledPlugins() {
        assertConfigurationError(ContainerWithoutPlugin.class,
                "@ChaosPort(port = 5432, container = \"postgres\", fault = DOWN) on method test():"
                        + " container = \"postgres\" was claimed by none of the installed plug-ins"
                        + " (FakeContainerResolver); check that a started container is in a field named postgres");
    }

    /** Hides the test classpath's TargetResolver registrations from ServiceLoader. */
    static final class WithoutTargetResolvers extends ClassLoader {
        WithoutTargetResolvers(ClassLoader parent) {
            super(parent);
        }

        @Override
        public java.util.Enumeration<java.net.URL> getResources(String name) throws java.io.IOException {
            if (name.equals("META-INF/services/dev.chaosjunit.spi.TargetResolver")) {
                return java.util.Collections.emptyEnumeration();
            }
            return super.getResources(name);
        }
    }

    @Test
    void chaosTarget_ofUnsupportedType_isRejected() {
        assertConfigurationError(TargetOfWrongType.class, "@ChaosTarget(\"orders\") on static field"
                + " TargetOfWrongType.orders: type String is not supported; use InetSocketAddress, int, Integer"
                + " or a Supplier of one of them");
    }

    @Test
    @DisplayName("an unqualified ChaosProxy parameter with two targets lists them and shows @ProxyFor")
    void ambiguousParameter_listsTargets_andShowsProxyFor() {
        assertParameterError(AmbiguousParameter.class, "ChaosProxy parameter proxy of method test(ChaosProxy) is"
                + " ambiguous: @ChaosPort declares port 5432 and port 6379; say which with"
                + " @ProxyFor(port = 5432) ChaosProxy proxy or @ProxyFor(port = 6379) ChaosProxy proxy");
    }

    @Test
    @DisplayName("an unqualified ChaosProxy parameter with no @ChaosPort and two @ChaosTargets lists them")
    void unqualifiedParameter_withTwoTargets_listsThem_andShowsProxyFor() {
        assertParameterError(TwoTargetsUnqualified.class, "ChaosProxy parameter proxy of method test(ChaosProxy) is"
                + " ambiguous: no @ChaosPort applies here and TwoTargetsUnqualified declares the targets"
                + " \"orders\", \"users\"; say which with @ProxyFor(target = \"orders\") ChaosProxy proxy"
                + " or @ProxyFor(target = \"users\") ChaosProxy proxy");
    }

    @Test
    void parameter_withNoTarget_saysHowToNameOne() {
        assertParameterError(ParameterWithoutTarget.class, "ChaosProxy parameter proxy of method test(ChaosProxy)"
                + " names no dependency: no @ChaosPort applies here; declare one, or say which with"
                + " @ProxyFor(port = ...) or @ProxyFor(target = \"...\")");
    }

    @Test
    void proxyFor_withInvalidPort_isRejected() {
        assertParameterError(ProxyForOutOfRange.class, "@ProxyFor(port = -1) on parameter proxy of method"
                + " test(ChaosProxy): port = -1 is out of range; it must be between 1 and 65535");
    }

    @Test
    void instanceTarget_inBeforeAll_asksForAStaticOne() {
        assertParameterError(InstanceTargetInBeforeAll.class, "@ProxyFor(target = \"own\") on parameter proxy of"
                + " method all(ChaosProxy): @ChaosTarget(\"own\") on field InstanceTargetInBeforeAll.own belongs to a"
                + " test instance, and there is none here; make it static to use it in @BeforeAll, @AfterAll or a"
                + " constructor");
    }

    @Test
    void schedule_repeatingMoreOftenThanItLasts_isRejected_beforeAnythingStarts() {
        assertConfigurationError(RepeatShorterThanDuration.class, "@ChaosPort(port = 5432, fault = DOWN,"
                + " durationMs = 1000, repeatEveryMs = 500) on method test(): repeatEveryMs = 500 must be longer than"
                + " durationMs = 1000, so that the fault is healed between occurrences");
    }

    // ------------------------------------------------------------------ fixtures

    static class RepeatShorterThanDuration {
        @Test
        @ChaosPort(port = 5432, fault = Fault.DOWN, durationMs = 1000, repeatEveryMs = 500)
        void test() {
        }
    }

    static class PortOutOfRange {
        @Test
        @ChaosPort(port = 70000, fault = Fault.DOWN)
        void test() {
        }
    }

    static class NegativeMs {
        @Test
        @ChaosPort(port = 5432, fault = Fault.LATENCY, ms = -5)
        void test() {
        }
    }

    static class HugeMs {
        @Test
        @ChaosPort(port = 5432, fault = Fault.LATENCY, ms = Long.MAX_VALUE)
        void test() {
        }
    }

    static class NoTarget {
        @Test
        @ChaosPort(fault = Fault.DOWN)
        void test() {
        }
    }

    static class PortAndTarget {
        @ChaosTarget("db")
        static int db = 5432;

        @Test
        @ChaosPort(port = 5432, target = "db", fault = Fault.DOWN)
        void test() {
        }
    }

    static class MsOnDown {
        @Test
        @ChaosPort(port = 5432, fault = Fault.DOWN, ms = 100)
        void test() {
        }
    }

    static class DirectionOnDown {
        @Test
        @ChaosPort(port = 5432, fault = Fault.DOWN, direction = Direction.UPSTREAM)
        void test() {
        }
    }

    static class LatencyWithoutMs {
        @Test
        @ChaosPort(port = 5432, fault = Fault.LATENCY)
        void test() {
        }
    }

    static class UnknownTarget {
        @ChaosTarget("orders")
        static int orders = 8080;

        @ChaosTarget("users")
        static InetSocketAddress users() {
            return new InetSocketAddress("localhost", 8081);
        }

        @Test
        @ChaosPort(target = "payments", fault = Fault.DOWN)
        void test() {
        }
    }

    static class UnknownTargetNoneDeclared {
        @Test
        @ChaosPort(target = "payments", fault = Fault.DOWN)
        void test() {
        }
    }

    static class Conflict {
        @Test
        @ChaosPort(port = 5432, fault = Fault.LATENCY, ms = 100)
        @ChaosPort(port = 5432, fault = Fault.TIMEOUT)
        void test() {
        }
    }

    @ChaosPort(port = 5432, fault = Fault.DOWN)
    @ChaosPort(port = 5432, fault = Fault.RESET_PEER)
    static class ClassLevelConflict {
        @BeforeAll
        static void all() {
            LOG.add("beforeAll ran");
        }

        @Test
        void test() {
        }
    }

    static class ContainerWithoutPlugin {
        @Test
        @ChaosPort(port = 5432, container = "postgres", fault = Fault.DOWN)
        void test() {
        }
    }

    static class TargetOfWrongType {
        @ChaosTarget("orders")
        static String orders = "localhost:8080";

        @Test
        @ChaosPort(target = "orders", fault = Fault.DOWN)
        void test() {
        }
    }

    static class AmbiguousParameter {
        @Test
        @ChaosPort(port = 5432, fault = Fault.DOWN)
        @ChaosPort(port = 6379, fault = Fault.DOWN)
        void test(ChaosProxy proxy) {
        }
    }

    static class TwoTargetsUnqualified {
        @ChaosTarget("orders")
        static int orders = 8080;

        @ChaosTarget("users")
        static int users = 8081;

        @Test
        void test(ChaosProxy proxy) {
        }
    }

    static class ParameterWithoutTarget {
        @Test
        @org.junit.jupiter.api.extension.ExtendWith(dev.chaosjunit.internal.ChaosExtension.class)
        void test(ChaosProxy proxy) {
        }
    }

    static class ProxyForOutOfRange {
        @Test
        void test(@ProxyFor(port = -1) ChaosProxy proxy) {
        }
    }

    static class InstanceTargetInBeforeAll {
        @ChaosTarget("own")
        int own = 8080;

        @BeforeAll
        static void all(@ProxyFor(target = "own") ChaosProxy proxy) {
        }

        @Test
        void test() {
        }
    }
}
