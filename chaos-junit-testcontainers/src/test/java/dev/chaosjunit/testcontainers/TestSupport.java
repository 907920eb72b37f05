package dev.chaosjunit.testcontainers;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.Optional;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

import dev.chaosjunit.spi.ResolvedTarget;
import dev.chaosjunit.spi.TargetRequest;
import dev.chaosjunit.testcontainers.internal.ContainerTargetResolver;

/** Shared helpers of this module's tests. */
final class TestSupport {

    static final DockerImageName REDIS = DockerImageName.parse("redis:7");

    private TestSupport() {
    }

    /** A Redis container (the lightest image the tests use), not started. */
    static GenericContainer<?> redis() {
        return new GenericContainer<>(REDIS).withExposedPorts(6379);
    }

    /** Runs a test class in a nested Jupiter engine, as a user's build would. */
    static EngineExecutionResults run(Class<?> testClass) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(testClass)).execute();
    }

    /** Calls the resolver the way chaos-junit-core does. */
    static Optional<ResolvedTarget> resolve(ExtensionContext context, int port, String container) {
        return new ContainerTargetResolver()
                .resolve(new TargetRequest(port, "", container, "@ChaosPort(port = " + port + ")"), context);
    }
}
