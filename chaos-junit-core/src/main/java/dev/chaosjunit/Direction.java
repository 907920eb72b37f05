package dev.chaosjunit;

/**
 * Which way through a proxy a fault acts.
 *
 * <p>The proxy sits between a <em>client</em> (the code under test) and a <em>dependency</em>
 * (a database, a cache, a service).
 */
public enum Direction {

    /** Bytes from the client to the dependency (requests). */
    UPSTREAM,

    /** Bytes from the dependency to the client (responses). */
    DOWNSTREAM,

    /** Both ways. */
    BOTH,

    /**
     * Sentinel for annotation attributes: "the fault's documented default direction"
     * (see {@link Fault}). Never used in a {@link FaultSpec}.
     */
    DEFAULT;

    /** Whether this direction includes bytes from client to dependency. */
    public boolean includesUpstream() {
        return this == UPSTREAM || this == BOTH;
    }

    /** Whether this direction includes bytes from dependency to client. */
    public boolean includesDownstream() {
        return this == DOWNSTREAM || this == BOTH;
    }

    /** Whether this and {@code other} share at least one way. */
    public boolean overlaps(Direction other) {
        return (includesUpstream() && other.includesUpstream())
                || (includesDownstream() && other.includesDownstream());
    }
}
