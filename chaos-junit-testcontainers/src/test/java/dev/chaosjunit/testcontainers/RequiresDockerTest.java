package dev.chaosjunit.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.testcontainers.DockerClientFactory;

import dev.chaosjunit.testcontainers.internal.DockerAvailableCondition;

/** The skip-or-fail switch of {@link RequiresDocker}. */
class RequiresDockerTest {

    private static final String REASON = "Could not find a valid Docker environment";

    @Test
    void withoutDockerTestsAreSkippedWithTheReason() {
        ConditionEvaluationResult result = DockerAvailableCondition.evaluate(REASON, false);
        assertThat(result.isDisabled()).isTrue();
        assertThat(result.getReason()).hasValue("Docker is not available: " + REASON
                + "; these tests need it. Set -Dchaos.requireDocker=true to fail instead of skip.");
    }

    @Test
    void withoutDockerTestsFailWhenRequired() {
        assertThatThrownBy(() -> DockerAvailableCondition.evaluate(REASON, true))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("Docker is not available: " + REASON
                        + "; these tests need it, and -Dchaos.requireDocker=true says to fail instead of skip.");
    }

    @Test
    void withDockerTestsRun() {
        assertThat(DockerAvailableCondition.evaluate(null, true).isDisabled()).isFalse();
    }

    @RequiresDocker
    static class NeedsDocker {
        @Test
        void test() {
        }
    }

    @Test
    void annotatedClassRunsWhenDockerAnswers() {
        Assumptions.assumeTrue(DockerClientFactory.instance().isDockerAvailable(), "Docker is not available here");
        TestSupport.run(NeedsDocker.class).testEvents().assertStatistics(s -> s.succeeded(1).skipped(0));
    }
}
