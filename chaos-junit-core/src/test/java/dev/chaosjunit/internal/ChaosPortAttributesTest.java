package dev.chaosjunit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chaosjunit.ChaosPort;
import dev.chaosjunit.Direction;
import dev.chaosjunit.Fault;
import dev.chaosjunit.FaultSchedule;
import dev.chaosjunit.FaultSpec;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/** The catalog's {@link ChaosPort} attributes: conversion to {@link FaultSpec} and every kind of error message. */
class ChaosPortAttributesTest {

    @ChaosPort(port = 1, fault = Fault.LATENCY, ms = 100, jitterMs = 20, direction = Direction.BOTH, toxicity = 0.5, seed = 42)
    void latency() { }

    @ChaosPort(port = 1, fault = Fault.BANDWIDTH, rate = 0)
    void bandwidth() { }

    @ChaosPort(port = 1, fault = Fault.SLICER, averageSize = 100, sizeVariation = 10, delayUs = 500)
    void slicer() { }

    @ChaosPort(port = 1, fault = Fault.FLAP, periodMs = 1000, upFraction = 0.25, jitterMs = 50, seed = 7)
    void flap() { }

    @ChaosPort(port = 1, fault = Fault.LIMIT_DATA, bytes = 10)
    void limit() { }

    @ChaosPort(port = 1, fault = Fault.LOSS, fraction = 0.1)
    void loss() { }

    @ChaosPort(port = 1, fault = Fault.FAIL_FIRST, connections = 2)
    void failFirst() { }

    @ChaosPort(port = 1, fault = Fault.SLOW_CLOSE, ms = 300)
    void slowClose() { }

    @ChaosPort(port = 1, fault = Fault.ACCEPT_AND_HANG)
    void hang() { }

    @ChaosPort(port = 1, fault = Fault.BANDWIDTH, rate = -5)
    void negativeRate() { }

    @ChaosPort(port = 1, fault = Fault.BANDWIDTH)
    void missingRate() { }

    @ChaosPort(port = 1, fault = Fault.LATENCY, ms = 1, rate = 5)
    void meaningless() { }

    @ChaosPort(port = 1, fault = Fault.SLICER, averageSize = 10, sizeVariation = 10)
    void badVariation() { }

    @ChaosPort(port = 1, fault = Fault.FLAP, periodMs = 100, upFraction = 2)
    void badUpFraction() { }

    @ChaosPort(port = 1, fault = Fault.DOWN, toxicity = 0.5)
    void toxicDown() { }

    @ChaosPort(port = 1, fault = Fault.ACCEPT_AND_CLOSE, direction = Direction.UPSTREAM)
    void directedAccept() { }

    @ChaosPort(port = 1, fault = Fault.LOSS, fraction = 0.1, ms = 3)
    void lossWithMs() { }

    @ChaosPort(port = 1, fault = Fault.DOWN, startAfterMs = 500, durationMs = 1000, repeatEveryMs = 3000, times = 3)
    void fullSchedule() { }

    @ChaosPort(port = 1, fault = Fault.DOWN, durationMs = 200)
    void durationOnly() { }

    @ChaosPort(port = 1, fault = Fault.LATENCY, ms = 100, startAfterMs = 250)
    void startAfterOnly() { }

    @ChaosPort(port = 1, fault = Fault.DOWN, durationMs = 100, repeatEveryMs = 400)
    void repeatUntilTheEnd() { }

    @ChaosPort(port = 1, fault = Fault.DOWN, times = 1)
    void onceExplicitly() { }

    @ChaosPort(port = 1, fault = Fault.DOWN)
    void noSchedule() { }

    @ChaosPort(port = 1, fault = Fault.DOWN, startAfterMs = -5)
    void negativeStartAfter() { }

    @ChaosPort(port = 1, fault = Fault.DOWN, startAfterMs = 31_536_000_001L)
    void hugeStartAfter() { }

    @ChaosPort(port = 1, fault = Fault.DOWN, durationMs = 0)
    void zeroDuration() { }

    @ChaosPort(port = 1, fault = Fault.DOWN, durationMs = -3)
    void negativeDuration() { }

