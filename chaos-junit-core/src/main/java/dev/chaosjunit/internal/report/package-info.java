/**
 * Per-test chaos timelines and the run's report: what faults acted when, what went through each
 * proxy, how recovery assertions turned out, what background probes saw and which SLO verdicts
 * were reached; printed as one log line per test, published as a JUnit report entry, and written
 * to {@code target/chaos-report/} as JSON and a self-contained HTML page, merged across the test
 * JVMs of one run. Internal: nothing here is API.
 */
package dev.chaosjunit.internal.report;
