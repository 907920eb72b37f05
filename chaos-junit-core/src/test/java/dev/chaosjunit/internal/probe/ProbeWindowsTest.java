package dev.chaosjunit.internal.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.chaosjunit.ProbeSample;

/** Windows, statistics and the timeline text, on constructed samples (times in ms since an origin). */
class ProbeWindowsTest {

    static final long ORIGIN = 5_000_000_000L;

    static long at(long ms) {
        return ORIGIN + ms * 1_000_000L;
    }

    static ProbeSample ok(long startMs, long latencyMs) {
        return new ProbeSample(at(startMs), latencyMs * 1_000_000L, true, null);
    }

    static ProbeSample fail(long startMs, long latencyMs, String error) {
        return new ProbeSample(at(startMs), latencyMs * 1_000_000L, false, error);
    }

    static FaultSpan fault(String label, long fromMs, long toMs) {
        return new FaultSpan(label, at(fromMs), at(toMs), false);
    }

    static ProbeSnapshot probe(long endMs, List<ProbeSample> samples, FaultSpan... faults) {
        return ProbeSnapshot.of("db", 100_000_000L, ORIGIN, at(endMs), samples, List.of(faults));
    }

    /** One call every 100 ms from 0 to endMs; those starting in [failFrom, failTo) fail. */
    static List<ProbeSample> every100(long endMs, long failFromMs, long failToMs) {
        List<ProbeSample> samples = new ArrayList<>();
        for (long t = 0; t < endMs; t += 100) {
            samples.add(t >= failFromMs && t < failToMs ? fail(t, 2, "java.net.ConnectException: Connection refused")
                    : ok(t, 1));
        }
        return samples;
    }

    static List<Long> startsMs(List<ProbeSample> samples) {
        List<Long> starts = new ArrayList<>();
        samples.forEach(s -> starts.add((s.startedAtNanos() - ORIGIN) / 1_000_000L));
        return starts;
    }

    @Test
    void wholeWindow_coversEveryCallUntilTheEnd() {
        ProbeSnapshot probe = probe(1000, every100(1000, 0, 0));
        assertThat(Window.whole(probe).samples(probe)).hasSize(10);
        assertThat(Window.whole(probe).phrase()).isEmpty();
    }

    @Test
    void duringFaults_isTheUnionOfTheFaultPeriods_andACallBelongsWhereItStarted() {
        List<ProbeSample> samples = List.of(ok(0, 1), ok(150, 100), fail(200, 5, "x"), fail(450, 5, "x"), ok(600, 1),
                fail(700, 5, "x"), ok(900, 1));
        // 200-500 and 450-650 overlap; 700-750 is apart
        ProbeSnapshot probe = probe(1000, samples, fault("DOWN", 200, 500), fault("LATENCY", 450, 650),
                fault("RESET_PEER", 700, 750));

        Window window = Window.duringFaults(probe);

        assertThat(window.spans()).containsExactly(new Window.Span(at(200), at(650)), new Window.Span(at(700), at(750)));
        // the call at 150 ran into the fault but started before it
        assertThat(startsMs(window.samples(probe))).containsExactly(200L, 450L, 600L, 700L);
        assertThat(window.phrase()).isEqualTo(" during faults");
    }

    @Test
    void duringFaults_withoutAFault_isEmpty() {
        ProbeSnapshot probe = probe(1000, every100(1000, 0, 0));
        assertThat(Window.duringFaults(probe).spans()).isEmpty();
        assertThat(Window.duringFaults(probe).samples(probe)).isEmpty();
    }

    @Test
    void windowsOverFaults_needAChaosTest() {
        ProbeSnapshot outside = ProbeSnapshot.of("db", 100_000_000L, ORIGIN, at(1000), List.of(), null);
        assertThatIllegalStateException().isThrownBy(() -> Window.duringFaults(outside))
                .withMessage("duringFaults() needs the faults of a chaos test, and probe \"db\" was started outside"
                        + " one; name the fault with during(fault), or start the probe in the test method of a chaos test");
        assertThatIllegalStateException().isThrownBy(() -> Window.steadyState(outside))
                .withMessageStartingWith("inSteadyState() needs the faults of a chaos test");
    }

    @Test
    void steadyState_leavesOutTheFault_andTheRecoveryUntilTheFirstSuccessfulCallAfterTheHeal() {
        // fails from 300 to 600 (the fault is healed at 450, the client needs two more calls)
        ProbeSnapshot probe = probe(1000, every100(1000, 300, 600), fault("DOWN", 250, 450));

        Window steady = Window.steadyState(probe);

        assertThat(steady.spans()).containsExactly(new Window.Span(at(0), at(250)),
                new Window.Span(at(600), at(1000) + 1));
        assertThat(startsMs(steady.samples(probe))).containsExactly(0L, 100L, 200L, 600L, 700L, 800L, 900L);
        assertThat(steady.samples(probe)).allMatch(ProbeSample::succeeded);
    }

