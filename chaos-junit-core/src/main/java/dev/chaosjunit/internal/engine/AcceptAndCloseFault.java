package dev.chaosjunit.internal.engine;

import dev.chaosjunit.Direction;
import dev.chaosjunit.FaultSpec;

/**
 * {@link dev.chaosjunit.Fault#ACCEPT_AND_CLOSE}: the port keeps listening, but every connection
 * it reaches (open ones when it starts, new ones as they are accepted) is closed at once with a FIN.
 */
final class AcceptAndCloseFault extends FaultBehavior {

    AcceptAndCloseFault(FaultSpec spec) {
        super(spec);
    }

    @Override
    void onConnectionReached(Connection connection, long reachedAtNanos) {
        if (chosen(connection, Direction.BOTH)) {
            connection.close("closed by " + spec);
        }
    }
}
