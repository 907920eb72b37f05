package dev.chaosjunit.internal.engine;

import dev.chaosjunit.FaultSpec;

/**
 * {@link dev.chaosjunit.Fault#FAIL_FIRST}: the first {@code connections} connections accepted after
 * the fault starts are reset (RST) at once; later ones, and those open before, pass untouched.
 */
final class FailFirstFault extends FaultBehavior {

    private int failuresLeft;

    FailFirstFault(FaultSpec spec) {
        super(spec);
        this.failuresLeft = spec.connections();
    }

    @Override
    void onInjected(EventLoop loop, long nowNanos) {
        // open connections are not "first": only new ones count
    }

    @Override
    void onConnectionReached(Connection connection, long reachedAtNanos) {
        if (failuresLeft > 0) {
            failuresLeft--;
            connection.reset(true, true, "reset by " + spec + " (" + failuresLeft + " more to fail)");
        }
    }
}