    @Test
    void steadyState_leavesOutACallThatWasRunningWhenAFaultBegan() {
        // the call at 200 runs into the fault at 250 and fails there
        List<ProbeSample> samples = List.of(ok(0, 1), ok(100, 1), fail(200, 60, "reset"), fail(300, 1, "refused"),
                ok(400, 1), ok(500, 1));
        ProbeSnapshot probe = probe(600, samples, fault("RESET_PEER", 250, 350));

        assertThat(startsMs(Window.steadyState(probe).samples(probe))).containsExactly(0L, 100L, 400L, 500L);
        assertThat(startsMs(Window.duringFaults(probe).samples(probe))).containsExactly(300L);
        assertThat(Window.whole(probe).samples(probe)).hasSize(6);
        assertThat(TimelineText.render(probe, Window.steadyState(probe)))
                .contains(">      0 –    101 ms  ok   ×2    1 ms\n     200 –    260 ms  FAIL ×1    60 ms  reset\n");
    }

    @Test
    void steadyState_afterOverlappingFaults_countsTheRecoveryFromTheLastHeal() {
        ProbeSnapshot probe = probe(1000, every100(1000, 200, 700), fault("DOWN", 150, 400),
                fault("LATENCY", 350, 550));
        assertThat(Window.steadyState(probe).spans()).containsExactly(new Window.Span(at(0), at(150)),
                new Window.Span(at(700), at(1000) + 1));
    }

    @Test
    void steadyState_withAFaultStillActive_orNoSuccessSinceTheHeal_endsAtTheFault() {
        ProbeSnapshot active = ProbeSnapshot.of("db", 100_000_000L, ORIGIN, at(1000), every100(1000, 500, 1000),
                List.of(new FaultSpan("DOWN", at(450), at(1000), true)));
        assertThat(Window.steadyState(active).spans()).containsExactly(new Window.Span(at(0), at(450)));

        ProbeSnapshot neverRecovered = probe(1000, every100(1000, 500, 1000), fault("DOWN", 450, 600));
        assertThat(Window.steadyState(neverRecovered).spans()).containsExactly(new Window.Span(at(0), at(450)));
    }

    @Test
    void steadyState_whenFaultsAndRecoveriesTakeAllTheTime_isEmpty() {
        ProbeSnapshot probe = probe(1000, every100(1000, 0, 1000), fault("DOWN", 0, 1000));
        assertThat(Window.steadyState(probe).spans()).isEmpty();
    }

    @Test
    void percentile_isTheNearestRank() {
        List<ProbeSample> twenty = new ArrayList<>();
        for (int i = 20; i >= 1; i--) {
            twenty.add(ok(i * 100, i)); // latencies 1..20 ms, out of order
        }
        assertThat(ProbeStats.percentileNanos(twenty, 95)).isEqualTo(19_000_000L);
        assertThat(ProbeStats.percentileNanos(twenty, 99)).isEqualTo(20_000_000L);
        assertThat(ProbeStats.percentileNanos(twenty, 100)).isEqualTo(20_000_000L);
        assertThat(ProbeStats.percentileNanos(twenty, 50)).isEqualTo(10_000_000L);
        assertThat(ProbeStats.percentileNanos(twenty, 50.1)).isEqualTo(11_000_000L);
        assertThat(ProbeStats.percentileNanos(twenty, 0.001)).isEqualTo(1_000_000L);
        assertThat(ProbeStats.percentileNanos(List.of(ok(0, 7)), 1)).isEqualTo(7_000_000L);
        assertThat(ProbeStats.rank(1000, 99.9)).isEqualTo(999);
        assertThat(ProbeStats.rank(3, 100.0 / 3)).isEqualTo(1);
    }

    @Test
    void percentile_outOf0To100_isAnIllegalArgument() {
        List<ProbeSample> one = List.of(ok(0, 1));
        for (double bad : new double[] {0, -1, 100.5, Double.NaN}) {
            assertThatIllegalArgumentException().isThrownBy(() -> ProbeStats.percentileNanos(one, bad))
                    .withMessage("percentile must be more than 0 and at most 100 (such as 99 or 99.9), but was " + bad);
        }
    }

