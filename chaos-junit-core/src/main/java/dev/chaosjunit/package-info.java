/**
 * chaos-junit: break the ports a system depends on, for exactly one test, and assert how fast it
 * recovers.
 *
 * <p>Start with {@link dev.chaosjunit.ChaosPort}, {@link dev.chaosjunit.ChaosProxy} and
 * {@link dev.chaosjunit.ChaosAssertions}.
 */
package dev.chaosjunit;
