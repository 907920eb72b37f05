package dev.chaosjunit.spi;

/**
 * What a test asked for: the attributes of a {@link dev.chaosjunit.ChaosPort} or
 * {@link dev.chaosjunit.ProxyFor} that name a dependency.
 *
 * @param port the dependency's port, or 0 if not given
 * @param target a {@link dev.chaosjunit.ChaosTarget} name, or empty
 * @param container a container field name, or empty
 * @param origin how the request appears in the test source, for error messages,
 *        such as {@code "@ChaosPort(port = 5432, fault = LATENCY) on method slowDatabase()"}
 */
public record TargetRequest(int port, String target, String container, String origin) {

    /** A short form for messages, such as {@code "port 5432"} or {@code "target 'orders'"}. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        if (!target.isEmpty()) {
            sb.append("target '").append(target).append('\'');
        }
        if (!container.isEmpty()) {
            sb.append(sb.length() > 0 ? ", " : "").append("container '").append(container).append('\'');
        }
        if (port != 0) {
            sb.append(sb.length() > 0 ? ", " : "").append("port ").append(port);
        }
        return sb.toString();
    }
}