    @Test
    void recovery_isTheFirstRunOfSuccessesAmongCallsStartedAfterTheStart() {
        List<ProbeSample> samples = List.of(ok(100, 1), fail(200, 1, "a"), ok(300, 1), fail(400, 1, "b"), ok(500, 1),
                ok(600, 1), ok(700, 3));

        ProbeStats.Recovery first = ProbeStats.Recovery.search(samples, at(150), 1);
        assertThat(first.deciding().startedAtNanos()).isEqualTo(at(300));
        assertThat(first.attempts()).isEqualTo(2);
        assertThat(first.lastError()).isEqualTo("a");

        ProbeStats.Recovery threeInARow = ProbeStats.Recovery.search(samples, at(150), 3);
        assertThat(threeInARow.deciding().endedAtNanos()).isEqualTo(at(703));
        assertThat(threeInARow.attempts()).isEqualTo(6);
        assertThat(threeInARow.lastError()).isEqualTo("b");

        ProbeStats.Recovery never = ProbeStats.Recovery.search(samples, at(150), 4);
        assertThat(never.recovered()).isFalse();
        assertThat(never.bestRun()).isEqualTo(3);
    }

    @Test
    void timelineText_compressesRunsOfTheSameOutcome_andMarksTheWindow() {
        ProbeSnapshot probe = probe(1000, every100(1000, 300, 600), fault("DOWN on localhost:5432", 250, 450));

        String text = TimelineText.render(probe, Window.duringFaults(probe));

        assertThat(text).isEqualTo("Timeline of probe \"db\", a call every 100 ms (ms since the test started;"
                + " > marks calls in the window during faults, 250 – 450 ms):\n"
                + "       0 –    201 ms  ok   ×3    1 ms\n"
                + "     250 –    450 ms  fault DOWN on localhost:5432\n"
                + ">    300 –    402 ms  FAIL ×2    2 ms  java.net.ConnectException: Connection refused\n"
                + "     500 –    502 ms  FAIL ×1    2 ms  java.net.ConnectException: Connection refused\n"
                + "     600 –    901 ms  ok   ×4    1 ms");
    }

    @Test
    void timelineText_showsLatencyRanges_theFirstLineOfAnError_andACallStillRunning() {
        List<ProbeSample> samples = List.of(ok(0, 1), ok(100, 12), fail(200, 3, "java.lang.AssertionError: expected\nbut"));
        ProbeSnapshot probe = new ProbeSnapshot("db", 100_000_000L, ORIGIN, at(2500), at(2500), true, samples, true,
                at(300), 2_200_000_000L, false, List.of(), ORIGIN, true);

        String text = TimelineText.render(probe, Window.whole(probe));

        assertThat(text).contains("\n>      0 –    112 ms  ok   ×2    1–12 ms\n")
                .contains("\n>    200 –    203 ms  FAIL ×1    3 ms  java.lang.AssertionError: expected\n")
                .endsWith("\n>    300 –   2500 ms  call ×1    still running, for 2200 ms so far");
    }

    @Test
    void timelineText_longTimelines_keepTheWindowAndItsNeighbours_andSayWhatIsLeftOut() {
        List<ProbeSample> samples = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            samples.add(i % 2 == 0 ? ok(i * 10, 1) : fail(i * 10, 1, "e" + (i % 7)));
        }
        ProbeSnapshot probe = probe(2000, samples, fault("DOWN", 1000, 1050));

        String text = TimelineText.render(probe, Window.duringFaults(probe));

        // 201 lines: 30 shown, nearest the window (1000 – 1050 ms) first
        assertThat(text.lines()).hasSize(1 + TimelineText.MAX_LINES + 2);
        assertThat(text).contains("):\n  … 88 lines left out …\n     880 –    881 ms  ok   ×1    1 ms\n",
                "\n     990 –    991 ms  FAIL ×1    1 ms  e1\n    1000 –   1050 ms  fault DOWN\n>   1000 –   1001 ms  ok",
                "\n    1160 –   1161 ms  ok   ×1    1 ms\n  … 83 lines left out …")
                .doesNotContain("\n       0 –      1 ms  ok");
    }

    @Test
    void numbers_areWrittenForPeople() {
        assertThat(TimelineText.percent(0.1)).isEqualTo("10%");
        assertThat(TimelineText.percent(1.0 / 31)).isEqualTo("3.2%");
        assertThat(TimelineText.percent(0.005)).isEqualTo("0.5%");
        assertThat(TimelineText.percent(0)).isEqualTo("0%");
        assertThat(TimelineText.duration(1_000_000_000L)).isEqualTo("1 s");
        assertThat(TimelineText.duration(1_500_000_000L)).isEqualTo("1.5 s");
        assertThat(TimelineText.duration(250_000_000L)).isEqualTo("250 ms");
        assertThat(TimelineText.millis(400_000L)).isEqualTo("0.4 ms");
        assertThat(TimelineText.millis(312_400_000L)).isEqualTo("312 ms");
        assertThat(TimelineText.millis(12_340_000_000L)).isEqualTo("12.3 s");
    }
}
