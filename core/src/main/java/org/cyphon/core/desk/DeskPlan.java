package org.cyphon.core.desk;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.cyphon.core.owner.Presence;
import org.cyphon.core.text.Durations;

/**
 * The desk VM's plan, "Linux by night, Windows by day" without broken jobs: pure, so the simulator
 * and the tests can replay a day on a scripted clock.
 *
 * <ul>
 *   <li>The owner present: the VM runs, with all its memory, at once (a saved VM is restored).</li>
 *   <li>Away for {@code pause_after_idle}: paused, its memory squeezed to the minimum first; its
 *       CPU goes to jobs, and it resumes in milliseconds.</li>
 *   <li>Outside desk hours, away for {@code save_after_idle}: saved to disk, all its memory free.</li>
 *   <li>{@code restore_ahead} before desk hours begin, a saved VM is brought back (paused), so the
 *       owner's morning is instant; during desk hours it is never saved.</li>
 *   <li>The track record refines desk hours ({@link OwnerOutlook}): a saved VM also comes back
 *       {@code restore_ahead} before the owner's forecast return, and during a declared absence
 *       desk hours do not hold the VM up: it is saved like at night until {@code restore_ahead}
 *       before the absence ends.</li>
 *   <li>While an overload is on, a desk that allows it holds its VM to {@code overload_cpu_floor}.</li>
 * </ul>
 * Jobs never die for this: the owner's return freezes them through the job policy, not here.
 */
public final class DeskPlan {
    /**
     * The VM's CPU weight while the owner works in it: ten times a normal group, so the owner's OS
     * wins over anything on the host that is not idle-class (the agent, updates, a job of the
     * dedicated preset). Cluster jobs are idle-class and yield to it at any weight.
     */
    public static final int OWNER_WEIGHT = 1000;
    /**
     * The VM's CPU weight while it idles unattended (background updates, indexing): a tenth of a
     * normal group, so it takes the host's spare CPU only after normal-priority work.
     */
    public static final int UNATTENDED_WEIGHT = 10;

    private DeskPlan() {}

    /**
     * @param present       someone is at the desk now (the owner-first presence)
     * @param idleFor       how long nobody has been; zero while present
     * @param overloadUntil when the pool's overload mode ends; null or past: none
     */
    public static DeskDecision decide(
            Instant now, boolean present, Duration idleFor, Instant overloadUntil, DeskPlanSettings s) {
        return decide(now, present, idleFor, overloadUntil, OwnerOutlook.UNKNOWN, s);
    }

    /** @param outlook what the desk's track record expects of the owner; {@link OwnerOutlook#UNKNOWN} for nothing */
    public static DeskDecision decide(
            Instant now,
            boolean present,
            Duration idleFor,
            Instant overloadUntil,
            OwnerOutlook outlook,
            DeskPlanSettings s) {
        List<String> reasons = new ArrayList<>();
        boolean overload = overloadUntil != null && now.isBefore(overloadUntil);
        Double cap = overload && s.overloadCpuFloor() != null ? s.overloadCpuFloor() : null;
        if (cap != null) reasons.add("overload mode until " + overloadUntil + ": the VM is held to " + cap + " CPUs");
        else if (overload) reasons.add("overload mode on, but this desk does not allow its VM to be capped");

        Instant ahead = now.plus(s.restoreAhead());
        boolean vacation = outlook.awayAt(ahead);
        boolean deskHours = !vacation && (s.hours() == null || s.hours().contains(now, s.zone()));
        boolean soon = !vacation && !deskHours && s.hours().contains(ahead, s.zone());
        // The owner's forecast return: expected before restore_ahead has passed, and not yet overdue.
        boolean expected = !vacation
                && outlook.expectedBy() != null
                && !outlook.expectedBy().isAfter(ahead)
                && now.isBefore(outlook.expectedBy().plus(s.restoreAhead()));
        if (expected && !deskHours && !soon) {
            soon = true;
            reasons.add("the owner is usually back by " + outlook.expectedBy() + " (track record)");
        }
        if (vacation)
            reasons.add("the owner is away until " + outlook.awayUntil() + " (declared): desk hours do not apply");
        Instant idleSince = now.minus(idleFor);
        List<Instant> next = new ArrayList<>();
        if (overload) next.add(overloadUntil);
        if (outlook.awayUntil() != null
                && outlook.awayUntil().minus(s.restoreAhead()).isAfter(now)) {
            next.add(outlook.awayUntil().minus(s.restoreAhead()));
        }
        if (outlook.expectedBy() != null) {
            next.add(outlook.expectedBy().minus(s.restoreAhead()));
            next.add(outlook.expectedBy().plus(s.restoreAhead()));
        }
        if (s.hours() != null) {
            for (Instant change : s.hours().nextChanges(now, s.zone(), 4)) {
                next.add(change);
                // Desk hours opening: the saved VM comes back restore_ahead before.
                Instant before = change.minus(s.restoreAhead());
                if (s.hours().contains(change, s.zone()) && before.isAfter(now)) next.add(before);
            }
        }

        VmTarget target;
        boolean fullMemory;
        if (present) {
            target = VmTarget.RUNNING;
            fullMemory = true;
            reasons.add("the owner is at the desk: the VM runs with all its memory");
        } else if (idleFor.compareTo(s.saveAfterIdle()) >= 0 && !deskHours && !soon) {
            target = VmTarget.SAVED;
            fullMemory = false;
            reasons.add("outside desk hours and " + nobodyFor(idleFor) + ": saved to disk, its memory free for jobs");
        } else if (idleFor.compareTo(s.pauseAfterIdle()) >= 0) {
            target = VmTarget.PAUSED;
            fullMemory = false;
            reasons.add(
                    soon
                            ? (expected ? "the owner is expected" : "desk hours begin") + " within "
                                    + Durations.format(s.restoreAhead()) + ": kept ready, paused"
                            : nobodyFor(idleFor) + ": paused, its CPU free for jobs");
            if (!deskHours && !soon) next.add(idleSince.plus(s.saveAfterIdle()));
        } else {
            target = VmTarget.RUNNING;
            fullMemory = true;
            reasons.add(
                    nobodyFor(idleFor) + ", less than pause_after_idle (" + Durations.format(s.pauseAfterIdle()) + ")");
            next.add(idleSince.plus(s.pauseAfterIdle()));
        }
        Instant reconsider = next.stream()
                .filter(t -> t.isAfter(now))
                .min(Instant::compareTo)
                .orElse(null);
        int weight = present ? OWNER_WEIGHT : UNATTENDED_WEIGHT;
        return new DeskDecision(target, fullMemory, cap, weight, reasons, reconsider);
    }

    /**
     * "nobody here for 40m00s"; on a desk where nobody has ever been seen (a headless machine, idle
     * {@link Presence#IDLE_FOREVER}), saying so rather than an idle time of a century.
     */
    private static String nobodyFor(Duration idleFor) {
        return idleFor.compareTo(Presence.IDLE_FOREVER) >= 0
                ? "nobody has ever been seen at this desk"
                : "nobody here for " + Durations.format(idleFor);
    }
}
