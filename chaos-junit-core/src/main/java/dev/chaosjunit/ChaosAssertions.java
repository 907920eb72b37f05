package dev.chaosjunit;

/**
 * Entry point for chaos-junit's assertions: how a system behaves during a fault and how fast it
 * recovers after one. Import statically:
 *
 * <pre>{@code
 * import static dev.chaosjunit.ChaosAssertions.assertThatEveryCall;
 * import static dev.chaosjunit.ChaosAssertions.assertThatRecovery;
 *
 * @Test
 * void ordersRecoverWithinTwoSeconds(@ProxyFor(port = 5432) ChaosProxy db) {
 *     Probe orders = () -> client.listOrders();
 *     ActiveFault outage = db.inject(FaultSpec.down());
 *     assertThatEveryCall(orders).failsWithin(Duration.ofSeconds(1));   // fails fast, does not hang
 *     outage.close();
 *     Duration recovery = assertThatRecovery(orders).after(outage).within(Duration.ofSeconds(2));
 * }
 * }</pre>
 *
 * <p>With a background probe ({@link HealthProbe} or {@link ProbeRecording}), assert over what it
 * recorded while the test ran:
 *
 * <pre>{@code
 * assertThatProbe("orders").duringFaults().hasErrorRateAtLeast(0.9).failsFastWithin(Duration.ofSeconds(1));
 * assertThatProbe("orders").recoversWithin(Duration.ofSeconds(2));
 * assertThatProbe("orders").inSteadyState().hasLatencyPercentileAtMost(99, Duration.ofMillis(50));
 * }</pre>
 */
public final class ChaosAssertions {

    private ChaosAssertions() {
    }

    /**
     * Starts an assertion that {@code probe} succeeds again within a time budget after a fault.
     * See {@link RecoveryAssert}.
     */
    public static RecoveryAssert assertThatRecovery(Probe probe) {
        return RecoveryAssert.assertThatRecovery(probe);
    }

    /**
     * Starts an assertion that {@code probe} fails fast, rather than hangs, while a fault acts.
     * See {@link FailFastAssert}.
     */
    public static FailFastAssert assertThatEveryCall(Probe probe) {
        return FailFastAssert.assertThatEveryCall(probe);
    }

    /**
     * Starts an assertion over what {@code recording} recorded. See {@link ProbeAssert}.
     */
    public static ProbeAssert assertThatProbe(ProbeRecording recording) {
        return ProbeAssert.assertThatProbe(recording);
    }

    /**
     * Starts an assertion over the probe named {@code name} of the running chaos test: a
     * {@link HealthProbe} (named after its method unless it says otherwise) or a
     * {@link ProbeRecording} the test started. On a thread other than the test's own (a pool's,
     * say) the test is found as {@link ProbeRecording#named(String)} says. See {@link ProbeAssert}.
     *
     * @throws IllegalStateException if no chaos test is running: probes are found only while the
     *         test method body runs (not in {@code @BeforeEach} or {@code @AfterEach}), in a class
     *         where chaos-junit is registered (a {@link ChaosPort} on the class or the test method, a
     *         {@link ChaosTarget} field, or a {@link ProxyFor} parameter); or if chaos tests run in
     *         parallel and this thread is not the test's own
     * @throws IllegalArgumentException if the test has no probe of that name, listing the ones it has
     */
    public static ProbeAssert assertThatProbe(String name) {
        return ProbeAssert.assertThatProbe(ProbeRecording.named(name));
    }
}