    @ChaosPort(port = 1, fault = Fault.DOWN, durationMs = 100, repeatEveryMs = 0)
    void zeroRepeat() { }

    @ChaosPort(port = 1, fault = Fault.DOWN, durationMs = 100, repeatEveryMs = 31_536_000_001L)
    void hugeRepeat() { }

    @ChaosPort(port = 1, fault = Fault.DOWN, repeatEveryMs = 500)
    void repeatWithoutDuration() { }

    @ChaosPort(port = 1, fault = Fault.DOWN, durationMs = 1000, repeatEveryMs = 500)
    void repeatShorterThanDuration() { }

    @ChaosPort(port = 1, fault = Fault.DOWN, durationMs = 500, repeatEveryMs = 500)
    void repeatAsLongAsDuration() { }

    @ChaosPort(port = 1, fault = Fault.DOWN, durationMs = 100, times = 3)
    void timesWithoutRepeat() { }

    @ChaosPort(port = 1, fault = Fault.DOWN, durationMs = 100, repeatEveryMs = 200, times = 0)
    void zeroTimes() { }

    private static ChaosPortSpec portSpec(String method) throws Exception {
        ChaosPort annotation = ChaosPortAttributesTest.class.getDeclaredMethod(method).getAnnotation(ChaosPort.class);
        return ChaosPortSpec.from(annotation, "method " + method + "()");
    }

    private static FaultSpec spec(String method) throws Exception {
        return portSpec(method).fault();
    }

    private static FaultSchedule schedule(String method) throws Exception {
        return portSpec(method).schedule();
    }

    @Test
    void validAnnotations_becomeTheSameSpecsAsTheFactories() throws Exception {
        assertThat(spec("latency")).isEqualTo(FaultSpec.latency(Duration.ofMillis(100), Duration.ofMillis(20))
                .direction(Direction.BOTH).toxicity(0.5).seed(42));
        assertThat(spec("bandwidth")).isEqualTo(FaultSpec.bandwidth(0));
        assertThat(spec("slicer")).isEqualTo(FaultSpec.slicer(100, 10, Duration.ofNanos(500_000)));
        assertThat(spec("flap")).isEqualTo(FaultSpec.flap(Duration.ofSeconds(1), 0.25).jitter(Duration.ofMillis(50)).seed(7));
        assertThat(spec("limit")).isEqualTo(FaultSpec.limitData(10));
        assertThat(spec("loss")).isEqualTo(FaultSpec.loss(0.1));
        assertThat(spec("failFirst")).isEqualTo(FaultSpec.failFirst(2));
        assertThat(spec("slowClose")).isEqualTo(FaultSpec.slowClose(Duration.ofMillis(300)));
        assertThat(spec("hang")).isEqualTo(FaultSpec.acceptAndHang());
    }

    @Test
    void invalidAnnotations_nameTheAttributeTheValueAndWhatIsRight() {
        assertError("negativeRate", "@ChaosPort(port = 1, fault = BANDWIDTH, rate = -5) on method negativeRate(): "
                + "rate = -5 is negative; it must be 0 or more");
        assertError("missingRate", "@ChaosPort(port = 1, fault = BANDWIDTH) on method missingRate(): "
                + "fault = BANDWIDTH requires rate, the rate in KB/s (such as rate = 100; 0 holds the data)");
        assertError("meaningless", "rate = 5 means nothing for fault = LATENCY; remove it");
        assertError("badVariation", "sizeVariation = 10 is out of range; it must be 0 or more and less than averageSize (10)");
        assertError("badUpFraction", "upFraction = 2.0 is out of range; it must be between 0.0 and 1.0");
        assertError("toxicDown", "toxicity = 0.5 means nothing for fault = DOWN; remove it");
        assertError("directedAccept", "direction = UPSTREAM means nothing for fault = ACCEPT_AND_CLOSE, which takes no direction; remove it");
        assertError("lossWithMs", "ms = 3 means nothing for fault = LOSS; remove it");
    }

