package dev.chaosjunit.testcontainers.internal;

import java.lang.reflect.Field;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestInstances;
import org.testcontainers.containers.ContainerState;
import org.testcontainers.containers.GenericContainer;

import dev.chaosjunit.spi.ResolvedTarget;
import dev.chaosjunit.spi.TargetRequest;
import dev.chaosjunit.spi.TargetResolver;

/**
 * Resolves {@code @ChaosPort(port = ...)} and {@code @ProxyFor(port = ...)} to the Testcontainers
 * container of the test class that exposes that port: its {@code getHost()} and
 * {@code getMappedPort(port)}. Registered through {@code META-INF/services}. Internal.
 *
 * <p>Looks at every field whose declared type is a {@link ContainerState} (such as
 * {@link GenericContainer} and its subclasses), static or not, with or without {@code @Container},
 * declared in the test class, its superclasses and, for {@code @Nested} classes, the enclosing
 * classes. A test class without any such field is not this resolver's business: the request falls
 * through to the next resolver (and finally to {@code localhost:port}).
 */
public final class ContainerTargetResolver implements TargetResolver {

    private static final String HOW_TO_START = "Start it before the test needs it: annotate the test class with "
            + "@Testcontainers and the field with @Container, or start it yourself in a static initializer "
            + "(the singleton-container pattern) or in a @BeforeAll method.";

    /** For {@link java.util.ServiceLoader}. */
    public ContainerTargetResolver() {
    }

    @Override
    public Optional<ResolvedTarget> resolve(TargetRequest request, ExtensionContext context) {
        boolean namesContainer = !request.container().isEmpty();
        if (!namesContainer && (request.port() == 0 || !request.target().isEmpty())) {
            return Optional.empty(); // a @ChaosTarget name: not a container
        }
        Class<?> testClass = context.getTestClass().orElse(null);
        if (testClass == null) {
            return Optional.empty();
        }
        List<ContainerField> fields = containerFields(testClass, context);
        if (fields.isEmpty()) {
            if (namesContainer) {
                throw new ExtensionConfigurationException(request.origin() + ": container = \""
                        + request.container() + "\" names no container field: " + testClass.getName()
                        + " has no field of a Testcontainers container type.");
            }
            return Optional.empty();
        }
        ContainerField chosen = namesContainer ? byName(request, fields, testClass) : byPort(request, fields, testClass);
        int port = request.port() != 0 ? request.port() : onlyPort(request, chosen);
        return Optional.of(target(request, chosen, port));
    }

    private static ContainerField byName(TargetRequest request, List<ContainerField> fields, Class<?> testClass) {
        ContainerField named = fields.stream()
                .filter(f -> f.field().getName().equals(request.container()))
                .findFirst()
                .orElseThrow(() -> new ExtensionConfigurationException(request.origin() + ": container = \""
                        + request.container() + "\" names no container field of " + testClass.getName()
                        + "; its container fields: " + list(fields) + "."));
        ContainerState container = requireValue(request, named);
        if (request.port() != 0 && !container.getExposedPorts().contains(request.port())) {
            throw new ExtensionConfigurationException(request.origin() + ": container '" + named.name()
                    + "' does not expose port " + request.port() + "; it exposes " + container.getExposedPorts()
                    + ". Expose it with withExposedPorts(" + request.port() + "), or name one of those ports.");
        }
        return named;
    }

    private static ContainerField byPort(TargetRequest request, List<ContainerField> fields, Class<?> testClass) {
        int port = request.port();
        List<ContainerField> matching = fields.stream()
                .filter(f -> f.value() != null && f.value().getExposedPorts().contains(port))
                .collect(Collectors.toList());
        if (matching.size() == 1) {
            return matching.get(0);
        }
        if (matching.isEmpty()) {
            String unreadable = fields.stream().filter(f -> f.unavailable() != null).map(ContainerField::unavailable)
                    .collect(Collectors.joining(" "));
            throw new ExtensionConfigurationException(request.origin() + ": no container in " + testClass.getName()
                    + " exposes port " + port + ". Its container fields: " + list(fields) + ". "
                    + (unreadable.isEmpty() ? "" : unreadable + " ") + "Expose the port with "
                    + "withExposedPorts(" + port + ") on the container meant, or, if the dependency is not one of these "
                    + "containers, declare it with @ChaosTarget and use @ChaosPort(target = ...).");
        }
        String names = matching.stream().map(ContainerField::describe).collect(Collectors.joining(", "));
        throw new ExtensionConfigurationException(request.origin() + ": several containers in " + testClass.getName()
                + " expose port " + port + ": " + names + ". Say which one with container = \""
                + matching.get(0).name() + "\" (the field name), for example @ChaosPort(port = " + port
                + ", container = \"" + matching.get(0).name() + "\", ...) or @ProxyFor(port = " + port
                + ", container = \"" + matching.get(0).name() + "\").");
    }

