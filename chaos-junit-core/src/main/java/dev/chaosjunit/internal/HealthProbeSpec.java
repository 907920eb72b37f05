package dev.chaosjunit.internal;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;

import dev.chaosjunit.FaultSpec;
import dev.chaosjunit.HealthProbe;
import dev.chaosjunit.Probe;

/**
 * One {@link HealthProbe} method, validated and turned into values: the probe's name, its
 * interval, and the method to call. Built once per test class; the annotation is not looked at again.
 */
record HealthProbeSpec(String name, Duration interval, Method method, String origin) {

    /**
     * The validated {@code @HealthProbe} methods of {@code testClass} and its superclasses, top
     * down, followed by none of the enclosing classes' (the caller adds those).
     *
     * @throws ExtensionConfigurationException naming the annotation, the attribute, its value and what is right
     */
    static List<HealthProbeSpec> scan(Class<?> testClass) {
        List<HealthProbeSpec> specs = new ArrayList<>();
        for (Method method : AnnotationSupport.findAnnotatedMethods(testClass, HealthProbe.class,
                HierarchyTraversalMode.TOP_DOWN)) {
            HealthProbe annotation = AnnotationSupport.findAnnotation(method, HealthProbe.class).orElseThrow();
            specs.add(from(annotation, method));
        }
        return Collections.unmodifiableList(specs);
    }

    static HealthProbeSpec from(HealthProbe annotation, Method method) {
        String origin = render(annotation) + " on " + describe(method);
        if (method.getParameterCount() > 0) {
            throw invalid(origin, "a health probe takes no parameters, like Probe.check(); build what it needs in"
                    + " @BeforeEach or a field and use that");
        }
        long ms = annotation.intervalMs();
        if (ms <= 0) {
            throw invalid(origin, "intervalMs = " + ms + " is not positive; it must be 1 or more (the milliseconds"
                    + " between the starts of two calls; " + HealthProbe.DEFAULT_INTERVAL_MS + " unless set)");
        }
        if (ms > FaultSpec.MAX_TIME.toMillis()) {
            throw invalid(origin, "intervalMs = " + ms + " is too large; it must be at most "
                    + FaultSpec.MAX_TIME.toMillis() + " (365 days)");
        }
        String name = annotation.name();
        if (!name.isEmpty() && name.isBlank()) {
            throw invalid(origin, "name = \"" + name + "\" is blank; give a name, or leave name out to use the"
                    + " method's name, " + method.getName());
        }
        return new HealthProbeSpec(name.isEmpty() ? method.getName() : name, Duration.ofMillis(ms), method, origin);
    }

    /**
     * Checks that no two probes share a name.
     *
     * @throws ExtensionConfigurationException naming both
     */
    static List<HealthProbeSpec> checkUnique(List<HealthProbeSpec> specs) {
        for (int i = 0; i < specs.size(); i++) {
            for (int j = i + 1; j < specs.size(); j++) {
                HealthProbeSpec a = specs.get(i);
                HealthProbeSpec b = specs.get(j);
                if (a.name().equals(b.name())) {
                    throw new ExtensionConfigurationException(a.origin() + " and " + b.origin()
                            + " both declare a probe named \"" + a.name() + "\"; give each its own name with"
                            + " @HealthProbe(name = \"...\")");
                }
            }
        }
        return specs;
    }

    /** The probe that calls the method on the test instance of {@code context} that declares it. */
    Probe bind(ExtensionContext context) {
        Object target = null;
        if (!Modifier.isStatic(method.getModifiers())) {
            target = context.getRequiredTestInstances().findInstance(method.getDeclaringClass())
                    .orElseThrow(() -> new ExtensionConfigurationException(origin + ": no test instance of "
                            + method.getDeclaringClass().getSimpleName() + " to call it on"));
        }
        Object instance = target;
        // invokeMethod rethrows what the method threw, unwrapped, so the sample records the real error
        return () -> ReflectionSupport.invokeMethod(method, instance);
    }

    static String render(HealthProbe annotation) {
        List<String> attributes = new ArrayList<>();
        if (annotation.intervalMs() != HealthProbe.DEFAULT_INTERVAL_MS) {
            attributes.add("intervalMs = " + annotation.intervalMs());
        }
        if (!annotation.name().isEmpty()) {
            attributes.add("name = \"" + annotation.name() + "\"");
        }
        return "@HealthProbe" + (attributes.isEmpty() ? "" : "(" + String.join(", ", attributes) + ")");
    }

    private static String describe(Method method) {
        return "method " + method.getDeclaringClass().getSimpleName() + "." + method.getName() + "("
                + Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName).collect(Collectors.joining(", "))
                + ")";
    }

    private static ExtensionConfigurationException invalid(String origin, String problem) {
        return new ExtensionConfigurationException(origin + ": " + problem);
    }
}
