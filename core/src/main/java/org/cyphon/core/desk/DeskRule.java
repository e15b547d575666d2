package org.cyphon.core.desk;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.cyphon.core.text.Durations;

/**
 * Who decides where the desk VM goes: the keeper's plan ({@link DeskPlan}: the owner, desk hours,
 * the track record, the overload) or an administrator's last action. The agent's desk controller
 * asks this rule after every signal and every action, and does only what it says, so the keeper
 * and the administrators never fight over the VM.
 *
 * <p><b>The rule.</b>
 * <ol>
 *   <li>An administrator's start, resume, restore, pause or save <em>holds</em> the VM where that
 *       action left it ({@link AdminHold}) until the administrator releases it or until the time
 *       they stated ({@code --for}). While it holds, the hold wins over every plan of the keeper,
 *       whatever the owner, the hours or the overload say: an administrator acted on this one desk
 *       on purpose, the keeper only follows timers and forecasts. The hold shows in
 *       {@code cyphon machines}, {@code cyphon desk MACHINE status} and the owner's
 *       {@code cyphon status}.</li>
 *   <li>Without a hold, the keeper's plan decides.</li>
 *   <li>Nobody but an administrator boots a stopped VM or touches a failed one: the owner's OS is
 *       started on purpose, and a dead guest stays dead for IT to look at. A hold ends when the VM
 *       it holds stops or fails (there is nothing left to hold).</li>
 *   <li>Whoever decides the state, the CPU cap (the pool's overload mode) and the CPU weight (the
 *       owner's presence) are always the plan's, and are set again after every transition: a hold
 *       keeps the VM where it is, never out of the overload's cap or at another weight.</li>
 * </ol>
 *
 * <p>Pure: the VM's state, the plan and the hold in, the next step out, one step at a time.
 */
public final class DeskRule {
    private DeskRule() {}

    /**
     * @param plan  the keeper's plan now
     * @param hold  the administrator's hold, or null
     * @param state where the VM is now
     */
    public static DeskMove decide(Instant now, DeskDecision plan, AdminHold hold, VmState state) {
        List<String> reasons = new ArrayList<>();
        boolean holdEnded = false;
        if (hold != null && hold.lapsedAt(now)) {
            reasons.add("the hold by " + hold.by() + " (" + hold.action() + ") ended at " + hold.until()
                    + ": the keeper's plan applies again");
            hold = null;
            holdEnded = true;
        }
        if (hold != null && (state == VmState.STOPPED || state == VmState.FAILED)) {
            reasons.add("the VM is " + word(state) + ": the hold by " + hold.by() + " (" + hold.action()
                    + ") has nothing left to hold and ends");
            hold = null;
            holdEnded = true;
        }
        Instant reconsider = plan.reconsiderAt();
        if (hold != null
                && hold.until() != null
                && (reconsider == null || hold.until().isBefore(reconsider))) reconsider = hold.until();

        VmTarget target;
        String decidedBy;
        switch (state) {
            case STOPPED -> {
                reasons.add("the VM is stopped: only an administrator starts it (cyphon desk MACHINE start)");
                return new DeskMove(
                        null,
                        null,
                        false,
                        false,
                        plan.cpuCap(),
                        plan.cpuWeight(),
                        null,
                        holdEnded,
                        "keeper",
                        reasons,
                        reconsider);
            }
            case FAILED -> {
                reasons.add("the VM failed: it is left as it is for an administrator (status, screenshot, start)");
                return new DeskMove(
                        null,
                        null,
                        false,
                        false,
                        plan.cpuCap(),
                        plan.cpuWeight(),
                        null,
                        holdEnded,
                        "keeper",
                        reasons,
                        reconsider);
            }
            case RESTORING, UNKNOWN -> {
                reasons.add("the VM is " + word(state) + ": nothing is done until it can be read again");
                return new DeskMove(
                        null,
                        null,
                        false,
                        false,
                        plan.cpuCap(),
                        plan.cpuWeight(),
                        hold,
                        holdEnded,
                        hold != null ? "admin" : "keeper",
                        reasons,
                        reconsider);
            }
            default -> {
                if (hold != null) {
                    target = hold.state();
                    decidedBy = "admin";
                    reasons.add(hold.describe()
                            + (plan.target() == hold.state()
                                    ? ""
                                    : ": the keeper's plan (" + word(plan.target()) + ") waits"));
                } else {
                    target = plan.target();
                    decidedBy = "keeper";
                    reasons.addAll(plan.reasons());
                }
            }
        }

        DeskMove.Step step = null;
        boolean squeeze = false;
        switch (target) {
            case RUNNING -> {
                if (state == VmState.SAVED) step = DeskMove.Step.RESTORE;
                else if (state == VmState.PAUSED) step = DeskMove.Step.RESUME;
            }
            case PAUSED -> {
                if (state == VmState.SAVED) step = DeskMove.Step.RESTORE;
                else if (state == VmState.RUNNING) {
                    step = DeskMove.Step.PAUSE;
                    // The keeper hands the memory to jobs; an administrator's pause is kept as it was.
                    squeeze = hold == null;
                }
            }
            case SAVED -> {
                if (state == VmState.RUNNING || state == VmState.PAUSED) step = DeskMove.Step.SAVE;
            }
        }
        return new DeskMove(
                target,
                step,
                squeeze,
                target == VmTarget.RUNNING,
                plan.cpuCap(),
                plan.cpuWeight(),
                hold,
                holdEnded,
                decidedBy,
                reasons,
                reconsider);
    }

