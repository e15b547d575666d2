package org.cyphon.core.desk;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.cyphon.core.owner.Presence;
import org.cyphon.core.policy.WeeklyWindow;
import org.junit.jupiter.api.Test;

/**
 * Who wins, the keeper or the administrator: every pair of (what the keeper's plan wants, what an
 * administrator last did) with the step the rule takes, whose word it is, and the cap and weight set
 * after it. The table is the written rule of {@link DeskRule}, row by row.
 */
class DeskRuleTest {
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

    /** What the keeper wants, each under an overload (so the cap shows) at a moment that gives it. */
    private enum Keeper {
        RUNNING_OWNER_HERE("23T10:00", true, Duration.ZERO),
        RUNNING_OWNER_JUST_LEFT("23T10:05", false, Duration.ofMinutes(5)),
        PAUSED("23T12:40", false, Duration.ofMinutes(40)),
        SAVED("23T23:00", false, Duration.ofHours(4));

        final Instant now;
        final boolean present;
        final Duration idle;

        Keeper(String when, boolean present, Duration idle) {
            this.now = at(when);
            this.present = present;
            this.idle = idle;
        }

        DeskDecision plan() {
            return DeskPlan.decide(now, present, idle, now.plus(Duration.ofHours(2)), OFFICE);
        }
    }

    /** What an administrator did last: where it left the VM and what it holds. */
    private enum Admin {
        NOTHING_VM_RUNNING(VmState.RUNNING, null),
        NOTHING_VM_PAUSED(VmState.PAUSED, null),
        NOTHING_VM_SAVED(VmState.SAVED, null),
        START(VmState.RUNNING, "start"),
        RESUME(VmState.RUNNING, "resume"),
        RESTORE(VmState.RUNNING, "restore"),
        PAUSE(VmState.PAUSED, "pause"),
        SAVE(VmState.SAVED, "save"),
        STOP(VmState.STOPPED, "stop"),
        POWEROFF(VmState.STOPPED, "poweroff"),
        /** resume --for 1h, asked for an hour and a minute ago: the hold is over. */
        RESUME_FOR_AN_HOUR_THAT_PASSED(VmState.RUNNING, "resume"),
        /** A guest that crashed while held running. */
        RESUME_THEN_THE_VM_FAILED(VmState.FAILED, "resume");

        final VmState state;
        final String action;

        Admin(VmState state, String action) {
            this.state = state;
            this.action = action;
        }

        AdminHold hold(Instant now) {
            if (action == null || AdminHold.heldBy(action) == null) return null;
            if (this == RESUME_FOR_AN_HOUR_THAT_PASSED) {
                Instant since = now.minus(Duration.ofMinutes(61));
                return new AdminHold(AdminHold.heldBy(action), "alice", action, since, since.plus(Duration.ofHours(1)));
            }
            return new AdminHold(AdminHold.heldBy(action), "alice", action, now.minusSeconds(30), null);
        }
    }

    /** One row: the target, the step (or "-"), whose word, whether the hold ended. */
    private record Row(Keeper keeper, Admin admin, String target, String step, String decidedBy, boolean holdEnded) {}

    private static final List<Row> RULE = new ArrayList<>();

    private static void row(Keeper k, Admin a, String target, String step, String by) {
        RULE.add(new Row(k, a, target, step, by, false));
    }

    private static void rowEnded(Keeper k, Admin a, String target, String step, String by) {
        RULE.add(new Row(k, a, target, step, by, true));
    }

