package dev.chaosjunit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Says which proxy a {@link ChaosProxy} parameter receives. Not needed when the test has a
 * single {@link ChaosPort} target. Naming a target that no {@link ChaosPort} mentions is fine:
 * the proxy is created without a fault, to inject faults in code.
 *
 * <pre>{@code
 * @BeforeAll
 * static void pool(@ProxyFor(port = 5432) ChaosProxy db) { ... }
 * }</pre>
 *
 * <p>In {@code @BeforeAll}, {@code @AfterAll} and constructors only dependencies of the whole class
 * can be resolved: ports, and static {@link ChaosTarget}s. Their proxy is the one the test methods
 * get, so a client built there keeps working.
 *
 * <p>The attributes mean what they mean on {@link ChaosPort}. The annotation registers the
 * extension itself, so it also works in a class that has no class-level {@link ChaosPort}.
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(dev.chaosjunit.internal.ChaosExtension.class)
public @interface ProxyFor {

    /** The dependency's port, as {@link ChaosPort#port()}; 0 means "not set". */
    int port() default 0;

    /** A {@link ChaosTarget} name, as {@link ChaosPort#target()}; empty means "not set". */
    String target() default "";

    /** A container field name, as {@link ChaosPort#container()}; empty means "not set". */
    String container() default "";
}
