package dev.chaosjunit;

import static dev.chaosjunit.TestKit.assertReleased;
import static dev.chaosjunit.TestKit.runPassing;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.chaosjunit.internal.SharedProxies;

/** Targets claimed by a {@link dev.chaosjunit.spi.TargetResolver} plug-in, and shared proxies. */
class TargetPluginTests {

    static final Queue<String> LOG = new ConcurrentLinkedQueue<>();
    static final Queue<Integer> PROXY_PORTS = new ConcurrentLinkedQueue<>();
    static EchoServer server;

    @BeforeEach
    void start() {
        LOG.clear();
        PROXY_PORTS.clear();
        server = EchoServer.start();
        FakeContainerResolver.container = server;
    }

    @AfterEach
    void stop() {
        FakeContainerResolver.container = null;
        server.close();
    }

    @Test
    void plugin_claimsTheContainer() {
        runPassing(ContainerTarget.class);
        assertThat(LOG).containsExactly("upstream " + server.port() + " [DOWN]", "echo hello");
        PROXY_PORTS.stream().distinct().forEach(TestKit::assertReleased);
    }

    @Test
    void sharedProxy_isUsed_healed_andNotClosed() throws Exception {
        ChaosProxy shared = SharedProxies.forUpstream("localhost", server.port());
        assertThat(SharedProxies.forUpstream("LOCALHOST", server.port())).isSameAs(shared);

        runPassing(SharedTarget.class);

        assertThat(PROXY_PORTS).containsOnly(shared.port());
        assertThat(LOG).containsExactly("[LATENCY(10 ms, DOWNSTREAM)]");
        assertThat(shared.activeFaults()).isEmpty();
        assertThat(EchoServer.roundTrip(shared.host(), shared.port(), "still open", 2_000)).isEqualTo("still open");
        shared.close();
        assertReleased(shared.port());
    }

    @Test
    void constructorParameter_getsTheClassScopedProxy() {
        runPassing(ConstructorParameter.class);
        assertThat(LOG).containsExactly("same proxy true");
    }

    // ------------------------------------------------------------------ fixtures

    static class ContainerTarget {
        @Test
        @ChaosPort(port = 7, container = "echo-container", fault = Fault.DOWN)
        void down(ChaosProxy proxy) {
            PROXY_PORTS.add(proxy.port());
            LOG.add("upstream " + proxy.upstreamPort() + " " + ChaosExtensionTests.faults(proxy));
        }

        @Test
        void healthy(@ProxyFor(port = 7, container = "echo-container") ChaosProxy proxy) throws Exception {
            PROXY_PORTS.add(proxy.port());
            LOG.add("echo " + EchoServer.roundTrip(proxy.host(), proxy.port(), "hello", 2_000));
        }
    }

    static class SharedTarget {
        @ChaosTarget("echo")
        static int port() {
            return server.port();
        }

        @Test
        @ChaosPort(target = "echo", fault = Fault.LATENCY, ms = 10)
        void test(ChaosProxy proxy) {
            PROXY_PORTS.add(proxy.port());
            proxy.inject(FaultSpec.resetPeer(java.time.Duration.ofSeconds(60)).direction(Direction.UPSTREAM));
            LOG.add(proxy.activeFaults().stream().filter(f -> f.spec().fault() == Fault.LATENCY)
                    .map(f -> f.spec().toString()).toList().toString());
        }
    }

    @ChaosPort(port = 5991, fault = Fault.DOWN)
    static class ConstructorParameter {
        final ChaosProxy fromConstructor;

        ConstructorParameter(ChaosProxy proxy) {
            this.fromConstructor = proxy;
        }

        @Test
        void test(ChaosProxy proxy) {
            LOG.add("same proxy " + (proxy.port() == fromConstructor.port()));
        }
    }
}