    @Test
    void scheduleAttributes_becomeTheSameScheduleAsInCode() throws Exception {
        assertThat(schedule("fullSchedule")).isEqualTo(FaultSchedule.after(Duration.ofMillis(500))
                .lasting(Duration.ofSeconds(1)).every(Duration.ofSeconds(3)).times(3))
                .hasToString("after 500 ms, lasting 1 s, every 3 s, 3 times");
        assertThat(schedule("durationOnly")).isEqualTo(FaultSchedule.immediately().lasting(Duration.ofMillis(200)));
        assertThat(schedule("startAfterOnly")).isEqualTo(FaultSchedule.after(Duration.ofMillis(250)));
        assertThat(spec("startAfterOnly")).isEqualTo(FaultSpec.latency(Duration.ofMillis(100)));
        assertThat(schedule("repeatUntilTheEnd")).hasToString("immediately, lasting 100 ms, every 400 ms, until cancelled");
        assertThat(schedule("onceExplicitly")).isEqualTo(FaultSchedule.immediately());
        assertThat(schedule("noSchedule")).as("the whole body, no schedule").isNull();
    }

    @Test
    void invalidScheduleAttributes_nameTheAttributeTheValueAndWhatIsRight() {
        assertError("negativeStartAfter", "@ChaosPort(port = 1, fault = DOWN, startAfterMs = -5) on method"
                + " negativeStartAfter(): startAfterMs = -5 is negative; it must be 0 or more");
        assertError("hugeStartAfter", "startAfterMs = 31536000001 is too large; it must be at most 31536000000 (365 days)");
        assertError("zeroDuration", "durationMs = 0 is not positive; it must be 1 or more");
        assertError("negativeDuration", "durationMs = -3 is negative; it must be 1 or more");
        assertError("zeroRepeat", "repeatEveryMs = 0 is not positive; it must be 1 or more");
        assertError("hugeRepeat", "repeatEveryMs = 31536000001 is too large; it must be at most 31536000000 (365 days)");
        assertError("repeatWithoutDuration", "@ChaosPort(port = 1, fault = DOWN, repeatEveryMs = 500) on method"
                + " repeatWithoutDuration(): repeatEveryMs = 500 needs durationMs, how long each occurrence lasts"
                + " (such as durationMs = 250)");
        assertError("repeatShorterThanDuration", "repeatEveryMs = 500 must be longer than durationMs = 1000,"
                + " so that the fault is healed between occurrences");
        assertError("repeatAsLongAsDuration", "repeatEveryMs = 500 must be longer than durationMs = 500,"
                + " so that the fault is healed between occurrences");
        assertError("timesWithoutRepeat", "@ChaosPort(port = 1, fault = DOWN, durationMs = 100, times = 3) on method"
                + " timesWithoutRepeat(): times = 3 needs repeatEveryMs, the time from the start of one occurrence"
                + " to the start of the next (such as repeatEveryMs = 1000)");
        assertError("zeroTimes", "times = 0 is not positive; it must be 1 or more");
    }

    private static void assertError(String method, String message) {
        assertThatThrownBy(() -> spec(method)).isInstanceOf(ExtensionConfigurationException.class).hasMessageEndingWith(message);
    }

    @Test
    void seed_isShownWhenAChoiceIsRandom_andComesFromTheSystemPropertyOtherwise() {
        String before = System.getProperty(FaultSpec.SEED_PROPERTY);
        try {
            System.setProperty(FaultSpec.SEED_PROPERTY, "1234");
            assertThat(FaultSpec.loss(0.5).seed()).isEqualTo(1234);
            assertThat(FaultSpec.loss(0.5).toString()).isEqualTo("LOSS(fraction 0.5, BOTH, seed=1234)");
            assertThat(FaultSpec.loss(0.5).seed(9).seed()).isEqualTo(9);
            assertThat(FaultSpec.latency(Duration.ofMillis(5)).toString()).isEqualTo("LATENCY(5 ms, DOWNSTREAM)");
            System.setProperty(FaultSpec.SEED_PROPERTY, "abc");
            assertThatThrownBy(FaultSpec::globalSeed).hasMessageContaining("chaos.seed must be a whole number");
        } finally {
            if (before == null) {
                System.clearProperty(FaultSpec.SEED_PROPERTY);
            } else {
                System.setProperty(FaultSpec.SEED_PROPERTY, before);
            }
        }
    }
}
