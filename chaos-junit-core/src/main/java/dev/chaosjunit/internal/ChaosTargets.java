package dev.chaosjunit.internal;

import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.InetSocketAddress;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;

import dev.chaosjunit.ChaosTarget;
import dev.chaosjunit.spi.ResolvedTarget;

/**
 * The {@link ChaosTarget} declarations visible from one test class: its own, its superclasses'
 * and (for {@code @Nested} classes) its enclosing classes'. Declarations are checked when the
 * catalog is built; values are read only when a proxy is first needed.
 */
final class ChaosTargets {

    private static final String SUPPORTED = "InetSocketAddress, int, Integer or a Supplier of one of them";

    private final Class<?> testClass;
    private final Map<String, Declaration> byName;

    private ChaosTargets(Class<?> testClass, Map<String, Declaration> byName) {
        this.testClass = testClass;
        this.byName = Collections.unmodifiableMap(byName);
    }

    /** The declarations in {@code testClass} and its superclasses, on top of {@code enclosing}'s. */
    static ChaosTargets scan(Class<?> testClass, Optional<ChaosTargets> enclosing) {
        Map<String, Declaration> own = new LinkedHashMap<>();
        List<Field> fields = ReflectionSupport.findFields(testClass,
                f -> AnnotationSupport.isAnnotated(f, ChaosTarget.class), HierarchyTraversalMode.TOP_DOWN);
        for (Field field : fields) {
            add(own, declaration(field, field.getType()));
        }
        List<Method> methods = ReflectionSupport.findMethods(testClass,
                m -> AnnotationSupport.isAnnotated(m, ChaosTarget.class), HierarchyTraversalMode.TOP_DOWN);
        for (Method method : methods) {
            Declaration declaration = declaration(method, method.getReturnType());
            if (method.getParameterCount() != 0) {
                throw new ExtensionConfigurationException(declaration.describe()
                        + ": a @ChaosTarget method must take no parameters");
            }
            add(own, declaration);
        }
        Map<String, Declaration> all = new LinkedHashMap<>();
        enclosing.ifPresent(outer -> all.putAll(outer.byName));
        all.putAll(own);
        return new ChaosTargets(testClass, all);
    }

    private static Declaration declaration(Member member, Class<?> type) {
        String name = AnnotationSupport.findAnnotation((java.lang.reflect.AnnotatedElement) member, ChaosTarget.class)
                .orElseThrow().value();
        Declaration declaration = new Declaration(name, member);
        if (!(type == InetSocketAddress.class || type == int.class || type == Integer.class || type == Supplier.class)) {
            throw new ExtensionConfigurationException(declaration.describe() + ": type " + type.getSimpleName()
                    + " is not supported; use " + SUPPORTED);
        }
        if (name.isEmpty()) {
            throw new ExtensionConfigurationException(declaration.describe() + ": the name must not be empty");
        }
        return declaration;
    }

    private static void add(Map<String, Declaration> declarations, Declaration declaration) {
        Declaration previous = declarations.putIfAbsent(declaration.name(), declaration);
        if (previous != null) {
            throw new ExtensionConfigurationException(previous.describe() + " and " + declaration.describe()
                    + " have the same name; @ChaosTarget names must be unique within a test class");
        }
    }

    Optional<Declaration> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The known names, quoted and comma-separated, for messages. */
    String knownNames() {
        return byName.keySet().stream().map(n -> "\"" + n + "\"").collect(Collectors.joining(", "));
    }

    /** The known names, in declaration order (enclosing classes' first). */
    List<String> names() {
        return List.copyOf(byName.keySet());
    }

    boolean isEmpty() {
        return byName.isEmpty();
    }

    Class<?> testClass() {
        return testClass;
    }

    /** A field or method annotated with {@link ChaosTarget}. */
    record Declaration(String name, Member member) {

        boolean isStatic() {
            return Modifier.isStatic(member.getModifiers());
        }

        Class<?> declaringClass() {
            return member.getDeclaringClass();
        }

        String describe() {
            String kind = member instanceof Field ? "field " : "method ";
            String suffix = member instanceof Method ? "()" : "";
            return "@ChaosTarget(\"" + name + "\") on " + (isStatic() ? "static " : "") + kind
                    + member.getDeclaringClass().getSimpleName() + "." + member.getName() + suffix;
        }

        /**
         * Reads the address now. {@code instance} is the object that holds an instance member,
         * or {@code null} for a static one.
         */
        ResolvedTarget read(Object instance) {
            Object value;
            if (member instanceof Field) {
                value = ReflectionSupport.tryToReadFieldValue((Field) member, instance)
                        .getOrThrow(e -> new ExtensionConfigurationException(describe() + ": cannot read it", e));
            } else {
                value = ReflectionSupport.invokeMethod((Method) member, instance);
            }
            if (value instanceof Supplier) {
                value = ((Supplier<?>) value).get();
            }
            if (value == null) {
                throw new ExtensionConfigurationException(describe()
                        + ": the address is null; start the dependency before the proxy is needed"
                        + " (in @BeforeAll for a static target, in @BeforeEach or a field initializer for an instance one)");
            }
            String host;
            int port;
            if (value instanceof InetSocketAddress) {
                InetSocketAddress address = (InetSocketAddress) value;
                port = address.getPort();
                host = address.getAddress() != null && address.getAddress().isAnyLocalAddress()
                        ? "127.0.0.1" : address.getHostString();
            } else if (value instanceof Integer) {
                host = "localhost";
                port = (Integer) value;
            } else {
                throw new ExtensionConfigurationException(describe() + ": the value is a "
                        + value.getClass().getName() + "; it must be an " + SUPPORTED);
            }
            if (port < 1 || port > 65535) {
                throw new ExtensionConfigurationException(describe() + ": port " + port
                        + " is out of range; it must be between 1 and 65535 (is the server started?)");
            }
            return new ResolvedTarget(host, port, describe() + " (" + host + ":" + port + ")", !isStatic());
        }
    }
}
