package dev.chaosjunit;

import java.util.Optional;

import org.junit.jupiter.api.extension.ExtensionContext;

import dev.chaosjunit.spi.ResolvedTarget;
import dev.chaosjunit.spi.TargetRequest;
import dev.chaosjunit.spi.TargetResolver;

/** A plug-in, found through ServiceLoader, that claims {@code container = "echo-container"}. */
public final class FakeContainerResolver implements TargetResolver {

    static volatile EchoServer container;

    @Override
    public Optional<ResolvedTarget> resolve(TargetRequest request, ExtensionContext context) {
        if (!request.container().equals("echo-container") || container == null) {
            return Optional.empty();
        }
        return Optional.of(new ResolvedTarget("127.0.0.1", container.port(),
                "container 'echo-container' port " + request.port(), false));
    }
}
