package dev.chaosjunit;

import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

/** The value class: what each step means, how it prints, and every mistake with its message. */
class FaultScheduleTests {

    @Test
    void after_startsLater_andActsUntilCancelled() {
        FaultSchedule schedule = FaultSchedule.after(ofMillis(500));
        assertThat(schedule.delay()).isEqualTo(ofMillis(500));
        assertThat(schedule.duration()).isEmpty();
        assertThat(schedule.period()).isEmpty();
        assertThat(schedule.times()).isEqualTo(OptionalInt.of(1));
        assertThat(schedule).hasToString("after 500 ms, until cancelled");
    }

    @Test
    void immediately_isAfterZero() {
        assertThat(FaultSchedule.immediately()).isEqualTo(FaultSchedule.after(Duration.ZERO))
                .hasToString("immediately, until cancelled");
        assertThat(FaultSchedule.immediately().lasting(ofMillis(200))).hasToString("immediately, lasting 200 ms");
    }

    @Test
    void aFullSchedule_readsInTheOrderItIsBuilt() {
        FaultSchedule schedule = FaultSchedule.after(ofMillis(500)).lasting(ofSeconds(1)).every(ofSeconds(3)).times(3);
        assertThat(schedule.delay()).isEqualTo(ofMillis(500));
        assertThat(schedule.duration()).isEqualTo(Optional.of(ofSeconds(1)));
        assertThat(schedule.period()).isEqualTo(Optional.of(ofSeconds(3)));
        assertThat(schedule.times()).isEqualTo(OptionalInt.of(3));
        assertThat(schedule).hasToString("after 500 ms, lasting 1 s, every 3 s, 3 times");
    }

    @Test
    void every_withoutTimes_repeatsUntilCancelled() {
        FaultSchedule schedule = FaultSchedule.immediately().lasting(ofMillis(100)).every(ofMillis(250));
        assertThat(schedule.times()).isEmpty();
        assertThat(schedule).hasToString("immediately, lasting 100 ms, every 250 ms, until cancelled");
        assertThat(schedule.times(1)).hasToString("immediately, lasting 100 ms, every 250 ms, once");
    }

    @Test
    void times_one_withoutEvery_isASingleOccurrence() {
        FaultSchedule once = FaultSchedule.after(ofSeconds(1)).lasting(ofSeconds(2)).times(1);
        assertThat(once).isEqualTo(FaultSchedule.after(ofSeconds(1)).lasting(ofSeconds(2)))
                .hasSameHashCodeAs(FaultSchedule.after(ofSeconds(1)).lasting(ofSeconds(2)))
                .hasToString("after 1 s, lasting 2 s");
    }

    @Test
    void equalSchedules_areEqual_andDifferentOnesAreNot() {
        FaultSchedule a = FaultSchedule.after(ofMillis(10)).lasting(ofMillis(20)).every(ofMillis(30)).times(2);
        FaultSchedule b = FaultSchedule.after(ofMillis(10)).lasting(ofMillis(20)).every(ofMillis(30)).times(2);
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(b.times(3))
                .isNotEqualTo(FaultSchedule.after(ofMillis(10)).lasting(ofMillis(20)).every(ofMillis(30)))
                .isNotEqualTo(FaultSchedule.after(ofMillis(11)).lasting(ofMillis(20)).every(ofMillis(30)).times(2))
                .isNotEqualTo(null)
                .isNotEqualTo("after 10 ms");
    }

    @Test
    void times_areShownInTheLargestExactUnit() {
        assertThat(FaultSchedule.after(Duration.ofNanos(1_500_000)).lasting(Duration.ofDays(2)))
                .hasToString("after 1500 µs, lasting 2 days");
        assertThat(FaultSchedule.after(Duration.ofNanos(7)).lasting(Duration.ofDays(1)))
                .hasToString("after 7 ns, lasting 1 day");
    }

    @Test
    void after_rejectsNegativeAndTooLongDelays() {
        assertThatThrownBy(() -> FaultSchedule.after(ofMillis(-1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("delay must be zero or positive, but was -1 ms");
        assertThatThrownBy(() -> FaultSchedule.after(Duration.ofDays(366))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("delay must be at most 365 days, but was 366 days");
        assertThatThrownBy(() -> FaultSchedule.after(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("delay");
    }

    @Test
    void lasting_mustBePositive_atMost365Days_andShorterThanThePeriod() {
        assertThatThrownBy(() -> FaultSchedule.immediately().lasting(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("duration must be positive, but was 0 s");
        assertThatThrownBy(() -> FaultSchedule.immediately().lasting(ofSeconds(-2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("duration must be positive, but was -2 s");
        assertThatThrownBy(() -> FaultSchedule.immediately().lasting(Duration.ofDays(400)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("duration must be at most 365 days, but was 400 days");
        FaultSchedule repeating = FaultSchedule.immediately().lasting(ofSeconds(1)).every(ofSeconds(3));
        assertThatThrownBy(() -> repeating.lasting(ofSeconds(3))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("duration must be shorter than the period (3 s), so that the fault is healed between"
                        + " occurrences, but was 3 s");
        assertThat(repeating.lasting(ofSeconds(2))).hasToString("immediately, lasting 2 s, every 3 s, until cancelled");
    }

    @Test
    void every_needsADurationBefore_andMustBeLongerThanIt() {
        assertThatThrownBy(() -> FaultSchedule.immediately().every(ofSeconds(3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("every(3 s) needs a duration, or the first occurrence would never end; call lasting(...)"
                        + " before every(...), such as"
                        + " FaultSchedule.immediately().lasting(Duration.ofSeconds(1)).every(Duration.ofSeconds(3))");
        assertThatThrownBy(() -> FaultSchedule.immediately().lasting(ofSeconds(1)).every(ofMillis(500)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("period must be longer than the duration (1 s), so that the fault is healed between"
                        + " occurrences, but was 500 ms");
        assertThatThrownBy(() -> FaultSchedule.immediately().lasting(ofSeconds(1)).every(ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("period must be longer than the duration (1 s)");
        assertThatThrownBy(() -> FaultSchedule.immediately().lasting(ofSeconds(1)).every(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("period must be positive, but was 0 s");
        assertThatThrownBy(() -> FaultSchedule.immediately().lasting(ofSeconds(1)).every(Duration.ofDays(365).plusMillis(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("period must be at most 365 days, but was 31536000001 ms");
    }

    @Test
    void times_mustBePositive_andMoreThanOneNeedsEvery() {
        FaultSchedule oneSecond = FaultSchedule.immediately().lasting(ofSeconds(1));
        assertThatThrownBy(() -> oneSecond.times(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("times must be 1 or more, but was 0");
        assertThatThrownBy(() -> oneSecond.times(3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("times(3) needs a period between the occurrences; call every(...) before times(...),"
                        + " such as FaultSchedule.immediately().lasting(Duration.ofSeconds(1))"
                        + ".every(Duration.ofSeconds(3)).times(3)");
    }
}
