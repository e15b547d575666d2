package org.cyphon.coordinator.lifecycle;

import org.cyphon.coordinator.store.AttemptRow;
import org.cyphon.core.protocol.AttemptReport;

/**
 * How much computing an attempt threw away: the CPU-seconds it used after the state held by its
 * job's last stored checkpoint. Counted for attempts that end without their work being saved
 * (vacated, lost, killed without being asked); summed per job as {@code lost_cpu_seconds}, the
 * figure behind "jobs killed when the owner comes back lose hours of work".
 */
public final class LostCpu {
    private LostCpu() {}

    /**
     * From the agent's own report: its {@code cpuSecondsSinceCheckpoint}, or, from an agent that
     * does not track checkpoints, the attempt's whole CPU time (it cannot have saved any of it).
     */
    public static double reported(AttemptReport r) {
        Double since = r.cpuSecondsSinceCheckpoint();
        return Math.max(0, since != null ? since : r.cpuSeconds());
    }

    /**
     * For an attempt the coordinator gave up on (lease expired, machine re-enrolled), which sends no
     * report: the last {@code cpuSecondsSinceCheckpoint} its agent put in a heartbeat. When the agent
     * never gave one, the most it can have used: its requested CPUs for the wall time from its start
     * to its last renewal (lease expiry minus one lease). An attempt no heartbeat ever acknowledged
     * never ran and lost nothing.
     */
    public static double abandoned(AttemptRow a, long leaseMillis) {
        if (a.cpuSinceCheckpoint() != null) return Math.max(0, a.cpuSinceCheckpoint());
        if (!a.acknowledged() || a.leaseExpiresAt() == null) return 0;
        long wallMillis = Math.max(0, a.leaseExpiresAt() - leaseMillis - a.startedAt());
        return wallMillis / 1000.0 * a.cpuMillis() / 1000.0;
    }
}