    /**
     * What the controller will do next if nothing new happens: the owner stays as they are (away
     * for longer, or here), the hold runs its course.
     *
     * @param move      this moment's {@link #decide} for {@code state}
     * @param present   the owner is at the desk
     * @param idleFor   how long nobody has been
     */
    public static DeskNext next(
            Instant now,
            DeskMove move,
            VmState state,
            boolean present,
            Duration idleFor,
            Instant overloadUntil,
            OwnerOutlook outlook,
            DeskPlanSettings s) {
        if (state == VmState.STOPPED)
            return new DeskNext(null, null, "nothing: the VM is stopped, and only an administrator starts it");
        if (state == VmState.FAILED)
            return new DeskNext(null, null, "nothing: the VM failed, and waits for an administrator");
        if (state == VmState.RESTORING || state == VmState.UNKNOWN)
            return new DeskNext(null, null, "nothing until the VM can be read again");
        if (move.step() != null && move.target() != null)
            return new DeskNext(move.target(), now, "taking it to " + word(move.target()) + " now");
        AdminHold hold = move.hold();
        if (hold != null) {
            if (hold.until() == null)
                return new DeskNext(null, null, "nothing while " + hold.describe() + ": an administrator releases it");
            Duration later = Duration.between(now, hold.until());
            VmTarget then = DeskPlan.decide(
                            hold.until(),
                            present,
                            present ? Duration.ZERO : idleFor.plus(later),
                            overloadUntil,
                            outlook,
                            s)
                    .target();
            return new DeskNext(
                    then,
                    hold.until(),
                    "the hold ends at " + hold.until() + "; then the keeper takes it to " + word(then)
                            + (present || then == hold.state() ? "" : " if nobody is here by then"));
        }
        if (present) {
            return new DeskNext(
                    VmTarget.PAUSED,
                    null,
                    "it runs while you are here; paused " + Durations.asWritten(s.pauseAfterIdle())
                            + " after you leave (pause_after_idle)");
        }
        VmTarget current = move.target();
        DeskDecision d = DeskPlan.decide(now, false, idleFor, overloadUntil, outlook, s);
        // Each reconsideration instant in turn, the owner still away, until the target changes.
        for (int i = 0; i < 16 && d.reconsiderAt() != null; i++) {
            Instant at = d.reconsiderAt();
            d = DeskPlan.decide(at, false, idleFor.plus(Duration.between(now, at)), overloadUntil, outlook, s);
            if (d.target() != current) {
                return new DeskNext(
                        d.target(),
                        at,
                        word(d.target()) + " at " + at
                                + (d.target() == VmTarget.RUNNING ? "" : " if nobody is here by then"));
            }
        }
        return new DeskNext(null, null, "it stays " + word(current) + " until someone comes");
    }

    private static String word(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
