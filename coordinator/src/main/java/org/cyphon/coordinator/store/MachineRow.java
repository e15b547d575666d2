package org.cyphon.coordinator.store;

import java.util.Map;
import org.cyphon.core.machine.Labels;

/**
 * A machine as enrolled and last heard from. Times are epoch milliseconds.
 *
 * @param criu whether CRIU works there ("available" or "unavailable: WHY"), null if never said
 * @param agentLabels what its agent last said it is (os, arch, gpu, agent.toml's [labels])
 * @param adminLabels what admins set; these override the agent's
 * @param pending     joined while {@code join.approve} is on and not approved yet: takes no work
 * @param measured    what its agent measured at enrollment (JSON {@code MeasuredResources}); null: nothing sent
 * @param joinedWith  the join secret it enrolled with, or {@code enroll.token}; null before version 8
 * @param rotateCredential an admin asked for its credential to be rotated at its next heartbeat
 * @param maxJobs       most jobs its agent runs at once ({@code sandbox.max_jobs}); null: not said
 * @param diskFreeBytes what its agent last said is free for jobs' work directories; null: not said
 * @param wallsJson     the walls its agent builds around jobs (JSON list of {@code WallView}); null: not said
 * @param asleepSince when its agent said it went to sleep; null while awake
 * @param sleepHow    how it last slept (suspend, hibernate); null if it never did
 * @param nics        the network cards it reported when it last went to sleep (JSON list of NicView); null: never
 * @param wakeSentAt  the last magic packet sent to it; null if none
 * @param wakeSentBy  who sent it (an admin, or {@code coordinator})
 * @param gpus        its GPUs as its agent last reported them (empty: none)
 */
public record MachineRow(
        String name,
        int cpuMillis,
        long memoryBytes,
        String sandbox,
        String sandboxNote,
        String agentVersion,
        boolean drained,
        long enrolledAt,
        Long lastHeartbeat,
        String criu,
        Map<String, String> agentLabels,
        Map<String, String> adminLabels,
        boolean pending,
        String measured,
        String joinedWith,
        boolean rotateCredential,
        Integer maxJobs,
        Long diskFreeBytes,
        String wallsJson,
        Long asleepSince,
        String sleepHow,
        String nics,
        Long wakeSentAt,
        String wakeSentBy,
        java.util.List<org.cyphon.core.protocol.GpuView> gpus) {

    public MachineRow {
        agentLabels = agentLabels == null ? Map.of() : agentLabels;
        adminLabels = adminLabels == null ? Map.of() : adminLabels;
        gpus = gpus == null ? java.util.List.of() : gpus;
    }

    /** The labels jobs can require of it. */
    public Map<String, String> labels() {
        return Labels.merge(agentLabels, adminLabels);
    }

    /** Its agent said it went to sleep and has not been heard from since. */
    public boolean asleep() {
        return asleepSince != null;
    }

    /** Takes no new work: drained by an admin, or waiting for one's approval. */
    public boolean closed() {
        return drained || pending;
    }

    /** The last time the machine's agent spoke to us (enrolling counts). */
    public long lastContact() {
        return lastHeartbeat == null ? enrolledAt : Math.max(enrolledAt, lastHeartbeat);
    }
}
