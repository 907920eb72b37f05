package dev.chaosjunit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Puts a {@link ChaosProxy} in front of a dependency and injects a {@link Fault} while a test runs.
 *
 * <pre>{@code
 * @Test
 * @ChaosPort(port = 5432, fault = Fault.LATENCY, ms = 500)
 * void checkoutSurvivesSlowDatabase(ChaosProxy db) {
 *     // connect to db.host():db.port(); every response arrives 500 ms late
 * }
 * }</pre>
 *
 * <p><b>Target.</b> {@link #port()} names the dependency's port. A plug-in (such as
 * chaos-junit-testcontainers) may claim it, for example a container that exposes that port;
 * when none does, the dependency is {@code localhost:port}. {@link #target()} names a dependency
 * the test class declares itself with {@link ChaosTarget}, for servers started on a dynamic port.
 *
 * <p><b>Scope.</b> On a test method, the fault is active while the method body runs, not during
 * {@code @BeforeEach} or {@code @AfterEach}. On a test class, it is active during every test
 * method of the class. A method-level annotation replaces a class-level one (of the test class,
 * or of an enclosing class for a {@code @Nested} one) for the same dependency and an overlapping
 * direction, and a {@code @Nested} class's annotation replaces its enclosing class's the same way;
 * a fault on the whole port, such as {@link Fault#DOWN}, overlaps every direction. The fault is
 * removed whatever happens to the test.
 * Faults a test injects in code ({@link ChaosProxy#inject(FaultSpec)}) on a proxy chaos-junit
 * manages are healed when the test method body ends and again after each test, so a fault the
 * test forgot to heal never leaks into the next test.
 *
 * <p><b>Schedule.</b> By default the fault acts for the whole method body. With
 * {@link #startAfterMs()}, {@link #durationMs()}, {@link #repeatEveryMs()} and {@link #times()}
 * it acts on a {@link FaultSchedule} instead, so that one test observes the system before,
 * during and after the fault. Times count from the start of the test method body; on a test
 * class, the schedule starts again with each test method's body. Whatever is left of the
 * schedule when the body ends is cancelled, and the fault acting then is healed.
 *
 * <pre>{@code
 * @Test
 * @ChaosPort(port = 5432, fault = Fault.DOWN, startAfterMs = 200, durationMs = 300)
 * void theClientRidesOutAShortOutage(ChaosProxy db) {
 *     // up for 200 ms, refused from 200 ms to 500 ms, up again after 500 ms
 * }
 *
 * @Test
 * @ChaosPort(port = 5432, fault = Fault.DOWN, durationMs = 1000, repeatEveryMs = 3000, times = 3)
 * void threeOutages(ChaosProxy db) {
 *     // down from 0 to 1 s, 3 to 4 s and 6 to 7 s
 * }
 * }</pre>
 *
 * <p>In code, the same is {@link ChaosProxy#schedule(FaultSpec, FaultSchedule)}.
 *
 * <p><b>Errors.</b> Every annotation is checked before anything starts; a mistake fails the test
 * (or, on the class, the whole class) with an
 * {@link org.junit.jupiter.api.extension.ExtensionConfigurationException} that names the
 * annotation, the attribute, its value and what would be right. Giving both {@link #port()} and
 * {@link #target()}, or two annotations on the same level that name the same dependency with
 * overlapping directions and act at the same time, is an error; two whose schedules never meet
 * (such as {@code durationMs = 300} and {@code startAfterMs = 300}) take turns.
 *
 * <p>The proxy itself lives as long as what it fronts (the test class for static targets), so a
 * client or connection pool built in {@code @BeforeAll} keeps a stable address. Get it with a
 * {@link ChaosProxy} parameter, qualified with {@link ProxyFor} when there are several.
 *
 * <p>Repeatable; usable on your own meta-annotations.
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Repeatable(ChaosPort.ChaosPorts.class)
@ExtendWith(dev.chaosjunit.internal.ChaosExtension.class)
public @interface ChaosPort {

    /** Sentinel for {@link #ms()}: "not set". */
    long UNSET = -1;

    /**
     * The dependency's port, 1 to 65535. Either this or {@link #target()} must be given;
     * {@code 0} means "not set".
     */
    int port() default 0;

    /**
     * The name of a dependency declared with {@link ChaosTarget} in the test class.
     * Empty means "not set".
     */
    String target() default "";

    /**
     * For plug-ins that front containers: the name of the field holding the container, to choose
     * when several expose {@link #port()}. Empty means "not set".
     */
    String container() default "";

    /** The fault to inject. */
    Fault fault();

    /**
     * Which way the fault acts. {@link Direction#DEFAULT} means the fault's documented default
     * direction (see {@link Fault}); faults on the whole port, such as {@link Fault#DOWN}, take none.
     */
    Direction direction() default Direction.DEFAULT;

    /**
     * The fault's time parameter in milliseconds, &ge; 0: the delay for {@link Fault#LATENCY}
     * (required), the time until connections close for {@link Fault#TIMEOUT} (0 = never), the
     * time until the reset for {@link Fault#RESET_PEER} (0 = at once), the delay of the close for
     * {@link Fault#SLOW_CLOSE} (required). {@link #UNSET} (-1) means "not set"; other faults take none.
     */
    long ms() default UNSET;

    /** Sentinel for the fraction attributes ({@link #toxicity()}, {@link #upFraction()}, {@link #fraction()}): "not set". */
    double UNSET_FRACTION = -1.0;

    /** Sentinel for {@link #seed()}: "not set", use the global seed ({@link FaultSpec#SEED_PROPERTY}). */
    long NO_SEED = Long.MIN_VALUE;

    /**
     * Randomness in milliseconds, &ge; 0: {@link Fault#LATENCY} delays are drawn from
     * {@code ms} &plusmn; {@code jitterMs}; {@link Fault#FLAP} switches move by up to &plusmn; {@code jitterMs}.
     * {@link #UNSET} means none.
     */
    long jitterMs() default UNSET;

    /** {@link Fault#BANDWIDTH} (required): the rate in KB/s (1 KB = 1000 bytes), &ge; 0; 0 holds the data. {@link #UNSET} means "not set". */
    long rate() default UNSET;

    /** {@link Fault#LIMIT_DATA} (required): how many bytes pass per connection and direction, &ge; 0. {@link #UNSET} means "not set". */
    long bytes() default UNSET;

    /** {@link Fault#SLICER} (required): the average piece size in bytes, &gt; 0. -1 means "not set". */
    int averageSize() default -1;

    /** {@link Fault#SLICER}: how much a piece's size varies in bytes, 0 &le; variation &lt; averageSize (default 0). -1 means "not set". */
    int sizeVariation() default -1;

    /** {@link Fault#SLICER}: the pause between pieces in microseconds, &ge; 0 (default 0). {@link #UNSET} means "not set". */
    long delayUs() default UNSET;

    /**
     * The probability, 0.0 to 1.0, that a connection and direction is affected (default 1.0), for
     * faults that act on connections one by one (see {@link Fault#takesToxicity()}).
     * {@link #UNSET_FRACTION} means "not set".
     */
    double toxicity() default UNSET_FRACTION;

    /** {@link Fault#FLAP} (required): the period of one up-and-down cycle in milliseconds, &gt; 0. {@link #UNSET} means "not set". */
    long periodMs() default UNSET;

    /** {@link Fault#FLAP} (required): the fraction of each period the port is up, 0.0 to 1.0. {@link #UNSET_FRACTION} means "not set". */
    double upFraction() default UNSET_FRACTION;

    /** {@link Fault#LOSS} (required): the fraction of chunks that suffer a retransmission stall, 0.0 to 1.0. {@link #UNSET_FRACTION} means "not set". */
    double fraction() default UNSET_FRACTION;

    /** {@link Fault#FAIL_FIRST} (required): how many new connections are reset before they pass, &ge; 0. -1 means "not set". */
    int connections() default -1;

    /**
     * The seed of the fault's random choices, to replay a run; {@link #NO_SEED} means the global
     * seed (system property {@value FaultSpec#SEED_PROPERTY}, else random per JVM).
     */
    long seed() default NO_SEED;

    /**
     * Schedule: how long after the start of the test method body the fault starts, in
     * milliseconds, &ge; 0. {@link #UNSET} means 0: at once. See {@link FaultSchedule#after}.
     */
    long startAfterMs() default UNSET;

    /**
     * Schedule: how long each occurrence of the fault acts, in milliseconds, &gt; 0; then it is
     * healed. {@link #UNSET} means until the test method body ends. See {@link FaultSchedule#lasting}.
     */
    long durationMs() default UNSET;

    /**
     * Schedule: repeat the fault every {@code repeatEveryMs} milliseconds, from the start of one
     * occurrence to the start of the next. Needs {@link #durationMs()}, and must be longer than
     * it so the fault is healed between occurrences. {@link #UNSET} means no repetition.
     * See {@link FaultSchedule#every}.
     */
    long repeatEveryMs() default UNSET;

    /**
     * Schedule: how many occurrences in total, &ge; 1; more than one needs {@link #repeatEveryMs()}.
     * -1 means "not set": once, or, with {@link #repeatEveryMs()}, until the test method body ends.
     * See {@link FaultSchedule#times}.
     */
    int times() default -1;

    /** Holds repeated {@link ChaosPort} annotations. */
    @Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
    @Retention(RetentionPolicy.RUNTIME)
    @Documented
    @Inherited
    @ExtendWith(dev.chaosjunit.internal.ChaosExtension.class)
    @interface ChaosPorts {
        /** The repeated annotations. */
        ChaosPort[] value();
    }
}
