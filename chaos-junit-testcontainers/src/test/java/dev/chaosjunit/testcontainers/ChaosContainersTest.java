package dev.chaosjunit.testcontainers;

import static dev.chaosjunit.testcontainers.TestSupport.REDIS;
import static dev.chaosjunit.testcontainers.TestSupport.redis;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;

import dev.chaosjunit.ActiveFault;
import dev.chaosjunit.ChaosProxy;
import dev.chaosjunit.FaultSpec;

/** {@link ChaosContainers} against real containers. */
@RequiresDocker
class ChaosContainersTest {

    /** A container with a JDBC-style URL, as JdbcDatabaseContainer has, without a database image. */
    static final class UrlContainer extends GenericContainer<UrlContainer> {
        UrlContainer() {
            super(REDIS);
            withExposedPorts(6379);
        }

        public String getJdbcUrl() {
            return "jdbc:redis://" + getHost() + ":" + getMappedPort(6379) + "/0?ssl=false";
        }
    }

    @Test
    void jdbcUrlOfAContainerPointsAtItsSharedProxy() throws IOException {
        try (UrlContainer container = new UrlContainer()) {
            container.start();
            String url = ChaosContainers.jdbcUrl(container);
            ChaosProxy proxy = ChaosContainers.proxy(container, 6379);
            assertThat(url).isEqualTo("jdbc:redis://" + proxy.host() + ":" + proxy.port() + "/0?ssl=false");
            assertThat(Redis.ping(proxy)).isEqualTo("+PONG");
        }
    }

    @Test
    void jdbcUrlRewritesTheUpstreamAddress() {
        try (ChaosProxy proxy = ChaosProxy.open("localhost", 15432)) {
            assertThat(ChaosContainers.jdbcUrl("jdbc:postgresql://localhost:15432/test?loggerLevel=OFF", proxy))
                    .isEqualTo("jdbc:postgresql://" + proxy.host() + ":" + proxy.port() + "/test?loggerLevel=OFF");
            assertThatThrownBy(() -> ChaosContainers.jdbcUrl("jdbc:postgresql://localhost:154320/test", proxy))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("localhost:15432");
        }
    }

    @Test
    void proxyRefusesAContainerNotStartedOrAPortNotExposed() {
        try (GenericContainer<?> container = redis()) {
            assertThatThrownBy(() -> ChaosContainers.proxy(container, 6379))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("not started");
            container.start();
            assertThatThrownBy(() -> ChaosContainers.proxy(container, 5432))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[6379]");
        }
    }

    /**
     * The system under test in a container (here redis-cli in a second Redis container) reaches the
     * dependency through the test JVM's proxy via host.testcontainers.internal, so faults apply to it.
     */
    @Test
    void containerReachesTheDependencyThroughTheProxy() throws Exception {
        try (GenericContainer<?> dependency = redis()) {
            dependency.start();
            ChaosProxy proxy = ChaosContainers.proxy(dependency, 6379);
            String address = ChaosContainers.exposeToContainers(proxy);
            assertThat(address).isEqualTo("host.testcontainers.internal:" + proxy.port());

            try (GenericContainer<?> app = new GenericContainer<>(REDIS).withCommand("sleep", "infinity")) {
                app.start();
                String[] ping = {"redis-cli", "-h", ChaosContainers.HOST_FROM_CONTAINERS, "-p",
                    String.valueOf(proxy.port()), "ping"};

                assertThat(app.execInContainer(ping).getStdout().strip()).isEqualTo("PONG");

                ActiveFault latency = proxy.inject(FaultSpec.latency(Duration.ofMillis(700)));
                long start = System.nanoTime();
                ExecResult slow;
                try {
                    slow = app.execInContainer(ping);
                } finally {
                    latency.close();
                }
                assertThat(slow.getStdout().strip()).isEqualTo("PONG");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(650));

                ActiveFault down = proxy.inject(FaultSpec.down());
                ExecResult refused;
                try {
                    refused = app.execInContainer(ping);
                } finally {
                    down.close();
                }
                assertThat(refused.getStdout() + refused.getStderr()).doesNotContain("PONG");

                assertThat(app.execInContainer(ping).getStdout().strip()).isEqualTo("PONG");
            }
        }
    }
}
