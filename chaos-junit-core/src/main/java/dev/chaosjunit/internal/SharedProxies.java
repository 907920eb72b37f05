package dev.chaosjunit.internal;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.chaosjunit.ChaosProxy;
import dev.chaosjunit.internal.engine.TcpChaosProxy;
import dev.chaosjunit.internal.report.ProxyTraffic;

/**
 * One proxy per dependency for the whole JVM, for code that runs before any test and outside
 * any extension context, such as Spring's {@code @DynamicPropertySource}:
 *
 * <pre>{@code
 * @DynamicPropertySource
 * static void datasource(DynamicPropertyRegistry registry) {
 *     ChaosProxy db = SharedProxies.forUpstream(postgres.getHost(), postgres.getMappedPort(5432));
 *     registry.add("spring.datasource.url", () -> "jdbc:postgresql://" + db.host() + ":" + db.port() + "/test");
 * }
 * }</pre>
 *
 * <p>When a {@code @ChaosPort} or {@code @ProxyFor} resolves to a dependency that has a shared
 * proxy, the extension uses that proxy: it injects and heals its own faults there but never
 * closes it. Shared proxies are closed when the JVM shuts down. Do not close them yourself.
 *
 * <p>Internal: for chaos-junit modules such as chaos-junit-testcontainers, not for tests.
 */
public final class SharedProxies {

    private static final Map<String, ChaosProxy> PROXIES = new ConcurrentHashMap<>();
    private static final Map<String, ProxyTraffic> TRAFFIC = new ConcurrentHashMap<>();
    private static final AtomicBoolean HOOK_INSTALLED = new AtomicBoolean();

    private SharedProxies() {
    }

    /**
     * The shared proxy for {@code upstreamHost:upstreamPort}, started on first use and closed at
     * JVM shutdown. Every call with the same dependency returns the same proxy.
     */
    public static ChaosProxy forUpstream(String upstreamHost, int upstreamPort) {
        installShutdownHook();
        return PROXIES.computeIfAbsent(key(upstreamHost, upstreamPort), k -> {
            ProxyTraffic traffic = ProxyTraffic.listening();
            TRAFFIC.put(k, traffic);
            return TcpChaosProxy.start(upstreamHost, upstreamPort, traffic);
        });
    }

    /** Where the shared proxy for {@code upstreamHost:upstreamPort} reports its traffic, if one was started. */
    static Optional<ProxyTraffic> traffic(String upstreamHost, int upstreamPort) {
        return Optional.ofNullable(TRAFFIC.get(key(upstreamHost, upstreamPort)));
    }

    /** The shared proxy for {@code upstreamHost:upstreamPort}, if one was started. */
    public static Optional<ChaosProxy> find(String upstreamHost, int upstreamPort) {
        return Optional.ofNullable(PROXIES.get(key(upstreamHost, upstreamPort)));
    }

    private static String key(String host, int port) {
        return host.toLowerCase(Locale.ROOT) + ":" + port;
    }

    private static void installShutdownHook() {
        if (HOOK_INSTALLED.compareAndSet(false, true)) {
            Runtime.getRuntime().addShutdownHook(new Thread(SharedProxies::closeAll, "chaos-junit-shared-proxies-shutdown"));
        }
    }

    private static void closeAll() {
        for (String key : PROXIES.keySet()) {
            ChaosProxy proxy = PROXIES.remove(key);
            if (proxy != null) {
                try {
                    proxy.close();
                } catch (RuntimeException ignored) {
                    // the JVM is stopping; nothing else can be done
                }
            }
        }
    }
}
