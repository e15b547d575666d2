package org.cyphon.core.desk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import org.cyphon.core.policy.WeeklyWindow;
import org.junit.jupiter.api.Test;

/** The desk VM's plan over a scripted week: days, nights, a late visit, an overload. */
class DeskPlanTest {
    private static final ZoneId ZONE = ZoneId.of("Europe/Paris");
    private static final DeskPlanSettings OFFICE = new DeskPlanSettings(
            WeeklyWindow.parse("mon-fri 08:00-19:00"),
            ZONE,
            Duration.ofMinutes(15),
            Duration.ofMinutes(10),
            Duration.ofMinutes(30),
            0.5);

    /** 2026-11-23 is a Monday. */
    private static Instant at(String dayAndTime) {
        return LocalDateTime.parse("2026-11-" + dayAndTime).atZone(ZONE).toInstant();
    }

    private static DeskDecision decide(String when, boolean present, Duration idle) {
        return DeskPlan.decide(at(when), present, idle, null, OFFICE);
    }

    @Test
    void byDayTheOwnersVmRunsWhileTheyWorkAndPausesWhileTheyAreAwayButIsNeverSaved() {
        assertThat(decide("23T10:00", true, Duration.ZERO).target()).isEqualTo(VmTarget.RUNNING);
        assertThat(decide("23T10:00", true, Duration.ZERO).fullMemory()).isTrue();

        DeskDecision coffee = decide("23T10:05", false, Duration.ofMinutes(5));
        assertThat(coffee.target()).isEqualTo(VmTarget.RUNNING);
        assertThat(coffee.reconsiderAt()).isEqualTo(at("23T10:10")); // when pause_after_idle passes

        DeskDecision lunch = decide("23T12:40", false, Duration.ofMinutes(40));
        assertThat(lunch.target()).isEqualTo(VmTarget.PAUSED);
        assertThat(lunch.fullMemory()).isFalse();
        assertThat(lunch.reconsiderAt()).isEqualTo(at("23T19:00")); // desk hours end
    }

    @Test
    void atNightTheVmIsSavedToDiskAndComesBackPausedAheadOfTheMorning() {
        DeskDecision evening = decide("23T19:20", false, Duration.ofMinutes(20));
        assertThat(evening.target()).isEqualTo(VmTarget.PAUSED);
        assertThat(evening.reconsiderAt()).isEqualTo(at("23T19:30")); // save_after_idle passes

        DeskDecision night = decide("23T23:00", false, Duration.ofHours(4));
        assertThat(night.target()).isEqualTo(VmTarget.SAVED);
        assertThat(night.reasons()).anyMatch(r -> r.contains("saved to disk"));
        assertThat(night.reconsiderAt()).isEqualTo(at("24T07:45")); // restore_ahead of 08:00

        DeskDecision dawn = decide("24T07:50", false, Duration.ofHours(12));
        assertThat(dawn.target()).as("restored ahead of desk hours, kept ready").isEqualTo(VmTarget.PAUSED);
        assertThat(dawn.reasons()).anyMatch(r -> r.contains("desk hours begin within 15m"));
    }

    @Test
    void someoneComingInAtNightGetsTheVmBackAtOnce() {
        DeskDecision lateVisit = decide("24T02:00", true, Duration.ZERO);
        assertThat(lateVisit.target()).isEqualTo(VmTarget.RUNNING);
        assertThat(lateVisit.fullMemory()).isTrue();
    }

