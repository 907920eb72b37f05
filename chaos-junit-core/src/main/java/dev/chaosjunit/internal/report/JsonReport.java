package dev.chaosjunit.internal.report;

import java.util.List;
import java.util.Locale;

/** Renders test results as JSON, by hand: the core module has no JSON library. Times in milliseconds. */
final class JsonReport {

    private JsonReport() {
    }

    static String render(List<TestResult> results) {
        StringBuilder json = new StringBuilder("{\n  \"version\": 1,\n  \"bucketMs\": ")
                .append(ms(TrafficSeries.BUCKET_NANOS)).append(",\n  \"tests\": [");
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
            json.append(i == 0 ? "" : ", ").append("{\"startMs\": ").append(ms(r.startNanos()))
                    .append(", \"recoveryMs\": ").append(r.recoveryNanos() < 0 ? "null" : ms(r.recoveryNanos()))
                    .append(", \"endMs\": ").append(ms(r.endNanos()))
                    .append(", \"sloMs\": ").append(ms(r.sloNanos()))
                    .append(", \"passed\": ").append(r.passed())
                    .append(", \"attempts\": ").append(r.attempts())
                    .append(", \"consecutiveSuccesses\": ").append(r.consecutiveSuccesses())
                    .append(", \"lastError\": ").append(str(r.lastError())).append('}');
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
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
