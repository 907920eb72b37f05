package dev.chaosjunit.internal;

import org.junit.jupiter.api.extension.Extension;

/** Placeholder: the Jupiter extension is being built. */
public final class ChaosExtension implements Extension {
}
