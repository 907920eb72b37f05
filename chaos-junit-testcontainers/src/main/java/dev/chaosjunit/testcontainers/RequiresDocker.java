package dev.chaosjunit.testcontainers;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

import dev.chaosjunit.testcontainers.internal.DockerAvailableCondition;

/**
 * Marks a test class or method that needs a Docker daemon (to start containers with
 * Testcontainers).
 *
 * <p>Without Docker, the tests are <b>skipped</b> with the reason, for example
 * {@code "Docker is not available: Could not find a valid Docker environment...; these tests need it.
 * Set -Dchaos.requireDocker=true to fail instead of skip."}. With the system property
 * {@code chaos.requireDocker=true} (set it in CI), they <b>fail</b> instead, so a CI machine that
 * lost its Docker daemon does not turn green by skipping everything.
 *
 * <pre>{@code
 * @RequiresDocker
 * @Testcontainers
 * class OrderServiceChaosTest {
 *     @Container
 *     static PostgreSQLContainer<?> postgres = new PostgreSQLContainer<>("postgres:15");
 *     ...
 * }
 * }</pre>
 *
 * <p>The check is a JUnit condition, so it runs before any extension's {@code beforeAll}, whatever
 * the annotation order: {@code @Testcontainers} never tries to start a container without Docker.
 * Docker is checked once per JVM.
 * Testcontainers' own {@code @Testcontainers(disabledWithoutDocker = true)} only skips, and never
 * fails; use this annotation when you want the switch.
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(DockerAvailableCondition.class)
public @interface RequiresDocker {

    /** The system property that turns "Docker is not available" from a skip into a failure. */
    String REQUIRE_DOCKER_PROPERTY = "chaos.requireDocker";
}
