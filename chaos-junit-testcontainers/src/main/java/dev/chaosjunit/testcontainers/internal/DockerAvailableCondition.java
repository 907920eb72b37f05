package dev.chaosjunit.testcontainers.internal;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

import dev.chaosjunit.testcontainers.RequiresDocker;

/**
 * The condition behind {@link RequiresDocker}: enabled when Testcontainers finds a Docker daemon;
 * otherwise disabled, or failed when {@code -Dchaos.requireDocker=true}. Internal.
 */
public final class DockerAvailableCondition implements ExecutionCondition {

    /** Null until checked; then null reason = available. */
    private static volatile Check check;

    private record Check(String unavailableReason) {
    }

    /** For the extension mechanism. */
    public DockerAvailableCondition() {
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return evaluate(unavailableReason(),
                Boolean.parseBoolean(System.getProperty(RequiresDocker.REQUIRE_DOCKER_PROPERTY, "false")));
    }

    /**
     * The decision for a Docker check result: enabled when {@code unavailableReason} is null,
     * else disabled with the reason, or failed (thrown) when {@code required}.
     */
    public static ConditionEvaluationResult evaluate(String unavailableReason, boolean required) {
        if (unavailableReason == null) {
            return ConditionEvaluationResult.enabled("Docker is available");
        }
        if (required) {
            throw new ExtensionConfigurationException("Docker is not available: " + unavailableReason
                    + "; these tests need it, and -D" + RequiresDocker.REQUIRE_DOCKER_PROPERTY
                    + "=true says to fail instead of skip.");
        }
        return ConditionEvaluationResult.disabled("Docker is not available: " + unavailableReason
                + "; these tests need it. Set -D" + RequiresDocker.REQUIRE_DOCKER_PROPERTY
                + "=true to fail instead of skip.");
    }

    /** Null when Docker answers, else why not. Checked once per JVM. */
    static String unavailableReason() {
        Check c = check;
        if (c == null) {
            synchronized (DockerAvailableCondition.class) {
                c = check;
                if (c == null) {
                    c = new Check(probe());
                    check = c;
                }
            }
        }
        return c.unavailableReason();
    }

    private static String probe() {
        try {
            DockerClientFactory.instance().client();
            return null;
        } catch (Throwable e) { // Testcontainers throws IllegalStateException, but be robust to anything
            String message = e.getMessage();
            return message == null || message.isBlank() ? e.getClass().getName() : message.strip();
        }
    }
}
