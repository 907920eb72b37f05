package dev.chaosjunit.spi;

import java.util.Optional;

import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Lets a plug-in claim the dependency a {@link dev.chaosjunit.ChaosPort} or
 * {@link dev.chaosjunit.ProxyFor} refers to. Implementations are found with
 * {@link java.util.ServiceLoader} (list them in
 * {@code META-INF/services/dev.chaosjunit.spi.TargetResolver}) and asked in turn; the first that
 * returns a target wins. When none does, the dependency is {@code localhost:port}.
 *
 * <p>A resolver that recognises the request but finds it wrong (two containers expose the port,
 * the container is not started) throws
 * {@link org.junit.jupiter.api.extension.ExtensionConfigurationException} with a message that
 * says what to write instead.
 */
public interface TargetResolver {

    /**
     * The dependency for {@code request} in the test described by {@code context}, or empty when
     * this resolver does not recognise it.
     */
    Optional<ResolvedTarget> resolve(TargetRequest request, ExtensionContext context);
}
