package dev.chaosjunit;

/**
 * A health check of the system under test: returns normally when the system is healthy and
 * throws when it is not. Used by {@link ChaosAssertions}.
 *
 * <pre>{@code
 * Probe db = () -> jdbc.queryForObject("select 1", Integer.class);
 * }</pre>
 */
@FunctionalInterface
public interface Probe {

    /** Checks once; any exception or error means "not healthy". */
    void check() throws Exception;
}
