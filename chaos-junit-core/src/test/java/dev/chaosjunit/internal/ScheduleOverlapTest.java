package dev.chaosjunit.internal;

import static java.time.Duration.ofMillis;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

import dev.chaosjunit.FaultSchedule;

class ScheduleOverlapTest {

    private static OptionalLong at(long millis) {
        return OptionalLong.of(ofMillis(millis).toNanos());
    }

    private static FaultSchedule once(long after, long lasting) {
        return FaultSchedule.after(ofMillis(after)).lasting(ofMillis(lasting));
    }

    private static FaultSchedule repeated(long after, long lasting, long every, int times) {
        return once(after, lasting).every(ofMillis(every)).times(times);
    }

    private static FaultSchedule endless(long after, long lasting, long every) {
        return once(after, lasting).every(ofMillis(every));
    }

    @Test
    void withoutASchedule_aFaultActsForTheWholeBody() {
        assertThat(ScheduleOverlap.firstOverlap(null, null)).isEqualTo(at(0));
        assertThat(ScheduleOverlap.firstOverlap(null, once(200, 100))).isEqualTo(at(200));
        assertThat(ScheduleOverlap.firstOverlap(FaultSchedule.after(ofMillis(700)), null)).isEqualTo(at(700));
    }

    @Test
    void oneAfterTheOther_neverMeet_evenWhenTheyTouch() {
        assertThat(ScheduleOverlap.firstOverlap(once(0, 300), once(300, 300))).isEmpty();
        assertThat(ScheduleOverlap.firstOverlap(once(500, 100), once(0, 200))).isEmpty();
        assertThat(ScheduleOverlap.firstOverlap(once(0, 300), FaultSchedule.after(ofMillis(300)))).isEmpty();
    }

    @Test
    void overlappingOccurrences_meetWhereTheLaterStarts() {
        assertThat(ScheduleOverlap.firstOverlap(once(0, 300), once(200, 300))).isEqualTo(at(200));
        assertThat(ScheduleOverlap.firstOverlap(FaultSchedule.after(ofMillis(100)), once(500, 10))).isEqualTo(at(500));
    }

    @Test
    void repetitions_areWalkedOccurrenceByOccurrence() {
        // down 0-100, 1000-1100, 2000-2100; slow 500-600, 1500-1600: interleaved, never together
        assertThat(ScheduleOverlap.firstOverlap(repeated(0, 100, 1000, 3), repeated(500, 100, 1000, 2))).isEmpty();
        // a third slow occurrence at 2500 would be fine; one lasting into 2000 is not
        assertThat(ScheduleOverlap.firstOverlap(repeated(0, 100, 1000, 3), repeated(1500, 600, 1000, 2)))
                .isEqualTo(at(2000));
    }

    @Test
    void anEndlessSchedule_againstAFiniteOne() {
        assertThat(ScheduleOverlap.firstOverlap(endless(0, 100, 1000), once(250, 500))).isEmpty();
        assertThat(ScheduleOverlap.firstOverlap(endless(0, 100, 1000), once(5950, 100))).isEqualTo(at(6000));
        assertThat(ScheduleOverlap.firstOverlap(once(5950, 100), endless(0, 100, 1000))).isEqualTo(at(6000));
    }

    @Test
    void twoEndlessSchedules_meetUnlessTheyShareAPeriodAndTheirPhasesNeverMeet() {
        assertThat(ScheduleOverlap.firstOverlap(endless(0, 400, 1000), endless(500, 400, 1000))).isEmpty();
        assertThat(ScheduleOverlap.firstOverlap(endless(0, 400, 1000), endless(2300, 400, 1000))).isEqualTo(at(2300));
        // different periods drift through each other
        assertThat(ScheduleOverlap.firstOverlap(endless(0, 100, 1000), endless(500, 100, 900))).isPresent();
        // acting until the body ends from 700 ms on
        assertThat(ScheduleOverlap.firstOverlap(endless(0, 100, 1000), FaultSchedule.after(ofMillis(700))))
                .isEqualTo(at(1000));
    }
}