    @Test
    void theVmsCpuWeightFollowsTheOwner() {
        assertThat(decide("23T10:00", true, Duration.ZERO).cpuWeight()).isEqualTo(DeskPlan.OWNER_WEIGHT);
        assertThat(decide("23T10:05", false, Duration.ofMinutes(5)).cpuWeight())
                .as("running, unattended")
                .isEqualTo(DeskPlan.UNATTENDED_WEIGHT);
        assertThat(DeskPlan.OWNER_WEIGHT).isGreaterThan(100).isLessThanOrEqualTo(10_000);
        assertThat(DeskPlan.UNATTENDED_WEIGHT).isLessThan(100).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aSavedVmComesBackAheadOfTheOwnersForecastReturnNotOnlyAheadOfDeskHours() {
        // An early bird: usually in at 06:30, long before desk hours (08:00).
        OwnerOutlook early = new OwnerOutlook(at("24T06:30"), null);
        DeskDecision night = DeskPlan.decide(at("24T04:00"), false, Duration.ofHours(9), null, early, OFFICE);
        assertThat(night.target()).isEqualTo(VmTarget.SAVED);
        assertThat(night.reconsiderAt())
                .as("restore_ahead before the forecast return")
                .isEqualTo(at("24T06:15"));

        DeskDecision dawn = DeskPlan.decide(at("24T06:15"), false, Duration.ofHours(11), null, early, OFFICE);
        assertThat(dawn.target()).isEqualTo(VmTarget.PAUSED);
        assertThat(dawn.reasons()).anyMatch(r -> r.contains("usually back by"));

        // Overdue by more than restore_ahead (not coming after all): saved again until desk hours.
        DeskDecision overdue = DeskPlan.decide(at("24T06:50"), false, Duration.ofHours(11), null, early, OFFICE);
        assertThat(overdue.target()).isEqualTo(VmTarget.SAVED);
    }

    @Test
    void duringADeclaredAbsenceDeskHoursDoNotHoldTheVmUp() {
        OwnerOutlook vacation = new OwnerOutlook(null, at("27T08:00"));
        DeskDecision tuesday = DeskPlan.decide(at("24T10:00"), false, Duration.ofHours(20), null, vacation, OFFICE);
        assertThat(tuesday.target())
                .as("a weekday, in desk hours, but the owner is on holiday")
                .isEqualTo(VmTarget.SAVED);
        assertThat(tuesday.reasons()).anyMatch(r -> r.contains("declared"));
        assertThat(tuesday.reconsiderAt()).isBeforeOrEqualTo(at("27T07:45"));

        DeskDecision back = DeskPlan.decide(at("27T07:45"), false, Duration.ofDays(3), null, vacation, OFFICE);
        assertThat(back.target())
                .as("ready restore_ahead before the absence ends")
                .isEqualTo(VmTarget.PAUSED);

        DeskDecision surprise = DeskPlan.decide(at("25T10:00"), true, Duration.ZERO, null, vacation, OFFICE);
        assertThat(surprise.target())
                .as("someone at the desk wins over any declaration")
                .isEqualTo(VmTarget.RUNNING);
    }

    @Test
    void weekendsAreNightsAllDay() {
        assertThat(decide("28T14:00", false, Duration.ofHours(30)).target()).isEqualTo(VmTarget.SAVED);
        assertThat(decide("30T07:46", false, Duration.ofHours(60)).target())
                .as("monday morning")
                .isEqualTo(VmTarget.PAUSED);
    }

    @Test
    void anOverloadCapsTheVmOnlyWhereTheDeskAllowsItAndEndsByItself() {
        Instant until = at("23T12:00");
        DeskDecision capped = DeskPlan.decide(at("23T10:00"), true, Duration.ZERO, until, OFFICE);
        assertThat(capped.cpuCap()).isEqualTo(0.5);
        assertThat(capped.reasons()).anyMatch(r -> r.startsWith("overload mode until"));
        assertThat(capped.reconsiderAt()).isEqualTo(until);

        assertThat(DeskPlan.decide(at("23T12:00"), true, Duration.ZERO, until, OFFICE)
                        .cpuCap())
                .as("ended")
                .isNull();

        DeskPlanSettings refuses = new DeskPlanSettings(
                OFFICE.hours(), ZONE, OFFICE.restoreAhead(), OFFICE.pauseAfterIdle(), OFFICE.saveAfterIdle(), null);
        DeskDecision notHere = DeskPlan.decide(at("23T10:00"), true, Duration.ZERO, until, refuses);
        assertThat(notHere.cpuCap()).isNull();
        assertThat(notHere.reasons()).anyMatch(r -> r.contains("does not allow"));
    }

    @Test
    void withoutDeskHoursTheVmIsPausedWhenIdleButNeverSaved() {
        DeskPlanSettings always =
                new DeskPlanSettings(null, ZONE, Duration.ZERO, Duration.ofMinutes(10), Duration.ofMinutes(30), null);
        assertThat(DeskPlan.decide(at("24T03:00"), false, Duration.ofHours(8), null, always)
                        .target())
                .isEqualTo(VmTarget.PAUSED);
    }

    @Test
    void settingsThatContradictThemselvesAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> new DeskPlanSettings(
                        null, ZONE, Duration.ZERO, Duration.ofMinutes(30), Duration.ofMinutes(10), null))
                .hasMessage("save_after_idle (10m) must not be shorter than pause_after_idle (30m)");
        assertThatThrownBy(() ->
                        new DeskPlanSettings(null, ZONE, Duration.ofMinutes(-1), Duration.ZERO, Duration.ZERO, null))
                .as("as the setting is written, not PT-1M")
                .hasMessage("restore_ahead must not be negative: -1m");
        assertThatThrownBy(() -> new DeskPlanSettings(null, ZONE, Duration.ZERO, Duration.ZERO, Duration.ZERO, -1.0))
                .hasMessageContaining("overload_cpu_floor");
    }
}
