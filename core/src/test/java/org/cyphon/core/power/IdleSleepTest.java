package org.cyphon.core.power;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.cyphon.core.owner.ExclusiveAppsSeen;
import org.cyphon.core.owner.InputSeen;
import org.cyphon.core.owner.OwnerObservations;
import org.cyphon.core.owner.Presence;
import org.cyphon.core.owner.PresenceFusion;
import org.cyphon.core.owner.PresenceSettings;
import org.junit.jupiter.api.Test;

class IdleSleepTest {
    private static final Instant T0 = Instant.parse("2026-11-02T20:00:00Z");
    private static final IdleSleep THIRTY_MINUTES = new IdleSleep(Duration.ofMinutes(30));

    /** An owner whose last input was at {@code lastInput}, seen from {@code now}. */
    private static Presence lastInputAt(Instant lastInput, Instant now) {
        OwnerObservations o = OwnerObservations.startingAt(T0.minus(Duration.ofHours(1)), PresenceSettings.defaults())
                .with(new InputSeen("evdev", lastInput, lastInput));
        return PresenceFusion.fuse(o, now);
    }

    @Test
    void sleepsOnceTheOwnerIsAwayAndNoWorkCameForTheWholeStretch() {
        Instant left = T0;
        Instant now = T0.plus(Duration.ofMinutes(10));
        IdleSleep.Decision early = THIRTY_MINUTES.decide(now, lastInputAt(left, now), 0, T0.minus(Duration.ofHours(2)));
        assertThat(early.sleep()).isFalse();
        assertThat(early.reconsiderAt()).isEqualTo(left.plus(Duration.ofMinutes(30)));

        Instant due = left.plus(Duration.ofMinutes(30));
        IdleSleep.Decision then = THIRTY_MINUTES.decide(due, lastInputAt(left, due), 0, T0.minus(Duration.ofHours(2)));
        assertThat(then.sleep()).isTrue();
        assertThat(then.why()).contains("30 min");
    }

    @Test
    void theQuietTimeCountsFromTheLastWorkWhenThatEndedAfterTheOwnerLeft() {
        Instant left = T0;
        Instant lastJobEnded = T0.plus(Duration.ofMinutes(50));
        Instant now = T0.plus(Duration.ofMinutes(60));
        IdleSleep.Decision d = THIRTY_MINUTES.decide(now, lastInputAt(left, now), 0, lastJobEnded);
        assertThat(d.sleep()).isFalse();
        assertThat(d.reconsiderAt()).isEqualTo(lastJobEnded.plus(Duration.ofMinutes(30)));
    }

    @Test
    void aDeskHoldingWorkOrWithItsOwnerPresentDoesNotSleep() {
        Instant now = T0.plus(Duration.ofHours(3));
        IdleSleep.Decision busy = THIRTY_MINUTES.decide(now, lastInputAt(T0, now), 1, T0);
        assertThat(busy.sleep()).isFalse();
        assertThat(busy.reconsiderAt()).isNull();
        assertThat(busy.why()).contains("1 attempt");

        Instant typing = now.minusSeconds(5);
        IdleSleep.Decision present = THIRTY_MINUTES.decide(now, lastInputAt(typing, now), 0, T0);
        assertThat(present.sleep()).isFalse();
        // Presence by input lapses present_within (60 s) after the last key: look again then.
        assertThat(present.reconsiderAt()).isEqualTo(typing.plus(Duration.ofSeconds(60)));
        assertThat(present.why()).contains("present");
    }

    @Test
    void anExclusiveApplicationKeepsTheDeskAwakeEvenWithNobodyTyping() {
        Instant now = T0.plus(Duration.ofHours(3));
        OwnerObservations o = OwnerObservations.startingAt(T0, PresenceSettings.defaults())
                .with(new InputSeen("evdev", T0, T0))
                .with(new ExclusiveAppsSeen("apps", now, List.of("steam")));
        IdleSleep.Decision d = THIRTY_MINUTES.decide(now, PresenceFusion.fuse(o, now), 0, T0);
        assertThat(d.sleep()).isFalse();
        assertThat(d.why()).contains("hands_off");
    }

    @Test
    void aHeadlessDeskCountsOnlyItsQuietTime() {
        // No input sensor at all: nobody ever seen, idle "forever".
        OwnerObservations o =
                OwnerObservations.startingAt(T0, PresenceSettings.defaults()).headless();
        Instant started = T0;
        Instant now = T0.plus(Duration.ofMinutes(20));
        IdleSleep.Decision d = THIRTY_MINUTES.decide(now, PresenceFusion.fuse(o, now), 0, started);
        assertThat(d.sleep()).isFalse();
        assertThat(d.reconsiderAt()).isEqualTo(started.plus(Duration.ofMinutes(30)));
    }

    @Test
    void refusesANonPositiveDelay() {
        assertThatThrownBy(() -> new IdleSleep(Duration.ZERO)).hasMessageContaining("positive");
    }
}