    private static int onlyPort(TargetRequest request, ContainerField chosen) {
        List<Integer> ports = chosen.value().getExposedPorts();
        if (ports.size() == 1) {
            return ports.get(0);
        }
        throw new ExtensionConfigurationException(request.origin() + ": container '" + chosen.name()
                + "' is named without a port, and it exposes " + (ports.isEmpty() ? "none" : ports)
                + ". Add the port, for example port = " + (ports.isEmpty() ? "5432" : ports.get(0)) + ".");
    }

    private static ResolvedTarget target(TargetRequest request, ContainerField chosen, int port) {
        ContainerState container = requireValue(request, chosen);
        if (container.getContainerId() == null || !container.isRunning()) {
            throw new ExtensionConfigurationException(request.origin() + ": container " + chosen.describe()
                    + " is not started, so its port " + port + " has no address yet. " + HOW_TO_START);
        }
        String description = "container '" + chosen.name() + "'" + image(container).map(i -> " (" + i + ")").orElse("")
                + " port " + port;
        return new ResolvedTarget(container.getHost(), container.getMappedPort(port), description, !chosen.isStatic());
    }

    private static ContainerState requireValue(TargetRequest request, ContainerField f) {
        if (f.value() != null) {
            return f.value();
        }
        if (f.unavailable() != null) {
            throw new ExtensionConfigurationException(request.origin() + ": container " + f.describe()
                    + " cannot be used here: " + f.unavailable());
        }
        throw new ExtensionConfigurationException(request.origin() + ": container field " + f.describe()
                + " is null. Assign the container in its declaration, then start it. " + HOW_TO_START);
    }

    // ---- finding the container fields -----------------------------------------------------------

    /** A container field with its value, or why the value could not be read. */
    private record ContainerField(Field field, boolean isStatic, ContainerState value, String unavailable) {

        String name() {
            return field.getName();
        }

        String describe() {
            String where = field.getDeclaringClass().getSimpleName() + "." + name();
            String detail;
            if (value != null) {
                detail = image(value).map(i -> i + ", ").orElse("") + "exposes " + value.getExposedPorts();
            } else if (unavailable != null) {
                detail = "value not available here";
            } else {
                detail = "null";
            }
            return "'" + name() + "' (" + (isStatic ? "static " : "") + where + ": " + detail + ")";
        }
    }

    private static String list(List<ContainerField> fields) {
        return fields.stream().map(ContainerField::describe).collect(Collectors.joining(", "));
    }

    private static List<ContainerField> containerFields(Class<?> testClass, ExtensionContext context) {
        Optional<TestInstances> instances = context.getTestInstances();
        Set<Field> seen = new LinkedHashSet<>();
        List<ContainerField> result = new ArrayList<>();
        // the test class, then (for @Nested inner classes) the classes around it
        for (Class<?> c = testClass; c != null; c = isInner(c) ? c.getEnclosingClass() : null) {
            for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
                for (Field f : k.getDeclaredFields()) {
                    if (ContainerState.class.isAssignableFrom(f.getType()) && !f.isSynthetic() && seen.add(f)) {
                        result.add(read(f, instances));
                    }
                }
            }
        }
        return result;
    }

    private static boolean isInner(Class<?> c) {
        return c.isMemberClass() && !Modifier.isStatic(c.getModifiers());
    }

    private static ContainerField read(Field f, Optional<TestInstances> instances) {
        boolean isStatic = Modifier.isStatic(f.getModifiers());
        Object owner = null;
        if (!isStatic) {
            Optional<?> instance = instances.flatMap(i -> i.findInstance(f.getDeclaringClass()));
            if (instance.isEmpty()) {
                return new ContainerField(f, false, null, "'" + f.getName() + "' is an instance field and there is "
                        + "no test instance yet (in @BeforeAll, or with a class-level annotation). Make the field "
                        + "static, or use it only from test methods and @BeforeEach.");
            }
            owner = instance.get();
        }
        try {
            f.setAccessible(true);
            return new ContainerField(f, isStatic, (ContainerState) f.get(owner), null);
        } catch (IllegalAccessException | InaccessibleObjectException | SecurityException e) {
            return new ContainerField(f, isStatic, null, "the field cannot be read: " + e);
        }
    }

    static Optional<String> image(ContainerState container) {
        if (container instanceof GenericContainer<?> generic) {
            try {
                return Optional.ofNullable(generic.getDockerImageName());
            } catch (RuntimeException e) { // an image still being built, for example
                return Optional.empty();
            }
        }
        return Optional.empty();
    }
}
