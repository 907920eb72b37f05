package dev.chaosjunit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Declares a dependency the test starts itself, such as an embedded server on a dynamic port,
 * under a name that {@link ChaosPort#target()} and {@link ProxyFor#target()} refer to.
 *
 * <p>Put it on a field or a no-argument method of the test class (static for a class-wide
 * dependency) whose value is the dependency's address: an {@link java.net.InetSocketAddress},
 * an {@code int} port on {@code localhost}, or a {@link java.util.function.Supplier} of either.
 * The value is read when the proxy is first needed, so the server may start in
 * {@code @BeforeAll}.
 *
 * <pre>{@code
 * static HttpServer orders = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
 *
 * @ChaosTarget("orders")
 * static InetSocketAddress orders() { return orders.getAddress(); }
 *
 * @Test
 * @ChaosPort(target = "orders", fault = Fault.RESET_PEER)
 * void clientSeesReset(ChaosProxy orders) { ... }
 * }</pre>
 *
 * <p>When no {@link ChaosPort} applies to a test and the class declares exactly one target, a
 * {@link ChaosProxy} parameter without {@link ProxyFor} receives that target's proxy. On a field,
 * the annotation also registers the extension, so such a class needs no other chaos-junit
 * annotation; a target declared by a method does not (JUnit registers extensions from fields,
 * not from ordinary methods), so there the test needs a {@code @ChaosPort} or {@code @ProxyFor}.
 */
@Target({ElementType.FIELD, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(dev.chaosjunit.internal.ChaosExtension.class)
public @interface ChaosTarget {

    /** The target's name, unique within the test class. */
    String value();
}
