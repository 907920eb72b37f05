package dev.chaosjunit.testcontainers;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Objects;

import org.testcontainers.Testcontainers;
import org.testcontainers.containers.ContainerState;

import dev.chaosjunit.ChaosProxy;
import dev.chaosjunit.internal.SharedProxies;

/**
 * Proxies in front of Testcontainers containers for code that runs outside a test method, where
 * {@code @ChaosPort} cannot hand you a proxy: Spring's {@code @DynamicPropertySource}, a
 * {@code static} initializer, a shared test fixture.
 *
 * <pre>{@code
 * @Container
 * static PostgreSQLContainer<?> postgres = new PostgreSQLContainer<>("postgres:15");
 *
 * @DynamicPropertySource
 * static void datasource(DynamicPropertyRegistry registry) {
 *     registry.add("spring.datasource.url", () -> ChaosContainers.jdbcUrl(postgres));
 * }
 *
 * @Test
 * @ChaosPort(port = 5432, fault = Fault.LATENCY, ms = 500)   // acts on the same proxy
 * void checkoutSurvivesSlowDatabase() { ... }
 * }</pre>
 *
 * <p>The proxies are shared by the whole JVM: one per container port, started on first use and
 * closed when the JVM exits (do not close them). A {@code @ChaosPort} or {@code @ProxyFor} that
 * resolves to the same container port uses that same proxy, so its faults reach the application
 * configured with it.
 *
 * <p><b>Which approach when.</b>
 * <ul>
 * <li>The code under test runs in the test JVM (a client, a pool, a Spring context): use
 * {@code @ChaosPort(port = ...)} and a {@link ChaosProxy} parameter, or, when the address is
 * needed before any test runs, {@link #proxy(ContainerState, int)} / {@link #jdbcUrl(ContainerState)}.</li>
 * <li>The code under test runs in another container and reaches the dependency over a Docker
 * network: a proxy in the test JVM does not see that traffic. Point that container at
 * {@link #exposeToContainers(ChaosProxy)} instead of at the dependency's network alias; its traffic
 * then goes container &rarr; test JVM proxy &rarr; dependency, and faults apply.</li>
 * </ul>
 */
public final class ChaosContainers {

    /** The host name under which containers reach ports exposed with {@link #exposeToContainers(ChaosProxy)}. */
    public static final String HOST_FROM_CONTAINERS = "host.testcontainers.internal";

    private ChaosContainers() {
    }

    /**
     * The JVM-wide proxy in front of {@code container}'s {@code containerPort}: it forwards to
     * {@code container.getHost()}:{@code container.getMappedPort(containerPort)}. Every call for the
     * same container port returns the same proxy; {@code @ChaosPort(port = containerPort)} tests use it too.
     *
     * @throws IllegalStateException if the container is not started
     * @throws IllegalArgumentException if the container does not expose {@code containerPort}
     */
    public static ChaosProxy proxy(ContainerState container, int containerPort) {
        Objects.requireNonNull(container, "container");
        requireStarted(container);
        List<Integer> exposed = container.getExposedPorts();
        if (!exposed.contains(containerPort)) {
            throw new IllegalArgumentException("the container exposes " + exposed + ", not port " + containerPort
                    + "; add withExposedPorts(" + containerPort + ")");
        }
        return SharedProxies.forUpstream(container.getHost(), container.getMappedPort(containerPort));
    }

