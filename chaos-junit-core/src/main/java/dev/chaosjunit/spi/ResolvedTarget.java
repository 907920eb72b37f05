package dev.chaosjunit.spi;

import java.util.Objects;

/**
 * A dependency a proxy forwards to.
 *
 * @param host the host to connect to
 * @param port the port to connect to
 * @param description what this is, for reports and messages, such as
 *        {@code "container 'postgres' (postgres:15) port 5432"}
 * @param perTestInstance true when the dependency belongs to one test instance (an instance
 *        field), so its proxy must be closed with that instance; false when it lives for the whole
 *        test class (a static field, a server on a fixed port)
 */
public record ResolvedTarget(String host, int port, String description, boolean perTestInstance) {

    /** Checks the values. */
    public ResolvedTarget {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(description, "description");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be between 1 and 65535, but was " + port);
        }
    }
}
