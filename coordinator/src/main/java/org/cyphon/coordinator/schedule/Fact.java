package org.cyphon.coordinator.schedule;

import java.util.Map;
import org.cyphon.core.job.AttemptOutcome;
import org.cyphon.core.schedule.PendingJob;

/**
 * Something that changed in the store and that the scheduler's in-memory view must learn. Told to
 * {@link SchedulingLoop#tell} only after the change is committed; applied on the scheduling thread.
 * Facts only speed things up: the view is rebuilt from the store at start and periodically, and
 * every assignment is checked against the store, so a late or repeated fact does no harm.
 */
public sealed interface Fact {
    /** A job became QUEUED (submitted, released, requeued). */
    record JobQueued(PendingJob job) implements Fact {}

    /** A job stopped being QUEUED other than by the scheduler (cancelled, held). */
    record JobLeftQueue(long jobId) implements Fact {}

    /**
     * A live attempt ended: its resources are free again, and its submitter is charged for it.
     *
     * @param outcome    how it ended; null when not known
     * @param cpuSeconds CPU time the agent measured, or null (then cpus x wall time is charged)
     * @param completed  the job completed with this attempt (its run time teaches runtimes)
     */
    record AttemptEnded(long fencingToken, AttemptOutcome outcome, Double cpuSeconds, boolean completed)
            implements Fact {
        public AttemptEnded(long fencingToken) {
            this(fencingToken, null, null, false);
        }
    }

    /**
     * A machine enrolled or beat, declaring its resources.
     *
     * @param labels        its labels now (agent's and admins'), or null when unchanged
     * @param maxJobs       its {@code max_jobs}, or null when unchanged (or never said)
     * @param diskFreeBytes what it has free for jobs' work directories, or null when unchanged
     * @param ownNetwork    whether it can give a {@code --network none} job a network of its own,
     *                      or null when unchanged
     * @param gpus          how many GPUs it has (free or not)
     * @param gpuAccepting  its policy lets new GPU work start (the owner's GPU use, gpu_when_present)
     */
    record MachineSeen(
            String name,
            int cpuMillis,
            long memoryBytes,
            long at,
            boolean accepting,
            Map<String, String> labels,
            Integer maxJobs,
            Long diskFreeBytes,
            Boolean ownNetwork,
            int gpus,
            boolean gpuAccepting)
            implements Fact {
        public MachineSeen(String name, int cpuMillis, long memoryBytes, long at, boolean accepting) {
            this(name, cpuMillis, memoryBytes, at, accepting, null, null, null, null, 0, accepting);
        }

        public MachineSeen(
                String name, int cpuMillis, long memoryBytes, long at, boolean accepting, Map<String, String> labels) {
            this(name, cpuMillis, memoryBytes, at, accepting, labels, null, null, null, 0, accepting);
        }
    }

    /** {@code drained}: takes no new work (drained by an admin, or waiting for approval). */
    record MachineDrained(String name, boolean drained) implements Fact {}

    /** The machine's agent put it to sleep: it takes no work until it is heard from again. */
    record MachineAsleep(String name) implements Fact {}

    /** An admin forgot the machine: it is no longer part of the pool. */
    record MachineForgotten(String name) implements Fact {}

    /** An admin changed a machine's labels: these are all it carries now. */
    record MachineLabelled(String name, Map<String, String> labels) implements Fact {}
}
