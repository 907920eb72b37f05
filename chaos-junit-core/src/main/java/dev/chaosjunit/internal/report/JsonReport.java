package dev.chaosjunit.internal.report;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a {@link Report} as JSON, by hand (the core module has no JSON library), and reads it
 * back ({@link #parse}), which is how the parts of several test JVMs are merged. Times in
 * milliseconds with up to three decimals. The format is described in {@code docs/chaos-report.md}.
 */
final class JsonReport {

    /** The format's version: 2 added probes, verdicts, recovery subjects, run and jvms. */
    static final int VERSION = 2;

    /** Probe samples per line in the file. */
    private static final int SAMPLES_PER_LINE = 20;

    private JsonReport() {
    }

    /** The report of {@code results}, all run by this JVM. */
    static String render(List<TestResult> results) {
        return render(Report.of(results));
    }

    static String render(Report report) {
        StringBuilder json = new StringBuilder("{\n  \"version\": ").append(VERSION).append(",\n  \"bucketMs\": ")
                .append(ms(TrafficSeries.BUCKET_NANOS)).append(",\n  \"run\": ").append(str(report.run()))
                .append(",\n  \"jvms\": [");
        for (int i = 0; i < report.jvms().size(); i++) {
            Report.Jvm jvm = report.jvms().get(i);
            json.append(i == 0 ? "" : ", ").append("{\"pid\": ").append(jvm.pid()).append(", \"started\": ")
                    .append(str(jvm.started() == null ? null : jvm.started().toString())).append(", \"tests\": ")
                    .append(jvm.tests().size()).append('}');
        }
        json.append("],\n  \"tests\": [");
        List<TestResult> results = report.tests();
        for (int i = 0; i < results.size(); i++) {
            json.append(i == 0 ? "\n    " : ",\n    ");
            test(json, results.get(i));
        }
        return json.append(results.isEmpty() ? "]\n}\n" : "\n  ]\n}\n").toString();
    }

    private static void test(StringBuilder json, TestResult t) {
        json.append("{\"class\": ").append(str(t.testClass())).append(", \"test\": ").append(str(t.testName()))
                .append(", \"status\": ").append(str(t.status())).append(", \"failure\": ").append(str(t.failureMessage()))
                .append(", \"durationMs\": ").append(ms(t.durationNanos())).append(",\n     \"proxies\": [");
        for (int i = 0; i < t.proxies().size(); i++) {
            TestResult.ProxyResult p = t.proxies().get(i);
            json.append(i == 0 ? "" : ", ").append("{\"name\": ").append(str(p.name()))
                    .append(", \"listen\": ").append(str(p.listenAddress()))
                    .append(", \"trafficObserved\": ").append(p.trafficObserved())
                    .append(", \"sawTraffic\": ").append(p.sawTraffic())
                    .append(", \"connectionsEverAccepted\": ").append(p.connectionsEverAccepted())
                    .append(", \"bypassed\": ").append(p.bypassed())
                    .append(", \"openAtStart\": ").append(p.openAtStart())
                    .append(",\n       \"faults\": [");
            for (int j = 0; j < p.faults().size(); j++) {
                TestResult.FaultPeriod f = p.faults().get(j);
                json.append(j == 0 ? "" : ", ").append("{\"fault\": ").append(str(f.fault()))
                        .append(", \"spec\": ").append(str(f.spec()))
                        .append(", \"startMs\": ").append(ms(f.startNanos()))
                        .append(", \"stopMs\": ").append(ms(f.stopNanos()))
                        .append(", \"healed\": ").append(f.healed()).append('}');
            }
            json.append("],\n       \"buckets\": [");
            for (int j = 0; j < p.buckets().size(); j++) {
                TestResult.TrafficBucket b = p.buckets().get(j);
                json.append(j == 0 ? "" : ", ").append("{\"startMs\": ").append(ms(b.startNanos()))
                        .append(", \"bytesUp\": ").append(b.bytesUp()).append(", \"bytesDown\": ").append(b.bytesDown())
                        .append(", \"droppedUp\": ").append(b.droppedUp())
                        .append(", \"droppedDown\": ").append(b.droppedDown())
                        .append(", \"opened\": ").append(b.opened()).append(", \"closed\": ").append(b.closed())
                        .append('}');
            }
            json.append("]}");
        }
        json.append("],\n     \"recoveries\": [");
        for (int i = 0; i < t.recoveries().size(); i++) {
            TestResult.Recovery r = t.recoveries().get(i);
            json.append(i == 0 ? "" : ", ").append("{\"subject\": ").append(str(r.subject()))
                    .append(", \"startMs\": ").append(ms(r.startNanos()))
                    .append(", \"recoveryMs\": ").append(r.recoveryNanos() < 0 ? "null" : ms(r.recoveryNanos()))
                    .append(", \"firstSuccessMs\": ")
                    .append(r.firstSuccessNanos() < 0 ? "null" : ms(r.firstSuccessNanos()))
                    .append(", \"endMs\": ").append(ms(r.endNanos()))
                    .append(", \"sloMs\": ").append(ms(r.sloNanos()))
                    .append(", \"passed\": ").append(r.passed())
                    .append(", \"attempts\": ").append(r.attempts())
                    .append(", \"consecutiveSuccesses\": ").append(r.consecutiveSuccesses())
                    .append(", \"lastError\": ").append(str(r.lastError())).append('}');
        }
        json.append("],\n     \"probes\": [");
        for (int i = 0; i < t.probes().size(); i++) {
            probe(json.append(i == 0 ? "" : ", "), t.probes().get(i));
        }
        json.append("],\n     \"verdicts\": [");
        for (int i = 0; i < t.verdicts().size(); i++) {
            TestResult.Verdict v = t.verdicts().get(i);
            json.append(i == 0 ? "" : ",\n       ").append("{\"subject\": ").append(str(v.subject()))
                    .append(", \"assertion\": ").append(str(v.assertion()))
                    .append(", \"measured\": ").append(str(v.measured()))
                    .append(", \"passed\": ").append(v.passed())
                    .append(", \"fromMs\": ").append(ms(v.fromNanos()))
                    .append(", \"toMs\": ").append(ms(v.toNanos())).append('}');
        }
        json.append("]}");
    }

    /**
     * A probe's samples are arrays: {@code [startMs, latencyMs]} for a call that succeeded,
     * {@code [startMs, latencyMs, e]} for one that failed, {@code e} indexing the probe's
     * {@code errors} (each distinct error once, so 200 refused connections are one string).
     */
    private static void probe(StringBuilder json, TestResult.ProbeResult p) {
        List<String> errors = new ArrayList<>();
        Map<String, Integer> errorIndex = new HashMap<>();
        for (TestResult.Sample s : p.samples()) {
            if (!s.success()) {
                errorIndex.computeIfAbsent(s.error(), e -> {
                    errors.add(e);
                    return errors.size() - 1;
                });
            }
        }
        json.append("{\"name\": ").append(str(p.name())).append(", \"intervalMs\": ").append(ms(p.intervalNanos()))
                .append(", \"hungCallStartMs\": ").append(p.hungCallStartNanos() < 0 ? "null" : ms(p.hungCallStartNanos()))
                .append(", \"calls\": ").append(p.samples().size()).append(", \"failed\": ").append(p.failures())
                .append(",\n       \"errors\": [");
        for (int i = 0; i < errors.size(); i++) {
            json.append(i == 0 ? "" : ", ").append(str(errors.get(i)));
        }
        json.append("],\n       \"samples\": [");
        for (int i = 0; i < p.samples().size(); i++) {
            TestResult.Sample s = p.samples().get(i);
            json.append(i == 0 ? "" : i % SAMPLES_PER_LINE == 0 ? ",\n         " : ", ")
                    .append('[').append(ms(s.startNanos())).append(", ").append(ms(s.latencyNanos()));
            if (!s.success()) {
                json.append(", ").append(errorIndex.get(s.error()));
            }
            json.append(']');
        }
        json.append("]}");
    }

    /** Milliseconds with up to three decimals. */
    static String ms(long nanos) {
        String s = String.format(Locale.ROOT, "%.3f", nanos / 1e6);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    static String str(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '<' -> out.append("\\u003c"); // safe to embed in a <script> element
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    // ------------------------------------------------------------------ reading

    /**
     * Reads what {@link #render(Report)} wrote (version {@value #VERSION}); times come back
     * rounded to the microsecond.
     *
     * @throws IllegalArgumentException if {@code json} is not such a report
     */
    static Report parse(String json) {
        Map<String, Object> root = obj(JsonReader.parse(json), "the report");
        Object version = root.get("version");
        if (!(version instanceof Double) || ((Double) version).intValue() != VERSION) {
            throw new IllegalArgumentException("not a version " + VERSION + " chaos report: version " + version);
        }
        List<TestResult> tests = new ArrayList<>();
        for (Object test : list(root, "tests")) {
            tests.add(test(obj(test, "a test")));
        }
        List<Report.Jvm> jvms = new ArrayList<>();
        int next = 0;
        for (Object j : list(root, "jvms")) {
            Map<String, Object> jvm = obj(j, "a jvm");
            int count = (int) num(jvm, "tests");
            if (count < 0 || next + count > tests.size()) {
                throw new IllegalArgumentException("the jvms list " + count + " tests more than there are");
            }
            jvms.add(new Report.Jvm(num(jvm, "pid"), instant(optStr(jvm, "started")), tests.subList(next, next + count)));
            next += count;
        }
        if (next != tests.size()) {
            throw new IllegalArgumentException("the jvms list " + next + " tests, but there are " + tests.size());
        }
        return new Report(optStr(root, "run"), jvms);
    }

    private static TestResult test(Map<String, Object> t) {
        List<TestResult.ProxyResult> proxies = new ArrayList<>();
        for (Object o : list(t, "proxies")) {
            Map<String, Object> p = obj(o, "a proxy");
            List<TestResult.FaultPeriod> faults = new ArrayList<>();
            for (Object fo : list(p, "faults")) {
                Map<String, Object> f = obj(fo, "a fault");
                faults.add(new TestResult.FaultPeriod(str(f, "spec"), str(f, "fault"), nanos(f, "startMs"),
                        nanos(f, "stopMs"), bool(f, "healed")));
            }
            List<TestResult.TrafficBucket> buckets = new ArrayList<>();
            for (Object bo : list(p, "buckets")) {
                Map<String, Object> b = obj(bo, "a bucket");
                buckets.add(new TestResult.TrafficBucket(nanos(b, "startMs"), num(b, "bytesUp"), num(b, "bytesDown"),
                        num(b, "droppedUp"), num(b, "droppedDown"), (int) num(b, "opened"), (int) num(b, "closed")));
            }
            proxies.add(new TestResult.ProxyResult(str(p, "name"), str(p, "listen"), bool(p, "trafficObserved"),
                    (int) num(p, "openAtStart"), bool(p, "sawTraffic"), num(p, "connectionsEverAccepted"),
                    List.copyOf(faults), List.copyOf(buckets)));
        }
        List<TestResult.Recovery> recoveries = new ArrayList<>();
        for (Object o : list(t, "recoveries")) {
            Map<String, Object> r = obj(o, "a recovery");
            recoveries.add(new TestResult.Recovery(optStr(r, "subject"), nanos(r, "startMs"),
                    r.get("recoveryMs") == null ? -1 : nanos(r, "recoveryMs"),
                    r.get("firstSuccessMs") == null ? -1 : nanos(r, "firstSuccessMs"), nanos(r, "endMs"), nanos(r, "sloMs"),
                    bool(r, "passed"), (int) num(r, "attempts"), (int) num(r, "consecutiveSuccesses"),
                    optStr(r, "lastError")));
        }
        List<TestResult.ProbeResult> probes = new ArrayList<>();
        for (Object o : list(t, "probes")) {
            probes.add(probe(obj(o, "a probe")));
        }
        List<TestResult.Verdict> verdicts = new ArrayList<>();
        for (Object o : list(t, "verdicts")) {
            Map<String, Object> v = obj(o, "a verdict");
            verdicts.add(new TestResult.Verdict(optStr(v, "subject"), str(v, "assertion"), str(v, "measured"),
                    bool(v, "passed"), nanos(v, "fromMs"), nanos(v, "toMs")));
        }
        return new TestResult(str(t, "class"), str(t, "test"), nanos(t, "durationMs"), str(t, "status"),
                optStr(t, "failure"), List.copyOf(proxies), List.copyOf(recoveries), List.copyOf(probes),
                List.copyOf(verdicts));
    }

    private static TestResult.ProbeResult probe(Map<String, Object> p) {
        List<Object> errors = list(p, "errors");
        List<TestResult.Sample> samples = new ArrayList<>();
        for (Object o : list(p, "samples")) {
            if (!(o instanceof List<?> s) || s.size() < 2 || s.size() > 3 || !s.stream().allMatch(Double.class::isInstance)) {
                throw new IllegalArgumentException("a sample is [startMs, latencyMs] or [startMs, latencyMs, error]: " + o);
            }
            String error = null;
            if (s.size() == 3) {
                int index = ((Double) s.get(2)).intValue();
                if (index < 0 || index >= errors.size()) {
                    throw new IllegalArgumentException("no error " + index + " in " + errors);
                }
                error = (String) errors.get(index);
            }
            samples.add(new TestResult.Sample(nanos((Double) s.get(0)), nanos((Double) s.get(1)), s.size() == 2, error));
        }
        return new TestResult.ProbeResult(str(p, "name"), nanos(p, "intervalMs"), List.copyOf(samples),
                p.get("hungCallStartMs") == null ? -1 : nanos(p, "hungCallStartMs"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> obj(Object o, String what) {
        if (!(o instanceof Map)) {
            throw new IllegalArgumentException(what + " is not an object: " + o);
        }
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Map<String, Object> o, String key) {
        Object v = o.get(key);
        if (!(v instanceof List)) {
            throw new IllegalArgumentException("\"" + key + "\" is not an array: " + v);
        }
        return (List<Object>) v;
    }

    private static String str(Map<String, Object> o, String key) {
        String s = optStr(o, key);
        if (s == null) {
            throw new IllegalArgumentException("\"" + key + "\" is missing");
        }
        return s;
    }

    private static String optStr(Map<String, Object> o, String key) {
        Object v = o.get(key);
        if (v != null && !(v instanceof String)) {
            throw new IllegalArgumentException("\"" + key + "\" is not a string: " + v);
        }
        return (String) v;
    }

    private static boolean bool(Map<String, Object> o, String key) {
        Object v = o.get(key);
        if (!(v instanceof Boolean)) {
            throw new IllegalArgumentException("\"" + key + "\" is not true or false: " + v);
        }
        return (Boolean) v;
    }

    private static long num(Map<String, Object> o, String key) {
        Object v = o.get(key);
        if (!(v instanceof Double)) {
            throw new IllegalArgumentException("\"" + key + "\" is not a number: " + v);
        }
        return Math.round((Double) v);
    }

    private static long nanos(Map<String, Object> o, String key) {
        Object v = o.get(key);
        if (!(v instanceof Double)) {
            throw new IllegalArgumentException("\"" + key + "\" is not a number: " + v);
        }
        return nanos((Double) v);
    }

    private static long nanos(double ms) {
        return Math.round(ms * 1_000_000);
    }

    private static Instant instant(String s) {
        try {
            return s == null ? null : Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not an instant: " + s, e);
        }
    }
}
