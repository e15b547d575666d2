package org.cyphon.coordinator.store;

import java.time.Instant;
import org.cyphon.core.job.AttemptOutcome;
import org.cyphon.core.job.Lease;

/**
 * One attempt of a job on a machine. Live while {@code leaseExpiresAt} is set; ended attempts keep
 * how they ended. Times are epoch milliseconds.
 *
 * @param reported     the outcome came from the agent's report (as opposed to a lease that ran out)
 * @param acknowledged an agent heartbeat has listed the attempt, so it certainly reached the agent
 * @param cpuSinceCheckpoint the latest CPU-seconds since its last stored checkpoint its agent
 *                           reported in a heartbeat, or null if it never did
 * @param gpus               GPUs of its machine it holds while live (its job's request)
 */
public record AttemptRow(
        long fencingToken,
        long jobId,
        int attemptNo,
        String machine,
        int cpuMillis,
        long memoryBytes,
        long startedAt,
        Long leaseExpiresAt,
        boolean acknowledged,
        Long endedAt,
        AttemptOutcome outcome,
        boolean reported,
        Integer exitCode,
        Integer signal,
        Double cpuSeconds,
        String message,
        boolean stdoutTruncated,
        boolean stderrTruncated,
        Double cpuSinceCheckpoint,
        int gpus) {

    public boolean live() {
        return leaseExpiresAt != null;
    }

    /** The lease as core models it; only for live attempts. */
    public Lease lease() {
        return new Lease(fencingToken, Instant.ofEpochMilli(leaseExpiresAt));
    }

    /** This attempt as it reads once {@code end} is written (to decide later reports in the same batch). */
    public AttemptRow endedBy(AttemptEnd end) {
        return new AttemptRow(
                fencingToken,
                jobId,
                attemptNo,
                machine,
                cpuMillis,
                memoryBytes,
                startedAt,
                null,
                acknowledged,
                end.endedAt(),
                end.outcome(),
                end.reported(),
                end.exitCode(),
                end.signal(),
                end.cpuSeconds(),
                end.message(),
                stdoutTruncated,
                stderrTruncated,
                cpuSinceCheckpoint,
                gpus);
    }

    /** A new live attempt, as the scheduler writes it. */
    public static AttemptRow started(
            long token,
            long jobId,
            int attemptNo,
            String machine,
            int cpuMillis,
            long memoryBytes,
            long now,
            long leaseExpiresAt,
            int gpus) {
        return new AttemptRow(
                token,
                jobId,
                attemptNo,
                machine,
                cpuMillis,
                memoryBytes,
                now,
                leaseExpiresAt,
                false,
                null,
                null,
                false,
                null,
                null,
                null,
                null,
                false,
                false,
                null,
                gpus);
    }
}
