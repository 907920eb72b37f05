package dev.chaosjunit;

/**
 * A snapshot of what went through a {@link ChaosProxy}.
 *
 * @param connectionsAccepted connections accepted from clients since the proxy started
 * @param connectionsOpen connections open now
 * @param bytesUpstream bytes delivered from clients to the dependency
 * @param bytesDownstream bytes delivered from the dependency to clients
 */
public record TrafficStats(long connectionsAccepted, int connectionsOpen, long bytesUpstream, long bytesDownstream) {
}
