package org.cyphon.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cyphon.core.owner.ScriptedOwner.FIRST_DAY;
import static org.cyphon.core.owner.ScriptedOwner.at;

import java.time.Duration;
import java.time.Instant;
import org.cyphon.core.owner.Absence;
import org.cyphon.core.owner.IdleForecast;
import org.cyphon.core.owner.ScriptedOwner;
import org.cyphon.core.owner.UsageProfile;
import org.junit.jupiter.api.Test;

class CheckpointIntervalTest {
    @Test
    void checkpointsMoreOftenWhereTheOwnerReturnsSoonerWithinBounds() {
        UsageProfile office = ScriptedOwner.office(4);
        Instant tuesdayEvening = at(FIRST_DAY.plusDays(29), 18);
        Instant tuesdayMorning = at(FIRST_DAY.plusDays(29), 8);
        Duration cost = Duration.ofSeconds(30);
        Duration night =
                CheckpointInterval.choose(IdleForecast.of(office, tuesdayEvening, Duration.ofHours(1), null), cost);
        Duration soon =
                CheckpointInterval.choose(IdleForecast.of(office, tuesdayMorning, Duration.ofHours(1), null), cost);
        assertThat(soon).isLessThan(night);
        // Young: sqrt(2 * 30 s * ~15 h) is about 30 min.
        assertThat(night).isBetween(Duration.ofMinutes(20), Duration.ofMinutes(40));

        Absence vacation =
                new Absence(tuesdayEvening, tuesdayEvening.plus(Duration.ofDays(30)), Absence.Kind.DECLARED, "alice");
        assertThat(CheckpointInterval.choose(
                        IdleForecast.of(office, tuesdayEvening, Duration.ZERO, vacation), Duration.ofMinutes(10)))
                .isEqualTo(CheckpointInterval.MAX);
        assertThat(CheckpointInterval.choose(
                        IdleForecast.of(office, tuesdayMorning, Duration.ZERO, null), Duration.ZERO))
                .isEqualTo(CheckpointInterval.MIN);
    }
}
