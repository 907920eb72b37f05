package dev.chaosjunit.internal;

import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ExtensionContext.Store;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.platform.commons.support.AnnotationSupport;

import dev.chaosjunit.ActiveFault;
import dev.chaosjunit.ChaosPort;
import dev.chaosjunit.ChaosProxy;
import dev.chaosjunit.FaultSpec;
import dev.chaosjunit.HealthProbe;
import dev.chaosjunit.ProbeRecording;
import dev.chaosjunit.ProxyFor;
import dev.chaosjunit.ScheduledFault;
import dev.chaosjunit.internal.ChaosPortSpec.RequestKey;
import dev.chaosjunit.internal.ChaosTargets.Declaration;
import dev.chaosjunit.internal.probe.ProbeLoop;
import dev.chaosjunit.internal.report.ChaosReporting;
import dev.chaosjunit.internal.report.TestTimeline;
import dev.chaosjunit.spi.ResolvedTarget;
import dev.chaosjunit.spi.TargetRequest;
import dev.chaosjunit.spi.TargetResolver;

/**
 * The Jupiter extension behind {@link ChaosPort} and {@link ProxyFor}.
 *
 * <ul>
 * <li>Annotations are validated into {@link ChaosPortSpec}s once per class (in
 * {@code beforeAll}) and once per test method (in {@code beforeEach}), before anything starts.</li>
 * <li>Proxies are created on first use, one per dependency, in the store of the scope the
 * dependency lives in: the test class for static targets and ports, the test instance for
 * instance {@code @ChaosTarget}s. The extension closes them itself at the end of that scope: in
 * {@code afterEach} for a test's own proxies, in {@code afterAll} for the class's. Both run after
 * the user's {@code @AfterEach} / {@code @AfterAll} methods, so a client closed there closes
 * before its proxy.</li>
 * <li>Faults act during the test method body only: they are injected around
 * {@code invocation.proceed()} and healed in {@code finally}; a fault with a schedule is started
 * there instead and cancelled after the body. After the body and after each test, whatever else
 * is still active on the proxies the test holds (see below) is healed, and schedules started in
 * code are cancelled.</li>
 * <li>{@link HealthProbe}s are validated with the class. They start just before the test method
 * body, after the faults are injected, and stop in three steps after it: no new call; the faults
 * are healed (which releases a call a fault holds); the call in flight is waited for, 2 s at most.
 * Probes the body started in code ({@link ProbeRecording}) stop the same way. Then the test's
 * timeline is finished.</li>
 * <li>Tests that share a proxy take turns on it ({@link ProxyTurns}), so that tests JUnit runs in
 * parallel neither heal each other's faults nor record them: in {@code beforeEach}, after the
 * method's specs are validated, the extension creates the proxies they need and takes the test's
 * turn on every proxy it can see (its own scope's and those of the scopes around it), waiting for
 * the test that has one; a proxy first created later (a parameter of a {@code @BeforeEach} or test
 * method) is taken when it is created. A test heals, reports and cleans up only the proxies it
 * holds, and gives them back at the very end of {@code afterEach}, whatever failed; a failure
 * within {@code beforeEach} gives them back at once. Tests with proxies of their own, or none, do
 * not wait. A proxy of an instance {@code @ChaosTarget} of a per-method test instance is the
 * test's own and, like one whose target cannot be resolved yet in {@code beforeEach} (a server
 * started in {@code @BeforeEach}, a container another extension starts later), is created before
 * the body, where it always was, and taken there.</li>
 * <li>Cleanup does not depend on the JUnit version: what the extension closes it also removes from
 * the store. The store values are {@link AutoCloseable} and idempotent only as a safety net for
 * JUnit 5.13+, which closes what is left in a store when its scope ends; older versions do not.
 * The extension uses no store API that is deprecated in JUnit 6 or missing before 5.10.</li>
 * </ul>
 *
 * <p>Internal: registered by {@link ChaosPort} and {@link ProxyFor}; do not use directly.
 */
