package org.cyphon.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class WeeklyWindowTest {
    private final WeeklyWindow nights = WeeklyWindow.parse("daily 19:00-07:00, sat-sun");

    @Test
    void nightsRunPastMidnightAndWeekendsAllDay() {
        assertThat(nights.contains(DeskScript.at("18:59:59"), ZoneOffset.UTC)).isFalse();
        assertThat(nights.contains(DeskScript.at("19:00"), ZoneOffset.UTC)).isTrue();
        assertThat(nights.contains(DeskScript.at("tue 06:59:59"), ZoneOffset.UTC))
                .isTrue();
        assertThat(nights.contains(DeskScript.at("tue 07:00"), ZoneOffset.UTC)).isFalse();
        assertThat(nights.contains(DeskScript.at("sat 12:00"), ZoneOffset.UTC)).isTrue();
        assertThat(nights.contains(DeskScript.at("mon 03:00"), ZoneOffset.UTC))
                .as("Sunday night")
                .isTrue();
    }

    @Test
    void nextChangesAreTheOpeningsAndClosings() {
        assertThat(nights.nextChanges(DeskScript.at("12:00"), ZoneOffset.UTC, 2))
                .containsExactly(DeskScript.at("19:00"), DeskScript.at("tue 07:00"));
        // Friday 19:00 opens a window that lasts until Monday 07:00.
        assertThat(nights.nextChanges(DeskScript.at("fri 20:00"), ZoneOffset.UTC, 1))
                .containsExactly(Instant.parse("2025-03-10T07:00:00Z"));
        assertThat(WeeklyWindow.parse("daily").nextChanges(DeskScript.at("12:00"), ZoneOffset.UTC, 2))
                .isEmpty();
    }

    @Test
    void localTimeFollowsTheZoneAcrossDaylightSaving() {
        ZoneId paris = ZoneId.of("Europe/Paris");
        WeeklyWindow evenings = WeeklyWindow.parse("mon-fri 18:00-24:00");
        // 31 March 2025 is the first Monday of summer time: 18:00 in Paris is 16:00 UTC.
        assertThat(evenings.nextChanges(Instant.parse("2025-03-31T12:00:00Z"), paris, 1))
                .containsExactly(Instant.parse("2025-03-31T16:00:00Z"));
        assertThat(evenings.contains(Instant.parse("2025-03-31T16:30:00Z"), paris))
                .isTrue();
    }

    @Test
    void unreadableWindowsSayWhichPart() {
        assertThatThrownBy(() -> WeeklyWindow.parse("weekdays 19:00-07:00"))
                .hasMessageContaining("cannot read 'weekdays'");
        assertThatThrownBy(() -> WeeklyWindow.parse("mon 19-7")).hasMessageContaining("cannot read '19'");
        assertThatThrownBy(() -> WeeklyWindow.parse(" , ")).hasMessageContaining("no days or hours");
    }
}
