package dev.chaosjunit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chaosjunit.ChaosPort;
import dev.chaosjunit.Direction;
import dev.chaosjunit.Fault;
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

    private static FaultSpec spec(String method) throws Exception {
        ChaosPort annotation = ChaosPortAttributesTest.class.getDeclaredMethod(method).getAnnotation(ChaosPort.class);
        return ChaosPortSpec.from(annotation, "method " + method + "()").fault();
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