    static {
        for (Keeper k : Keeper.values()) {
            String wants = k.plan().target().name();
            // Nobody held it: the keeper's plan, from wherever the VM is.
            row(
                    k,
                    Admin.NOTHING_VM_RUNNING,
                    wants,
                    stepFrom(VmState.RUNNING, k.plan().target()),
                    "keeper");
            row(
                    k,
                    Admin.NOTHING_VM_PAUSED,
                    wants,
                    stepFrom(VmState.PAUSED, k.plan().target()),
                    "keeper");
            row(
                    k,
                    Admin.NOTHING_VM_SAVED,
                    wants,
                    stepFrom(VmState.SAVED, k.plan().target()),
                    "keeper");
            // An administrator's start, resume, restore, pause or save holds: it wins, nothing moves.
            row(k, Admin.START, "RUNNING", "-", "admin");
            row(k, Admin.RESUME, "RUNNING", "-", "admin");
            row(k, Admin.RESTORE, "RUNNING", "-", "admin");
            row(k, Admin.PAUSE, "PAUSED", "-", "admin");
            row(k, Admin.SAVE, "SAVED", "-", "admin");
            // Stopped: nobody but an administrator boots it.
            row(k, Admin.STOP, "-", "-", "keeper");
            row(k, Admin.POWEROFF, "-", "-", "keeper");
            // A hold whose time has passed: the keeper's plan again, at once.
            rowEnded(
                    k,
                    Admin.RESUME_FOR_AN_HOUR_THAT_PASSED,
                    wants,
                    stepFrom(VmState.RUNNING, k.plan().target()),
                    "keeper");
            // A failed VM: left alone, and the hold on it ends.
            rowEnded(k, Admin.RESUME_THEN_THE_VM_FAILED, "-", "-", "keeper");
        }
    }

    private static String stepFrom(VmState state, VmTarget target) {
        return switch (target) {
            case RUNNING -> state == VmState.SAVED ? "RESTORE" : state == VmState.PAUSED ? "RESUME" : "-";
            case PAUSED -> state == VmState.SAVED ? "RESTORE" : state == VmState.RUNNING ? "PAUSE" : "-";
            case SAVED -> state == VmState.SAVED ? "-" : "SAVE";
        };
    }

    @Test
    void everyPairOfKeeperPlanAndAdministratorActionHasOneAnswer() {
        assertThat(RULE).hasSize(Keeper.values().length * Admin.values().length);
        SoftAssertions soft = new SoftAssertions();
        for (Row r : RULE) {
            Instant now = r.keeper().now;
            DeskMove m = DeskRule.decide(now, r.keeper().plan(), r.admin().hold(now), r.admin().state);
            String pair = "keeper wants " + r.keeper() + ", admin did " + r.admin();
            soft.assertThat(m.target() == null ? "-" : m.target().name())
                    .as(pair + ": target")
                    .isEqualTo(r.target());
            soft.assertThat(m.step() == null ? "-" : m.step().name())
                    .as(pair + ": step")
                    .isEqualTo(r.step());
            soft.assertThat(m.decidedBy()).as(pair + ": whose word").isEqualTo(r.decidedBy());
            soft.assertThat(m.holdEnded()).as(pair + ": hold ended").isEqualTo(r.holdEnded());
            // Whoever decides the state, the overload's cap and the presence's weight are the plan's.
            soft.assertThat(m.cpuCap()).as(pair + ": cap").isEqualTo(0.5);
            soft.assertThat(m.cpuWeight())
                    .as(pair + ": weight")
                    .isEqualTo(r.keeper().plan().cpuWeight());
            soft.assertThat(m.fullMemory()).as(pair + ": full memory").isEqualTo("RUNNING".equals(r.target()));
            if ("admin".equals(r.decidedBy())) {
                soft.assertThat(m.hold()).as(pair + ": hold kept").isNotNull();
                soft.assertThat(String.join("; ", m.reasons()))
                        .as(pair + ": reasons")
                        .contains("held " + r.target().toLowerCase(java.util.Locale.ROOT) + " by alice");
            } else {
                soft.assertThat(m.hold()).as(pair + ": no hold").isNull();
            }
        }
        soft.assertAll();
    }

    @Test
    void theKeepersOwnPauseSqueezesTheGuestFirstAndAnAdministratorsHoldDoesNot() {
        Instant lunch = Keeper.PAUSED.now;
        DeskMove keeper = DeskRule.decide(lunch, Keeper.PAUSED.plan(), null, VmState.RUNNING);
        assertThat(keeper.step()).isEqualTo(DeskMove.Step.PAUSE);
        assertThat(keeper.squeezeFirst()).isTrue();

        AdminHold paused = new AdminHold(VmTarget.PAUSED, "admin", "pause", lunch.minusSeconds(5), null);
        DeskMove admin = DeskRule.decide(lunch, Keeper.RUNNING_OWNER_HERE.plan(), paused, VmState.RUNNING);
        assertThat(admin.step()).isEqualTo(DeskMove.Step.PAUSE);
        assertThat(admin.squeezeFirst()).isFalse();
    }