public final class ChaosExtension implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback,
        AfterAllCallback, InvocationInterceptor, ParameterResolver {

    private static final Namespace NAMESPACE = Namespace.create(ChaosExtension.class);
    private static final Object RESOLVERS_KEY = Resolvers.class;

    /**
     * Guards compute-if-absent on the stores: {@code Store.getOrComputeIfAbsent} is deprecated in
     * JUnit 6 and its replacement {@code computeIfAbsent} is missing before 6, so the extension
     * does its own with {@code get} and {@code put}, which every version has.
     */
    private static final Object STORE_LOCK = new Object();

    /** Created by JUnit. */
    public ChaosExtension() {
    }

    // ---------------------------------------------------------------- lifecycle

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NAMESPACE).put(new PlanKey("registered", context.getUniqueId()), Boolean.TRUE);
        classPlan(context);
    }

    /**
     * Validates the method's specs, creates the proxies they need and takes the test's turn on
     * every proxy it can see (see {@link ProxyTurns}), waiting for the tests that use them to end.
     * A proxy that cannot be created yet (its target is not up before {@code @BeforeEach}, say) is
     * created before the body, as it always was, and the test takes its turn on it then.
     */
    @Override
    public void beforeEach(ExtensionContext context) {
        MethodPlan plan = methodPlan(context);
        ProxyTurns turns = new ProxyTurns(context.getRequiredTestClass().getSimpleName() + "."
                + context.getRequiredTestMethod().getName() + "()");
        context.getStore(NAMESPACE).put(new TurnKey(context.getUniqueId()), turns);
        try {
            for (ChaosPortSpec spec : plan.specs()) {
                if (isTestsOwn(spec.request(), context)) {
                    continue; // no other test can share it: created before the body, as ever
                }
                try {
                    proxyFor(spec.request(), context);
                } catch (RuntimeException e) {
                    // created before the body, which fails there with this error if it persists
                }
            }
            turns.take(visibleProxies(context));
        } catch (Throwable t) {
            // afterEach would give them back too; this does not depend on it
            releaseTurns(context);
            throw t;
        }
    }

    /**
     * Heals the faults of the test and what is left on every proxy it holds, closes the proxies
     * that belong to the test itself (instance targets with a per-method lifecycle), and at the
     * very end gives back its turn on its proxies, whatever failed before.
     */
    @Override
    public void afterEach(ExtensionContext context) {
        Throwable failure = null;
        try {
            failure = closeFaults(context, null);
            failure = healLeftovers(context, failure);
            failure = closeProxies(context, failure);
        } catch (Throwable t) {
            failure = addTo(failure, t);
        } finally {
            releaseTurns(context);
        }
        if (failure != null) {
            throw asRuntime(failure);
        }
    }

    /** Closes the proxies of the class: ports, static targets, instance targets of a per-class instance. */
    @Override
    public void afterAll(ExtensionContext context) {
        Throwable failure = closeProxies(context, null);
        if (failure != null) {
            throw asRuntime(failure);
        }
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
            ExtensionContext extensionContext) throws Throwable {
        runWithFaults(invocation, extensionContext);
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation,
            ReflectiveInvocationContext<Method> invocationContext, ExtensionContext extensionContext) throws Throwable {
        runWithFaults(invocation, extensionContext);
    }

    private void runWithFaults(Invocation<Void> invocation, ExtensionContext context) throws Throwable {
        TestTimeline timeline = ChaosReporting.begin(context);
        try {
            runWithFaults(invocation, context, timeline);
        } finally {
            // normally finished by ChaosReporting.end; never left counting as running
            timeline.abandon();
        }
    }

    private void runWithFaults(Invocation<Void> invocation, ExtensionContext context, TestTimeline timeline)
            throws Throwable {
        MethodFaults started = new MethodFaults();
        context.getStore(NAMESPACE).put(new FaultKey(context.getUniqueId()), started);
        Throwable failure = null;
        try {
            // every proxy first (and the test's turn on it), then the faults, so that no fault
            // acts while the test might still have to give back a proxy to take its turn on another
            List<ChaosPortSpec> specs = methodPlan(context).specs();
            List<ManagedProxy> proxies = new ArrayList<>();
            for (ChaosPortSpec spec : specs) {
                proxies.add(proxyInTurn(spec.request(), context));
            }
            for (int i = 0; i < specs.size(); i++) {
                if (specs.get(i).schedule() == null) {
                    started.add(proxies.get(i).inject(specs.get(i).fault()));
                }
            }
            // after the other faults act: the schedules count from the start of the body, all
            // from the same instant
            long bodyStart = System.nanoTime();
            for (int i = 0; i < specs.size(); i++) {
                ChaosPortSpec spec = specs.get(i);
                if (spec.schedule() != null) {
                    ScheduledFault schedule = proxies.get(i).schedule(spec.fault(), spec.schedule(), bodyStart);
                    started.add(schedule);
                    timeline.addSchedule(schedule);
                }
            }
        } catch (Throwable t) {
            failure = t;
            invocation.skip();
        }
        if (failure == null) {
            attachScopeProxies(context, timeline);
            try {
                for (HealthProbeSpec probe : classPlan(context).probes()) {
                    ProbeRecording.start(probe.name(), probe.interval(), probe.bind(context));
                }
            } catch (Throwable t) {
                failure = t;
                invocation.skip();
            }
        }
        if (failure == null) {
            try {
                invocation.proceed();
            } catch (Throwable t) {
                failure = t;
            }
        }
        // probes stop before the faults are healed, so no call lands after the heal and before the
        // timeline ends; the heal then releases a call that a fault (TIMEOUT, say) holds
        List<ProbeLoop> probes = timeline.probes();
        probes.forEach(ProbeLoop::signalStop);
        failure = closeFaults(context, failure);
        failure = healLeftovers(context, failure);
        long probeDeadline = System.nanoTime() + ProbeLoop.STOP_WAIT.toNanos();
        for (ProbeLoop probe : probes) {
            probe.awaitStop(probeDeadline);
        }
        failure = ChaosReporting.end(timeline, context, failure);
        List<FaultSpec> randomized = timeline.randomizedFaults();
        if (failure != null) {
            if (!randomized.isEmpty()) {
                ReplayHint hint = new ReplayHint(randomized);
                System.err.println("[chaos] " + context.getDisplayName() + ": " + hint.getMessage());
                failure.addSuppressed(hint);
            }
            throw failure;
        }
    }

    /**
     * Attached to a failed test that used random faults: says which seeds they used and how to
     * replay them. Carries no stack trace: it is a note, not an error.
     */
    static final class ReplayHint extends RuntimeException {

        private static final long serialVersionUID = 1L;

        ReplayHint(List<FaultSpec> randomized) {
            super(message(randomized), null, false, false);
        }

        private static String message(List<FaultSpec> recorded) {
            // a repeated schedule records one fault per occurrence, all with the same spec
            List<FaultSpec> randomized = recorded.stream().distinct().collect(Collectors.toList());
            long seed = randomized.get(0).seed();
            boolean oneSeed = randomized.stream().allMatch(spec -> spec.seed() == seed);
            String faults = randomized.stream().map(FaultSpec::toString).collect(Collectors.joining(", "));
            return "this test failed with random faults: " + faults + ". Replay their random choices with "
                    + (oneSeed
                            ? "-D" + FaultSpec.SEED_PROPERTY + "=" + seed + " (or seed = " + seed
                                    + " on the @ChaosPort, FaultSpec.seed(" + seed + ") in code)"
                            : "the seed each one shows: seed = N on its @ChaosPort, or FaultSpec.seed(N) in code");
        }
    }

    /** The proxies a test of {@code context} can see: those of its own scope and of every scope around it. */
    private static List<ManagedProxy> visibleProxies(ExtensionContext context) {
        List<ManagedProxy> visible = new ArrayList<>();
        for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
            ScopeProxies proxies = c.getStore(NAMESPACE).get(new ScopeKey(c.getUniqueId()), ScopeProxies.class);
            if (proxies != null) {
                proxies.forEach(release -> visible.add(release.proxy()));
            }
        }
        return visible;
    }

    /**
     * The proxies the test of {@code context} holds its turn on: those it can see, less any that
     * another test created after this one took its turn (that test holds them).
     */
    private static List<ManagedProxy> heldProxies(ExtensionContext context) {
        ProxyTurns turns = turns(context);
        List<ManagedProxy> visible = visibleProxies(context);
        if (turns == null) {
            return visible;
        }
        List<ManagedProxy> held = new ArrayList<>();
        for (ManagedProxy proxy : visible) {
            if (turns.holds(proxy)) {
                held.add(proxy);
            }
        }
        return held;
    }

    /** Records every proxy the test of {@code context} holds in its timeline. */
    private static void attachScopeProxies(ExtensionContext context, TestTimeline timeline) {
        for (ManagedProxy proxy : heldProxies(context)) {
            ChaosReporting.attach(timeline, proxy, proxy.traffic());
        }
    }

    /** Heals what is left on every proxy the test of {@code context} holds. */
    private static Throwable healLeftovers(ExtensionContext context, Throwable failure) {
        for (ManagedProxy proxy : heldProxies(context)) {
            try {
                proxy.healLeftovers();
            } catch (Throwable t) {
                failure = addTo(failure, t);
            }
        }
        return failure;
    }

    /** The turns of the test of {@code context}, if it is a test that has taken them. */
    private static ProxyTurns turns(ExtensionContext context) {
        if (context.getTestMethod().isEmpty()) {
            return null;
        }
        return context.getStore(NAMESPACE).get(new TurnKey(context.getUniqueId()), ProxyTurns.class);
    }

    /** Gives back the test's turn on its proxies and forgets it. Never throws. */
    private static void releaseTurns(ExtensionContext context) {
        ProxyTurns turns;
        synchronized (STORE_LOCK) {
            turns = context.getStore(NAMESPACE).remove(new TurnKey(context.getUniqueId()), ProxyTurns.class);
        }
        if (turns != null) {
            turns.close();
        }
    }

    /** Heals the faults the extension injected for the test of {@code context}, if any are left. */
    private static Throwable closeFaults(ExtensionContext context, Throwable failure) {
        MethodFaults faults;
        synchronized (STORE_LOCK) {
            faults = context.getStore(NAMESPACE).remove(new FaultKey(context.getUniqueId()), MethodFaults.class);
        }
        return faults == null ? failure : faults.closeAll(failure);
    }

    /**
     * Closes the proxies created in the store of {@code scope}, newest first, and removes them
     * from the store, so that nothing is left for JUnit to close (or, before 5.13, to leak).
     */
    private static Throwable closeProxies(ExtensionContext scope, Throwable failure) {
        List<ManagedProxy.Release> releases = new ArrayList<>();
        synchronized (STORE_LOCK) {
            Store store = scope.getStore(NAMESPACE);
            ScopeProxies proxies = store.remove(new ScopeKey(scope.getUniqueId()), ScopeProxies.class);
            if (proxies == null) {
                return failure;
            }
            for (ManagedProxy.Release release : proxies) {
                store.remove(ProxyKey.of(release.proxy().target()));
                releases.add(release);
            }
        }
        for (int i = releases.size() - 1; i >= 0; i--) {
            try {
                releases.get(i).close();
            } catch (Throwable t) {
                failure = addTo(failure, t);
            }
        }
        return failure;
    }

    // ---------------------------------------------------------------- parameters

    @Override
    public ExtensionContextScope getTestInstantiationExtensionContextScope(ExtensionContext rootContext) {
        return ExtensionContextScope.TEST_METHOD;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == ChaosProxy.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext context) {
        Parameter parameter = parameterContext.getParameter();
        String where = "parameter " + parameter.getName() + " of " + describe(parameterContext.getDeclaringExecutable());
        try {
            Optional<ProxyFor> proxyFor = parameterContext.findAnnotation(ProxyFor.class);
            TargetRequest request;
            if (proxyFor.isPresent()) {
                request = ChaosPortSpec.request(proxyFor.get(), where);
                checkTarget(request, classPlan(context).targets());
            } else {
                request = onlyApplicableRequest(context, parameter, where);
            }
            return proxyInTurn(request, context);
        } catch (ExtensionConfigurationException e) {
            throw new ParameterResolutionException(e.getMessage(), e);
        }
    }

    private TargetRequest onlyApplicableRequest(ExtensionContext context, Parameter parameter, String where) {
        List<ChaosPortSpec> specs = context.getTestMethod().isPresent()
                ? methodPlan(context).specs() : classPlan(context).specs();
        Set<RequestKey> keys = new LinkedHashSet<>();
        List<ChaosPortSpec> distinct = new ArrayList<>();
        for (ChaosPortSpec spec : specs) {
            if (keys.add(spec.key())) {
                distinct.add(spec);
            }
        }
        if (distinct.size() == 1) {
            return distinct.get(0).request();
        }
        if (distinct.isEmpty()) {
            return onlyTarget(context, parameter, where);
        }
        throw new ParameterResolutionException("ChaosProxy " + where + " is ambiguous: @ChaosPort declares "
                + keys.stream().map(RequestKey::describe).collect(Collectors.joining(" and "))
                + "; say which with "
                + keys.stream().map(k -> k.asProxyFor() + " ChaosProxy " + parameter.getName())
                        .collect(Collectors.joining(" or ")));
    }

    /** With no {@code @ChaosPort} around, the class's one {@code @ChaosTarget}, if it has exactly one. */
    private TargetRequest onlyTarget(ExtensionContext context, Parameter parameter, String where) {
        ChaosTargets targets = classPlan(context).targets();
        List<String> names = targets.names();
        if (names.size() == 1) {
            return new TargetRequest(0, names.get(0), "", "ChaosProxy " + where);
        }
        if (names.isEmpty()) {
            throw new ParameterResolutionException("ChaosProxy " + where
                    + " names no dependency: no @ChaosPort applies here; declare one, or say which with"
                    + " @ProxyFor(port = ...) or @ProxyFor(target = \"...\")");
        }
        throw new ParameterResolutionException("ChaosProxy " + where + " is ambiguous: no @ChaosPort applies here and "
                + targets.testClass().getSimpleName() + " declares the targets " + targets.knownNames()
                + "; say which with "
                + names.stream().map(n -> "@ProxyFor(target = \"" + n + "\") ChaosProxy " + parameter.getName())
                        .collect(Collectors.joining(" or ")));
    }

    private static String describe(Executable executable) {
        String parameters = Arrays.stream(executable.getParameterTypes()).map(Class::getSimpleName)
                .collect(Collectors.joining(", "));
        if (executable instanceof Constructor) {
            return "constructor " + executable.getDeclaringClass().getSimpleName() + "(" + parameters + ")";
        }
        return "method " + executable.getName() + "(" + parameters + ")";
    }

    // ---------------------------------------------------------------- plans

    /**
     * The validated class-level specs, the target catalog and the health probes (the enclosing
     * classes' included) of the test class around {@code context}.
     */
    private record ClassPlan(List<ChaosPortSpec> specs, ChaosTargets targets, List<HealthProbeSpec> probes) {
    }

    /** The specs that act during one test method: class-level ones, replaced by method-level ones. */
    private record MethodPlan(List<ChaosPortSpec> specs) {
    }

    private record PlanKey(String kind, String uniqueId) {
    }

    private record ScopeKey(String uniqueId) {
    }

    private record FaultKey(String uniqueId) {
    }

    private record TurnKey(String uniqueId) {
    }

    private record ProxyKey(String host, int port) {

        static ProxyKey of(ResolvedTarget target) {
            return new ProxyKey(target.host().toLowerCase(Locale.ROOT), target.port());
        }
    }

    private record Resolvers(List<TargetResolver> resolvers) {
    }

    /** The proxies created in one scope, for healing after each test and closing at its end. */
    private static final class ScopeProxies extends CopyOnWriteArrayList<ManagedProxy.Release> {
        private static final long serialVersionUID = 1L;
    }

    /**
     * The faults injected and the schedules started from {@code @ChaosPort} for one test. Healed
     * and cancelled by the extension after the body; {@link AutoCloseable} only as the store's
     * safety net, and closing twice is harmless.
     */
    private static final class MethodFaults implements AutoCloseable {

        private final List<AutoCloseable> faults = new CopyOnWriteArrayList<>();
        private final AtomicBoolean closed = new AtomicBoolean();

        void add(ActiveFault fault) {
            faults.add(fault);
        }

        void add(ScheduledFault schedule) {
            faults.add(schedule);
        }

        /** Heals the faults and cancels the schedules, newest first, adding what fails to {@code failure}. */
        Throwable closeAll(Throwable failure) {
            if (!closed.compareAndSet(false, true)) {
                return failure;
            }
            for (int i = faults.size() - 1; i >= 0; i--) {
                try {
                    faults.get(i).close();
                } catch (Throwable t) {
                    failure = addTo(failure, t);
                }
            }
            return failure;
        }

        @Override
        public void close() {
            Throwable failure = closeAll(null);
            if (failure != null) {
                throw asRuntime(failure);
            }
        }
    }

    /**
     * The value of {@code key} in the store of {@code context} (or a store around it), created
     * with {@code factory} and put into the store of {@code context} if there is none.
     */
    private static <V> V computeIfAbsent(ExtensionContext context, Object key, Supplier<V> factory, Class<V> type) {
        synchronized (STORE_LOCK) {
            Store store = context.getStore(NAMESPACE);
            V value = store.get(key, type);
            if (value == null) {
                value = factory.get();
                store.put(key, value);
            }
            return value;
        }
    }

    private static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext c = context;
        while (c.getTestMethod().isPresent()) {
            c = c.getParent().orElseThrow();
        }
        return c;
    }

    private ClassPlan classPlan(ExtensionContext context) {
        ExtensionContext classContext = classContext(context);
        return computeIfAbsent(classContext, new PlanKey("class", classContext.getUniqueId()),
                () -> buildClassPlan(classContext), ClassPlan.class);
    }

    private ClassPlan buildClassPlan(ExtensionContext classContext) {
        Class<?> testClass = classContext.getRequiredTestClass();
        Optional<ClassPlan> enclosing = classContext.getParent()
                .filter(p -> p.getTestClass().isPresent() && p.getTestMethod().isEmpty())
                .map(this::classPlan);
        ChaosTargets targets = ChaosTargets.scan(testClass, enclosing.map(ClassPlan::targets));
        List<ChaosPortSpec> own = specs(AnnotationSupport.findRepeatableAnnotations(testClass, ChaosPort.class),
                "class " + testClass.getSimpleName(), targets, classContext);
        List<ChaosPortSpec> base = enclosing.map(ClassPlan::specs).orElse(List.of());
        List<HealthProbeSpec> probes = new ArrayList<>(enclosing.map(ClassPlan::probes).orElse(List.of()));
        probes.addAll(HealthProbeSpec.scan(testClass));
        HealthProbeSpec.checkUnique(probes);
        return new ClassPlan(override(base, own), targets, List.copyOf(probes));
    }

    private MethodPlan methodPlan(ExtensionContext context) {
        return computeIfAbsent(context, new PlanKey("method", context.getUniqueId()), () -> {
            ClassPlan classPlan = classPlan(context);
            Method method = context.getRequiredTestMethod();
            List<ChaosPortSpec> own = specs(AnnotationSupport.findRepeatableAnnotations(method, ChaosPort.class),
                    describe(method), classPlan.targets(), context);
            return new MethodPlan(override(classPlan.specs(), own));
        }, MethodPlan.class);
    }

    private List<ChaosPortSpec> specs(List<ChaosPort> annotations, String location, ChaosTargets targets,
            ExtensionContext context) {
        List<ChaosPortSpec> specs = new ArrayList<>();
        for (ChaosPort annotation : annotations) {
            ChaosPortSpec spec = ChaosPortSpec.from(annotation, location);
            checkTarget(spec.request(), targets);
            if (!spec.request().container().isEmpty() && resolvers(context).isEmpty()) {
                throw ChaosPortSpec.invalid(spec.origin(), containerHint(spec.request(), List.of()));
            }
            specs.add(spec);
        }
        for (int i = 0; i < specs.size(); i++) {
            for (int j = i + 1; j < specs.size(); j++) {
                ChaosPortSpec a = specs.get(i);
                ChaosPortSpec b = specs.get(j);
                OptionalLong together = a.overlaps(b) ? ScheduleOverlap.firstOverlap(a.schedule(), b.schedule())
                        : OptionalLong.empty();
                if (together.isPresent()) {
                    String when = a.schedule() == null && b.schedule() == null ? ""
                            : " and at the same time (both act from " + TimeUnit.NANOSECONDS.toMillis(together.getAsLong())
                                    + " ms after the body starts)";
                    throw new ExtensionConfigurationException(a.origin() + " and " + b.origin()
                            + " both inject a fault into " + a.key().describe() + " in overlapping directions ("
                            + a.directionText() + " and " + b.directionText() + ")" + when + "; keep only one of them,"
                            + " give them directions that do not overlap, such as UPSTREAM and DOWNSTREAM, or"
                            + " schedules that never act at the same time (startAfterMs, durationMs)");
                }
            }
        }
        return Collections.unmodifiableList(specs);
    }

    private static String containerHint(TargetRequest request, List<TargetResolver> resolvers) {
        if (resolvers.isEmpty()) {
            return "container = \"" + request.container() + "\" needs a plug-in that knows containers, and there is"
                    + " none; add chaos-junit-testcontainers to the test classpath";
        }
        return "container = \"" + request.container() + "\" was claimed by none of the installed plug-ins ("
                + resolvers.stream().map(r -> r.getClass().getSimpleName()).collect(Collectors.joining(", "))
                + "); check that a started container is in a field named " + request.container();
    }

    private static void checkTarget(TargetRequest request, ChaosTargets targets) {
        String name = request.target();
        if (name.isEmpty() || targets.find(name).isPresent()) {
            return;
        }
        String known = targets.isEmpty()
                ? "; it declares none: put @ChaosTarget(\"" + name + "\") on a field or no-argument method"
                        + " whose value is an InetSocketAddress, an int port or a Supplier of either"
                : "; known targets: " + targets.knownNames();
        throw ChaosPortSpec.invalid(request.origin(), "target = \"" + name + "\" names no @ChaosTarget in "
                + targets.testClass().getSimpleName() + known);
    }

    /** Spec {@code top} replaces every spec of {@code base} it overlaps. */
    private static List<ChaosPortSpec> override(List<ChaosPortSpec> base, List<ChaosPortSpec> top) {
        List<ChaosPortSpec> result = new ArrayList<>();
        for (ChaosPortSpec spec : base) {
            if (top.stream().noneMatch(spec::overlaps)) {
                result.add(spec);
            }
        }
        result.addAll(top);
        return Collections.unmodifiableList(result);
    }

    // ---------------------------------------------------------------- targets and proxies

    private static List<TargetResolver> resolvers(ExtensionContext context) {
        return computeIfAbsent(context.getRoot(), RESOLVERS_KEY, () -> {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            List<TargetResolver> found = new ArrayList<>();
            ServiceLoader.load(TargetResolver.class, loader != null ? loader : ChaosExtension.class.getClassLoader())
                    .forEach(found::add);
            return new Resolvers(List.copyOf(found));
        }, Resolvers.class).resolvers();
    }

    /** The proxy for {@code request}, created on first use in the store of the scope its target lives in. */
    private ManagedProxy proxyFor(TargetRequest request, ExtensionContext context) {
        ResolvedTarget target = resolve(request, context);
        ExtensionContext scope = target.perTestInstance() ? instanceScope(context) : classScope(context);
        ManagedProxy.Release release = computeIfAbsent(scope, ProxyKey.of(target), () -> {
            ManagedProxy.Release created = new ManagedProxy.Release(ManagedProxy.open(target));
            computeIfAbsent(scope, new ScopeKey(scope.getUniqueId()), ScopeProxies::new, ScopeProxies.class)
                    .add(created);
            return created;
        }, ManagedProxy.Release.class);
        return release.proxy();
    }

    /**
     * {@link #proxyFor}, and, in a test that has taken its turns, the test's turn on the proxy
     * (one first created now, by a parameter, say).
     */
    private ManagedProxy proxyInTurn(TargetRequest request, ExtensionContext context) {
        ManagedProxy proxy = proxyFor(request, context);
        ProxyTurns turns = turns(context);
        if (turns != null) {
            turns.take(List.of(proxy));
        }
        return proxy;
    }

    /**
     * Whether {@code request} names an instance {@code @ChaosTarget} of a test instance made for
     * this test alone: its proxy is the test's own. Its value may be set in {@code @BeforeEach}.
     */
    private boolean isTestsOwn(TargetRequest request, ExtensionContext context) {
        if (request.target().isEmpty() || instanceScope(context) != context) {
            return false;
        }
        return classPlan(context).targets().find(request.target()).map(d -> !d.isStatic()).orElse(false);
    }

    private static ExtensionContext instanceScope(ExtensionContext context) {
        if (context.getTestInstanceLifecycle().orElse(null) == TestInstance.Lifecycle.PER_CLASS) {
            return classScope(context);
        }
        return context;
    }

    /**
     * The scope of a class-wide proxy: the test class, when the extension is registered there and
     * so gets {@code afterAll} to close it. When only a test method registers it (a
     * {@code @ChaosPort} or {@code @ProxyFor} on the method alone), nothing would close a
     * class-wide proxy, so the proxy is the test's own, closed after it.
     */
    private static ExtensionContext classScope(ExtensionContext context) {
        ExtensionContext classContext = classContext(context);
        if (context == classContext || classContext.getStore(NAMESPACE)
                .get(new PlanKey("registered", classContext.getUniqueId()), Boolean.class) != null) {
            return classContext;
        }
        return context;
    }

    private ResolvedTarget resolve(TargetRequest request, ExtensionContext context) {
        if (!request.target().isEmpty()) {
            ChaosTargets targets = classPlan(context).targets();
            checkTarget(request, targets);
            Declaration declaration = targets.find(request.target()).orElseThrow();
            Object instance = null;
            if (!declaration.isStatic()) {
                instance = context.getTestInstances()
                        .flatMap(instances -> instances.findInstance(declaration.declaringClass()))
                        .orElseThrow(() -> ChaosPortSpec.invalid(request.origin(), declaration.describe()
                                + " belongs to a test instance, and there is none here; make it static to use it"
                                + " in @BeforeAll, @AfterAll or a constructor"));
            }
            return declaration.read(instance);
        }
        for (TargetResolver resolver : resolvers(context)) {
            Optional<ResolvedTarget> target = resolver.resolve(request, context);
            if (target.isPresent()) {
                return target.get();
            }
        }
        if (!request.container().isEmpty() || request.port() == 0) {
            throw ChaosPortSpec.invalid(request.origin(), containerHint(request, resolvers(context)));
        }
        return new ResolvedTarget("localhost", request.port(), "localhost:" + request.port(), false);
    }

    // ---------------------------------------------------------------- failures

    private static Throwable addTo(Throwable failure, Throwable next) {
        if (failure == null) {
            return next;
        }
        if (failure != next) {
            failure.addSuppressed(next);
        }
        return failure;
    }

    private static RuntimeException asRuntime(Throwable failure) {
        if (failure instanceof RuntimeException) {
            return (RuntimeException) failure;
        }
        if (failure instanceof Error) {
            throw (Error) failure;
        }
        return new IllegalStateException(failure);
    }
}