    /**
     * {@code jdbcUrl} with its {@code host:port} replaced by {@code proxy}'s address. The URL must
     * contain the proxy's upstream {@code host:port}, as the URL a container reports does.
     *
     * <pre>{@code
     * String url = ChaosContainers.jdbcUrl(postgres.getJdbcUrl(), ChaosContainers.proxy(postgres, 5432));
     * }</pre>
     *
     * @throws IllegalArgumentException if {@code jdbcUrl} does not contain the proxy's upstream address
     */
    public static String jdbcUrl(String jdbcUrl, ChaosProxy proxy) {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(proxy, "proxy");
        String upstream = proxy.upstreamHost() + ":" + proxy.upstreamPort();
        int at = jdbcUrl.indexOf("//" + upstream);
        int start = at < 0 ? jdbcUrl.indexOf(upstream) : at + 2;
        int end = start + upstream.length();
        if (start < 0 || (end < jdbcUrl.length() && Character.isDigit(jdbcUrl.charAt(end)))) {
            throw new IllegalArgumentException("'" + jdbcUrl + "' does not contain " + upstream
                    + ", the address the proxy forwards to");
        }
        return jdbcUrl.substring(0, start) + proxy.host() + ":" + proxy.port() + jdbcUrl.substring(end);
    }

    /**
     * The JDBC URL of a database container ({@code JdbcDatabaseContainer}, such as
     * {@code PostgreSQLContainer}), pointing at the shared proxy in front of its database port
     * instead of at the container. The port is the exposed port whose mapped port the container's
     * own {@code getJdbcUrl()} uses.
     *
     * @throws IllegalArgumentException if the container has no {@code getJdbcUrl()} method or its
     *         URL names none of its mapped ports
     * @throws IllegalStateException if the container is not started
     */
    public static String jdbcUrl(ContainerState databaseContainer) {
        Objects.requireNonNull(databaseContainer, "databaseContainer");
        requireStarted(databaseContainer);
        String url = containerJdbcUrl(databaseContainer);
        String host = databaseContainer.getHost();
        for (Integer port : databaseContainer.getExposedPorts()) {
            String authority = host + ":" + databaseContainer.getMappedPort(port);
            int at = url.indexOf(authority);
            int end = at + authority.length();
            if (at >= 0 && (end == url.length() || !Character.isDigit(url.charAt(end)))) {
                return jdbcUrl(url, proxy(databaseContainer, port));
            }
        }
        throw new IllegalArgumentException("the JDBC URL '" + url + "' names none of the container's mapped ports "
                + databaseContainer.getExposedPorts() + "; use jdbcUrl(String, ChaosProxy)");
    }

    /**
     * Makes {@code proxy} reachable from containers and returns the address they use,
     * {@code host.testcontainers.internal:<proxy port>}, for a system under test that runs in a
     * container. It calls {@code Testcontainers.exposeHostPorts(proxy.port())}, which starts
     * Testcontainers' SSH port-forwarding container ({@code testcontainers/sshd}) once per JVM.
     *
     * <p>Call it <b>before</b> starting the container that must reach the proxy: Testcontainers
     * adds the {@code host.testcontainers.internal} host entry to containers when they start.
     *
     * <pre>{@code
     * ChaosProxy db = ChaosContainers.proxy(postgres, 5432);
     * String dbFromApp = ChaosContainers.exposeToContainers(db);   // "host.testcontainers.internal:41234"
     * app.withEnv("DB_URL", "jdbc:postgresql://" + dbFromApp + "/test").start();
     * }</pre>
     */
    public static String exposeToContainers(ChaosProxy proxy) {
        Objects.requireNonNull(proxy, "proxy");
        Testcontainers.exposeHostPorts(proxy.port());
        return HOST_FROM_CONTAINERS + ":" + proxy.port();
    }

    private static void requireStarted(ContainerState container) {
        if (container.getContainerId() == null || !container.isRunning()) {
            throw new IllegalStateException("the container is not started: start it first (@Container with "
                    + "@Testcontainers, a static initializer or @BeforeAll), then ask for its proxy");
        }
    }

    private static String containerJdbcUrl(ContainerState container) {
        Method getter;
        try {
            getter = container.getClass().getMethod("getJdbcUrl");
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException(container.getClass().getName() + " has no getJdbcUrl(): it is not a "
                    + "JdbcDatabaseContainer; use proxy(container, port) and build the URL yourself", e);
        }
        try {
            return (String) getter.invoke(container);
        } catch (IllegalAccessException e) {
            throw new IllegalArgumentException("cannot call " + getter, e);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(cause);
        }
    }
}