    @Test
    void aHoldForAStatedTimeIsReconsideredWhenItEnds() {
        Instant now = Keeper.SAVED.now;
        AdminHold hold = new AdminHold(VmTarget.RUNNING, "admin", "resume", now, now.plus(Duration.ofMinutes(20)));
        DeskMove m = DeskRule.decide(now, Keeper.SAVED.plan(), hold, VmState.RUNNING);
        assertThat(m.reconsiderAt()).isEqualTo(now.plus(Duration.ofMinutes(20)));

        DeskMove after = DeskRule.decide(now.plus(Duration.ofMinutes(20)), Keeper.SAVED.plan(), hold, VmState.RUNNING);
        assertThat(after.holdEnded()).isTrue();
        assertThat(after.step()).isEqualTo(DeskMove.Step.SAVE);
        assertThat(after.reasons().getFirst()).contains("ended");
    }

    @Test
    void whatComesNextIsSaidForTheOwner() {
        Instant lunch = at("23T12:00");
        Duration away = Duration.ofMinutes(5);
        DeskDecision plan = DeskPlan.decide(lunch, false, away, null, OFFICE);
        DeskMove running = DeskRule.decide(lunch, plan, null, VmState.RUNNING);
        DeskNext next = DeskRule.next(lunch, running, VmState.RUNNING, false, away, null, OwnerOutlook.UNKNOWN, OFFICE);
        assertThat(next.target()).isEqualTo(VmTarget.PAUSED);
        assertThat(next.at()).isEqualTo(at("23T12:05"));
        assertThat(next.words()).startsWith("paused at ").endsWith("if nobody is here by then");

        // In the evening, once paused, the next step is the save at save_after_idle.
        Instant evening = at("23T19:30");
        Duration idle = Duration.ofMinutes(12);
        DeskMove paused =
                DeskRule.decide(evening, DeskPlan.decide(evening, false, idle, null, OFFICE), null, VmState.PAUSED);
        DeskNext save = DeskRule.next(evening, paused, VmState.PAUSED, false, idle, null, OwnerOutlook.UNKNOWN, OFFICE);
        assertThat(save.target()).isEqualTo(VmTarget.SAVED);
        assertThat(save.at()).isEqualTo(at("23T19:48"));

        DeskMove here = DeskRule.decide(
                lunch, DeskPlan.decide(lunch, true, Duration.ZERO, null, OFFICE), null, VmState.RUNNING);
        assertThat(DeskRule.next(lunch, here, VmState.RUNNING, true, Duration.ZERO, null, OwnerOutlook.UNKNOWN, OFFICE)
                        .words())
                .contains("runs while you are here")
                .contains("paused 10m after you leave");

        AdminHold held = new AdminHold(VmTarget.RUNNING, "admin", "resume", lunch, null);
        DeskMove holding = DeskRule.decide(lunch, plan, held, VmState.RUNNING);
        assertThat(DeskRule.next(lunch, holding, VmState.RUNNING, false, away, null, OwnerOutlook.UNKNOWN, OFFICE)
                        .words())
                .contains("until released")
                .contains("an administrator releases it");

        assertThat(DeskRule.next(
                                lunch,
                                DeskRule.decide(lunch, plan, null, VmState.STOPPED),
                                VmState.STOPPED,
                                false,
                                away,
                                null,
                                OwnerOutlook.UNKNOWN,
                                OFFICE)
                        .target())
                .isNull();
    }

    @Test
    void aHeadlessDeskIsNotSaidToBeIdleForACentury() {
        Instant night = at("23T23:00");
        DeskDecision d = DeskPlan.decide(night, false, Presence.IDLE_FOREVER, null, OFFICE);
        assertThat(String.join("; ", d.reasons()))
                .contains("nobody has ever been seen at this desk")
                .doesNotContainPattern("\\d{3,}d");
    }
}
