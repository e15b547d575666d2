package org.cyphon.core.owner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.cyphon.core.owner.ScriptedOwner.FIRST_DAY;
import static org.cyphon.core.owner.ScriptedOwner.ZONE;
import static org.cyphon.core.owner.ScriptedOwner.at;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class UsageProfileTest {
    private static final int TUESDAY_10 = 24 + 10;
    private static final int TUESDAY_19 = 24 + 19;
    private static final int SUNDAY_03 = 6 * 24 + 3;

    @Test
    void learnsAnOfficeWeek() {
        UsageProfile p = ScriptedOwner.office(8);
        assertThat(p.presentProbability(TUESDAY_10)).isGreaterThan(0.9);
        assertThat(p.presentProbability(SUNDAY_03)).isLessThan(0.1);
        assertThat(p.presentProbability(at(FIRST_DAY.plusDays(8 * 7 + 1), 10, 30)))
                .isGreaterThan(0.9);
        // Monday 9:00 is when the owner comes back: the arrival rate there dwarfs the night's.
        assertThat(p.arrivalRate(9)).isGreaterThan(1.0);
        assertThat(p.arrivalRate(3)).isLessThan(0.01);
        assertThat(p.learnedUntil()).isEqualTo(at(FIRST_DAY.plusDays(56), 0));
    }

    @Test
    void aChangeOfHabitIsFollowedAtTheHalfLifeRate() {
        UsageProfile before = ScriptedOwner.office(12);
        LocalDate switchDay = FIRST_DAY.plusDays(12 * 7);
        // From now on the owner works 13:00-21:00; the half-life is 28 days.
        UsageProfile oneHalfLife = ScriptedOwner.weekdays(before, switchDay, 28, 13, 21);
        UsageProfile threeHalfLives = ScriptedOwner.weekdays(oneHalfLife, switchDay.plusDays(28), 56, 13, 21);

        assertThat(before.presentProbability(TUESDAY_10)).isGreaterThan(0.9);
        assertThat(before.presentProbability(TUESDAY_19)).isLessThan(0.1);
        // After one half-life, old and new habit weigh about the same...
        assertThat(oneHalfLife.presentProbability(TUESDAY_10)).isCloseTo(0.5, within(0.12));
        assertThat(oneHalfLife.presentProbability(TUESDAY_19)).isCloseTo(0.5, within(0.12));
        // ... after three, the new one dominates (old evidence weighs 1/8).
        assertThat(threeHalfLives.presentProbability(TUESDAY_10)).isLessThan(0.2);
        assertThat(threeHalfLives.presentProbability(TUESDAY_19)).isGreaterThan(0.8);
    }

    @Test
    void awayPiecesFormOnePeriodThatEndsWhenTheOwnerComesBack() {
        UsageProfile p = UsageProfile.empty(ProfileSettings.defaults(ZONE));
        Instant t = at(FIRST_DAY, 10);
        for (int i = 0; i < 6; i++)
            p = p.observe(
                    new PresenceInterval(t.plusSeconds(600L * i), t.plusSeconds(600L * (i + 1)), OwnerState.AWAY));
        assertThat(p.awaySince()).isEqualTo(t);
        assertThat(p.idlePeriods(p.startBucket(t))).isZero();

        p = p.observe(new PresenceInterval(t.plusSeconds(3600), t.plusSeconds(4000), OwnerState.PRESENT));
        assertThat(p.awaySince()).isNull();
        int bucket = p.startBucket(t);
        assertThat(p.idlePeriods(bucket)).isCloseTo(1.0, within(0.01));
        // One hour-long period: it lasted 50 minutes, it did not last two hours.
        IdleSurvival s = p.idleSurvival(bucket);
        assertThat(s.survival(50 * 60)).isEqualTo(1.0);
        assertThat(s.survival(2 * 3600)).isZero();
    }

    @Test
    void offCutsAPeriodShortWithoutTeachingPresenceOrAReturn() {
        UsageProfile p = UsageProfile.empty(ProfileSettings.defaults(ZONE));
        Instant t = at(FIRST_DAY, 20);
        p = p.observe(new PresenceInterval(t, t.plusSeconds(3600), OwnerState.AWAY));
        p = p.observe(new PresenceInterval(t.plusSeconds(3600), t.plusSeconds(7200), OwnerState.OFF));
        int bucket = p.startBucket(t);
        assertThat(p.awaySince()).isNull();
        // Censored: it counts as a period that lasted at least an hour, with no known end.
        assertThat(p.idlePeriods(bucket)).isCloseTo(1.0, within(0.01));
        assertThat(p.idleSurvival(bucket).survival(10 * 3600)).isEqualTo(1.0);
        assertThat(p.evidenceHours(p.hourOfWeek(t.plusSeconds(3700)))).isZero();

        // The owner turning the desk on is not an arrival after an away period.
        UsageProfile on = p.observe(new PresenceInterval(t.plusSeconds(7200), t.plusSeconds(9000), OwnerState.PRESENT));
        assertThat(on.idlePeriods(bucket)).isCloseTo(1.0, within(0.01));
    }

    @Test
    void aGapInReportsEndsThePeriodAsCensored() {
        UsageProfile p = UsageProfile.empty(ProfileSettings.defaults(ZONE));
        Instant t = at(FIRST_DAY, 20);
        p = p.observe(new PresenceInterval(t, t.plusSeconds(3600), OwnerState.AWAY));
        p = p.observe(new PresenceInterval(t.plusSeconds(3 * 3600), t.plusSeconds(4 * 3600), OwnerState.AWAY));
        assertThat(p.awaySince()).isEqualTo(t.plusSeconds(3 * 3600));
        assertThat(p.idleSurvival(p.startBucket(t)).survival(30 * 3600)).isEqualTo(1.0);
    }

    @Test
    void overlappingReportsAreNotCountedTwice() {
        UsageProfile p = UsageProfile.empty(ProfileSettings.defaults(ZONE));
        Instant t = at(FIRST_DAY, 10);
        p = p.observe(new PresenceInterval(t, t.plusSeconds(3600), OwnerState.PRESENT));
        UsageProfile again = p.observe(new PresenceInterval(t, t.plusSeconds(3600), OwnerState.PRESENT));
        assertThat(again).isSameAs(p);
        UsageProfile overlap =
                p.observe(new PresenceInterval(t.plusSeconds(1800), t.plusSeconds(5400), OwnerState.PRESENT));
        assertThat(overlap.evidenceHours(p.hourOfWeek(t)) + overlap.evidenceHours(p.hourOfWeek(t) + 1))
                .isCloseTo(1.5, within(0.01));
    }

    @Test
    void detectsAnUnusuallyLongAbsenceButNotAWeekend() {
        UsageProfile p = ScriptedOwner.office(8);
        LocalDate friday = FIRST_DAY.plusDays(8 * 7 - 3);
        Instant left = at(friday, 17);
        // The owner leaves on Friday at 17:00 and does not come back on Monday.
        for (Instant t = left; t.isBefore(at(friday.plusDays(4), 12)); t = t.plusSeconds(3600)) {
            p = p.observe(new PresenceInterval(t, t.plusSeconds(3600), OwnerState.AWAY));
        }
        Instant sundayNoon = at(friday.plusDays(2), 12);
        Instant tuesdayNoon = at(friday.plusDays(4), 12);
        // Sunday noon: 43 hours, longer than absenceAfter (36 h) but every weekend is like that.
        assertThat(p.detectedAbsence(sundayNoon, Duration.between(left, sundayNoon)))
                .isEmpty();
        // Tuesday noon: no weekday evening ever lasted this long.
        assertThat(p.detectedAbsence(tuesdayNoon, Duration.between(left, tuesdayNoon)))
                .hasValueSatisfying(a -> {
                    assertThat(a.kind()).isEqualTo(Absence.Kind.DETECTED);
                    assertThat(a.since()).isEqualTo(left);
                    assertThat(a.until()).isNull();
                });
        // A short absence is never a vacation, however unusual.
        assertThat(p.detectedAbsence(at(friday.plusDays(4), 10), Duration.ofHours(3)))
                .isEmpty();
    }

    @Test
    void aDeskWithNoHistoryCallsAnythingBeyondAbsenceAfterAnAbsence() {
        UsageProfile p = UsageProfile.empty(ProfileSettings.defaults(ZONE));
        Instant now = at(FIRST_DAY, 12);
        assertThat(p.detectedAbsence(now, Duration.ofHours(30))).isEmpty();
        assertThat(p.detectedAbsence(now, Duration.ofHours(40))).isPresent();
    }

    @Test
    void snapshotRestoresTheSameProfile() {
        UsageProfile p = ScriptedOwner.office(3);
        Instant t = p.learnedUntil();
        p = p.observe(new PresenceInterval(t, t.plusSeconds(1800), OwnerState.AWAY));
        UsageProfile back = UsageProfile.restore(p.snapshot());
        assertThat(back.snapshot()).isEqualTo(p.snapshot());
        assertThat(back.awaySince()).isEqualTo(p.awaySince());
        Instant now = t.plusSeconds(1800);
        assertThat(IdleForecast.of(back, now, Duration.ofMinutes(30), null).stayAway(Duration.ofHours(3)))
                .isEqualTo(IdleForecast.of(p, now, Duration.ofMinutes(30), null).stayAway(Duration.ofHours(3)));
    }

    @Test
    void restoresAVersionOneSnapshotAndRejectsBrokenOnes() {
        UsageProfile p = ScriptedOwner.office(2);
        UsageProfile.Snapshot s = p.snapshot();
        UsageProfile.Snapshot v1 = new UsageProfile.Snapshot(
                1,
                s.zone(),
                s.halfLifeSeconds(),
                s.absenceAfterSeconds(),
                s.presentMass(),
                s.observedMass(),
                s.asOf(),
                null,
                null,
                null,
                null,
                null);
        UsageProfile back = UsageProfile.restore(v1);
        assertThat(back.presentProbability(TUESDAY_10)).isEqualTo(p.presentProbability(TUESDAY_10));

        UsageProfile.Snapshot broken = new UsageProfile.Snapshot(
                2,
                s.zone(),
                s.halfLifeSeconds(),
                s.absenceAfterSeconds(),
                new double[5],
                s.observedMass(),
                s.asOf(),
                null,
                null,
                null,
                null,
                null);
        assertThatThrownBy(() -> UsageProfile.restore(broken)).hasMessageContaining("presentMass");
        UsageProfile.Snapshot future = new UsageProfile.Snapshot(
                9,
                s.zone(),
                s.halfLifeSeconds(),
                s.absenceAfterSeconds(),
                s.presentMass(),
                s.observedMass(),
                s.asOf(),
                null,
                null,
                null,
                null,
                null);
        assertThatThrownBy(() -> UsageProfile.restore(future)).hasMessageContaining("version 9");
    }

    @Test
    void hoursOfTheWeekAreLocalAcrossDaylightSavingTime() {
        UsageProfile p = UsageProfile.empty(ProfileSettings.defaults(ZONE));
        // Summer time in Berlin: Tuesday 10:00 local is 08:00 UTC.
        assertThat(p.hourOfWeek(Instant.parse("2026-07-07T08:30:00Z"))).isEqualTo(TUESDAY_10);
        assertThat(p.hourOfWeek(Instant.parse("2026-01-06T09:30:00Z"))).isEqualTo(TUESDAY_10);
        // Walking over the spring change (Sunday 29 March 2026, 02:00 -> 03:00) puts each hour where the clock says.
        Instant sat = Instant.parse("2026-03-28T23:00:00Z"); // Sunday 00:00 CET
        UsageProfile q = p.observe(new PresenceInterval(sat, sat.plusSeconds(4 * 3600), OwnerState.PRESENT));
        assertThat(q.evidenceHours(6 * 24)).isCloseTo(1, within(0.01));
        assertThat(q.evidenceHours(6 * 24 + 2)).isZero(); // 02:00-03:00 did not exist that night
        assertThat(q.evidenceHours(6 * 24 + 4)).isCloseTo(1, within(0.01));
    }
}
