package dev.chaosjunit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a health check that is called in the background, every {@link #intervalMs()}
 * milliseconds on its own thread, while each test method of the class runs; every call is
 * recorded (start, latency, success, error) for {@link ChaosAssertions#assertThatProbe(String)}
 * and the chaos report.
 *
 * <pre>{@code
 * @ChaosPort(port = 5432, fault = Fault.LATENCY, ms = 300)
 * class OrdersChaosTest {
 *
 *     OrderClient client;
 *
 *     @BeforeEach
 *     void connect(ChaosProxy db) { client = new OrderClient(db.host(), db.port()); }
 *
 *     @HealthProbe(intervalMs = 50)
 *     void orders() throws Exception { client.listOrders(); }   // throws when unhealthy
 *
 *     @Test
 *     void ordersStayFastEnough() throws InterruptedException {
 *         Thread.sleep(1_000);
 *         assertThatProbe("orders").hasLatencyPercentileAtMost(95, Duration.ofMillis(500));
 *     }
 * }
 * }</pre>
 *
 * <p><b>The method</b> takes no parameters; it may be static or not, return anything (ignored) and
 * throw anything: returning normally means healthy, throwing means unhealthy, like a
 * {@link Probe}. It is called on the test instance (in a {@code @Nested} class, on the instance of
 * the class that declares it). Give the client it uses a timeout: a call that hangs delays the
 * next one (see {@link ProbeRecording} for the schedule). A call that throws
 * {@link InterruptedException} is a failed call, and an interrupt flag a call leaves set is
 * cleared: neither stops the probe.
 *
 * <p><b>When.</b> Every {@code @HealthProbe} of the test class, its superclasses and, for
 * {@code @Nested} classes, the enclosing classes starts just before each test method body, after
 * {@code @BeforeEach} (so clients built there exist) and after the faults of {@link ChaosPort}
 * were injected. When the body ends, no new call starts; then the faults are healed; then a call
 * in flight is waited for, 2 s at most (a call still running then is recorded as hung, its thread
 * interrupted, and stderr says so); then the test's timeline is finished. Nothing runs during
 * {@code @AfterEach}.
 *
 * <p><b>Registration.</b> The probes run in test classes where chaos-junit is registered: by a
 * {@link ChaosPort} on the class or the test method, a {@link ChaosTarget} field, or a
 * {@link ProxyFor} parameter. JUnit registers extensions only from classes, test methods, fields
 * and parameters, never from another method, so this annotation does not register chaos-junit
 * itself: in a class without any of those the probes do not run, and
 * {@link ChaosAssertions#assertThatProbe(String)} says so. Looking a probe up by name
 * ({@code assertThatProbe(name)}, {@link ProbeRecording#named(String)}) works only while the test
 * method body runs, on its thread or one it starts: not in {@code @BeforeEach} or {@code @AfterEach}.
 *
 * <p><b>Errors.</b> A method with parameters, an {@link #intervalMs()} that is not positive, or
 * two probes with the same name fail the class with an
 * {@link org.junit.jupiter.api.extension.ExtensionConfigurationException} naming the annotation,
 * the attribute, its value and what would be right.
 *
 * <p>Usable on your own meta-annotations.
 */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface HealthProbe {

    /** The default {@link #intervalMs()}. */
    long DEFAULT_INTERVAL_MS = 50;

    /** The time between the starts of two calls, in milliseconds, 1 or more. */
    long intervalMs() default DEFAULT_INTERVAL_MS;

    /**
     * The probe's name in {@link ChaosAssertions#assertThatProbe(String)}, messages and the report;
     * unique in the test class. Empty means "the method's name".
     */
    String name() default "";
}
