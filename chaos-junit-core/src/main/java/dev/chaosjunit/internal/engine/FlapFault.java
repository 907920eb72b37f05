package dev.chaosjunit.internal.engine;

import dev.chaosjunit.FaultSpec;
import java.util.ArrayList;
import java.util.SplittableRandom;

/**
 * {@link dev.chaosjunit.Fault#FLAP}: a timer switches the port between up (normal) and down
 * (exactly {@link DownFault}: not listening, open connections closed). Up lasts
 * {@code upFraction} of the period, down the rest, each moved by up to &plusmn; jitter from the seed
 * (never shorter than 1 ms). Starts up; an up fraction of 0 is down for good, 1 up for good.
 */
final class FlapFault extends FaultBehavior {

    private static final long MIN_PHASE_NANOS = 1_000_000L;

    private final EventLoop loop;
    private final long upNanos;
    private final long downNanos;
    private final long jitterNanos;
    private final SplittableRandom random;
    private boolean down;
    private TimerQueue.Timer nextSwitch;

    FlapFault(FaultSpec spec, EventLoop loop) {
        super(spec);
        this.loop = loop;
        long period = spec.duration().toNanos();
        this.upNanos = Math.round(period * spec.fraction());
        this.downNanos = period - upNanos;
        this.jitterNanos = spec.jitter().toNanos();
        this.random = new SplittableRandom(spec.seed());
    }

    @Override
    void onInjected(EventLoop loop, long nowNanos) {
        if (upNanos == 0) {
            goDown(nowNanos);
        } else if (downNanos > 0) {
            nextSwitch = loop.timers().schedule(nowNanos + phase(upNanos), () -> goDown(System.nanoTime()));
        }
    }

    private void goDown(long nowNanos) {
        down = true;
        loop.stopListening();
        for (Connection connection : new ArrayList<>(loop.connections())) {
            connection.close("closed by " + spec + " (down phase)");
        }
        if (upNanos > 0) {
            nextSwitch = loop.timers().schedule(nowNanos + phase(downNanos), () -> goUp(System.nanoTime()));
        }
    }

    private void goUp(long nowNanos) {
        down = false;
        loop.listenUnlessPortKeptClosed();
        nextSwitch = loop.timers().schedule(nowNanos + phase(upNanos), () -> goDown(System.nanoTime()));
    }

    private long phase(long nanos) {
        long jitter = jitterNanos == 0 ? 0 : random.nextLong(-jitterNanos, jitterNanos + 1);
        return Math.max(MIN_PHASE_NANOS, nanos + jitter);
    }

    @Override
    void onConnectionReached(Connection connection, long reachedAtNanos) {
        if (down) {
            connection.close("closed by " + spec + " (down phase)");
        }
    }

    @Override
    boolean keepsPortClosed() {
        return down;
    }

    @Override
    void onHealed(EventLoop loop, long nowNanos) {
        if (nextSwitch != null) {
            nextSwitch.cancel();
        }
        if (down) {
            down = false;
            loop.listenUnlessPortKeptClosed();
        }
    }
}
