package org.cyphon.core.desk;

import java.time.Instant;
import java.util.List;

/**
 * What the desk's controller does now, as {@link DeskRule} decides it: the VM's target, the next
 * operation towards it, and the CPU cap and weight to set after it.
 *
 * @param target       where the VM should be; null: it is left where it is (stopped, failed,
 *                     restoring, or unreadable)
 * @param step         the next operation towards the target; null: it is there (or left alone).
 *                     One at a time: after a restore the VM is running or paused, and the rule is
 *                     asked again
 * @param squeezeFirst for {@link Step#PAUSE}: squeeze the guest's memory to {@code memory_min} and
 *                     wait for its balloon first (the keeper's own pause; an administrator's pause
 *                     stops the guest as it is)
 * @param fullMemory   the guest should have all its memory (it runs)
 * @param cpuCap       CPUs the VM is held to; null: no cap
 * @param cpuWeight    the VM's CPU weight (cgroup v2 units)
 * @param hold         the administrator's hold in force, or null
 * @param holdEnded    the hold the rule was given is over (its time has passed, or the VM it held
 *                     stopped or failed): the controller forgets it and says so
 * @param decidedBy    {@code keeper} or {@code admin}: whose word the target is
 * @param reasons      why, in sentences
 * @param reconsiderAt when to ask again with no new signal (the plan's next change, the hold's end)
 */
public record DeskMove(
        VmTarget target,
        Step step,
        boolean squeezeFirst,
        boolean fullMemory,
        Double cpuCap,
        int cpuWeight,
        AdminHold hold,
        boolean holdEnded,
        String decidedBy,
        List<String> reasons,
        Instant reconsiderAt) {

    public DeskMove {
        reasons = List.copyOf(reasons);
    }

    /** One operation on the VM. */
    public enum Step {
        /** Load the saved state (the guest comes back running or paused, as it was saved). */
        RESTORE,
        RESUME,
        PAUSE,
        SAVE
    }
}
