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
}
