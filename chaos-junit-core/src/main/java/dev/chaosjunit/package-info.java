/**
 * chaos-junit: break the ports a system depends on, for exactly one test, and assert how fast it
 * recovers.
 *
 * <p>Start with {@link dev.chaosjunit.ChaosPort}, {@link dev.chaosjunit.ChaosProxy} and
 * {@link dev.chaosjunit.ChaosAssertions}; watch the system through a whole test with
 * {@link dev.chaosjunit.HealthProbe} or {@link dev.chaosjunit.ProbeRecording}.
 */
package dev.chaosjunit;
