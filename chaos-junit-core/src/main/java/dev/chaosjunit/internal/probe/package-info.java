/**
 * Background health probes: the thread that calls a probe at an interval and records every call
 * ({@link dev.chaosjunit.internal.probe.ProbeLoop}), the windows of a test's timeline that the
 * probe assertions look at (during faults, steady state), the statistics over them, and the text
 * that shows a slice of the timeline in a failure message. Internal: nothing here is API.
 */
package dev.chaosjunit.internal.probe;
