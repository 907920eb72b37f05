package dev.chaosjunit.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.junit.jupiter.api.extension.ExtensionConfigurationException;

import dev.chaosjunit.ChaosPort;
import dev.chaosjunit.Direction;
import dev.chaosjunit.Fault;
import dev.chaosjunit.FaultSchedule;
import dev.chaosjunit.FaultSpec;
import dev.chaosjunit.ProxyFor;
import dev.chaosjunit.spi.TargetRequest;

/**
 * One {@link ChaosPort}, validated and turned into values: which dependency, which fault, and
 * when it acts ({@code schedule}, {@code null} for the whole test method body).
 * Built once per annotation; the annotation is not looked at again.
 */
record ChaosPortSpec(TargetRequest request, FaultSpec fault, FaultSchedule schedule) {

    ChaosPortSpec {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(fault, "fault");
    }

    /** The dependency this spec names, without where it was written. */
    RequestKey key() {
        return RequestKey.of(request);
    }

    /** Where the annotation is, for messages. */
    String origin() {
        return request.origin();
    }

    /** The direction for overlap checks: a fault on the whole port overlaps everything. */
    Direction direction() {
        return fault.direction() == null ? Direction.BOTH : fault.direction();
    }

    /** Whether this and {@code other} fight over the same dependency and direction. */
    boolean overlaps(ChaosPortSpec other) {
        return key().equals(other.key()) && direction().overlaps(other.direction());
    }

    String directionText() {
        return fault.direction() == null ? "the whole port" : fault.direction().name();
    }

    /**
     * Validates {@code annotation} found on {@code location} (such as {@code "method slow()"}).
     *
     * @throws ExtensionConfigurationException naming the attribute, its value and what is right
     */
    static ChaosPortSpec from(ChaosPort annotation, String location) {
        String origin = render(annotation) + " on " + location;
        TargetRequest request = request(annotation.port(), annotation.target(), annotation.container(), origin);
        Fault fault = Objects.requireNonNull(annotation.fault(), "fault");
        long ms = annotation.ms();
        Direction direction = annotation.direction();
        if (ms < ChaosPort.UNSET) {
            throw invalid(origin, "ms = " + ms + " is negative; it must be 0 or more");
        }
        if (ms > FaultSpec.MAX_TIME.toMillis()) {
            throw invalid(origin, "ms = " + ms + " is too large; it must be at most " + FaultSpec.MAX_TIME.toMillis()
                    + " (365 days)");
        }
        boolean msSet = ms != ChaosPort.UNSET;
        FaultSpec spec;
        switch (fault) {
            case DOWN:
                if (msSet) {
                    throw invalid(origin, "ms = " + ms + " means nothing for fault = DOWN, which takes no time; remove it");
                }
                if (direction != Direction.DEFAULT) {
                    throw invalid(origin, "direction = " + direction
                            + " means nothing for fault = DOWN, which acts on the whole port; remove it");
                }
                spec = FaultSpec.down();
                break;
            case LATENCY:
                if (!msSet) {
                    throw invalid(origin, "fault = LATENCY requires ms, the delay in milliseconds (such as ms = 500)");
                }
                spec = FaultSpec.latency(Duration.ofMillis(ms));
                break;
            case TIMEOUT:
                spec = FaultSpec.timeout(Duration.ofMillis(msSet ? ms : 0));
                break;
            case RESET_PEER:
                spec = FaultSpec.resetPeer(Duration.ofMillis(msSet ? ms : 0));
                break;
            default:
                spec = ChaosPortAttributes.create(annotation, origin, fault, ms, msSet);
                if (!fault.hasDirection() && direction != Direction.DEFAULT) {
                    throw invalid(origin, "direction = " + direction + " means nothing for fault = " + fault
                            + ", which takes no direction; remove it");
                }
                break;
        }
        spec = ChaosPortAttributes.modify(annotation, origin, spec);
        if (spec.fault().hasDirection()) {
            spec = spec.direction(direction);
        }
        return new ChaosPortSpec(request, spec, ChaosPortAttributes.schedule(annotation, origin));
    }

    /**
     * Validates a {@link ProxyFor} on a parameter.
     *
     * @throws ExtensionConfigurationException naming the attribute, its value and what is right
     */
    static TargetRequest request(ProxyFor proxyFor, String location) {
        String origin = render(proxyFor) + " on " + location;
        return request(proxyFor.port(), proxyFor.target(), proxyFor.container(), origin);
    }

    private static TargetRequest request(int port, String target, String container, String origin) {
        if (port != 0 && (port < 1 || port > 65535)) {
            throw invalid(origin, "port = " + port + " is out of range; it must be between 1 and 65535");
        }
        if (!target.isEmpty() && port != 0) {
            throw invalid(origin, "target = \"" + target + "\" and port = " + port
                    + " both name the dependency; give only one of them");
        }
        if (!target.isEmpty() && !container.isEmpty()) {
            throw invalid(origin, "target = \"" + target + "\" and container = \"" + container
                    + "\" both name the dependency; give only one of them");
        }
        if (port == 0 && target.isEmpty() && container.isEmpty()) {
            throw invalid(origin, "no dependency given; set port (such as port = 5432)"
                    + " or target (the name of a @ChaosTarget)");
        }
        return new TargetRequest(port, target, container, origin);
    }

    static ExtensionConfigurationException invalid(String origin, String problem) {
        return new ExtensionConfigurationException(origin + ": " + problem);
    }

    /** The annotation as written, with the attributes that differ from their defaults. */
    static String render(ChaosPort a) {
        List<String> attributes = new ArrayList<>();
        addTarget(attributes, a.port(), a.target(), a.container());
        attributes.add("fault = " + a.fault());
        if (a.direction() != Direction.DEFAULT) {
            attributes.add("direction = " + a.direction());
        }
        if (a.ms() != ChaosPort.UNSET) {
            attributes.add("ms = " + a.ms());
        }
        ChaosPortAttributes.render(a, attributes);
        return "@ChaosPort(" + String.join(", ", attributes) + ")";
    }

    static String render(ProxyFor a) {
        List<String> attributes = new ArrayList<>();
        addTarget(attributes, a.port(), a.target(), a.container());
        return "@ProxyFor(" + String.join(", ", attributes) + ")";
    }

    private static void addTarget(List<String> attributes, int port, String target, String container) {
        if (port != 0) {
            attributes.add("port = " + port);
        }
        if (!target.isEmpty()) {
            attributes.add("target = \"" + target + "\"");
        }
        if (!container.isEmpty()) {
            attributes.add("container = \"" + container + "\"");
        }
    }

    /** The identity of a requested dependency: port, target and container, without the origin. */
    record RequestKey(int port, String target, String container) {

        static RequestKey of(TargetRequest request) {
            return new RequestKey(request.port(), request.target(), request.container());
        }

        /** How to ask for this dependency with {@link ProxyFor}, such as {@code @ProxyFor(port = 5432)}. */
        String asProxyFor() {
            List<String> attributes = new ArrayList<>();
            addTarget(attributes, port, target, container);
            return "@ProxyFor(" + String.join(", ", attributes) + ")";
        }

        String describe() {
            return new TargetRequest(port, target, container, "").describe();
        }
    }
}
