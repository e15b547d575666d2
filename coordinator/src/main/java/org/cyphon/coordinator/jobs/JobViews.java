package org.cyphon.coordinator.jobs;

import java.time.Instant;
import java.util.List;
import org.cyphon.coordinator.store.AttemptRow;
import org.cyphon.coordinator.store.CheckpointRow;
import org.cyphon.coordinator.store.JobRow;
import org.cyphon.coordinator.store.JobStatus;
import org.cyphon.core.protocol.AttemptView;
import org.cyphon.core.protocol.JobView;

/** Store rows to the wire's {@link JobView} and {@link AttemptView}. */
public final class JobViews {
    private JobViews() {}

    /**
     * @param attempts   every attempt for the single-job view, null for listings
     * @param checkpoint the job's stored checkpoint (single-job view), or null
     */
    public static JobView of(JobRow r, List<AttemptRow> attempts, CheckpointRow checkpoint, long now) {
        return of(r, attempts, checkpoint, now, r.status().reason(), r.runtimeSeconds(), r.env(), null, null);
    }

    /**
     * @param reason          what to show as the job's reason (for a queued job: why it waits, when known)
     * @param expectedRuntime seconds placement expects it to run (given or learned), or null
     * @param env             the environment as its viewer may see it
     * @param secretEnv       the secret variables as its viewer may see them, or null
     * @param waitingOn       for a waiting job, the jobs it runs after that have not ended; else null
     */
    public static JobView of(
            JobRow r,
            List<AttemptRow> attempts,
            CheckpointRow checkpoint,
            long now,
            String reason,
            Long expectedRuntime,
            java.util.Map<String, String> env,
            java.util.Map<String, String> secretEnv,
            List<Long> waitingOn) {
        JobStatus s = r.status();
        Long runSeconds = null;
        if (s.startedAt() != null) {
            Long end = s.runEndedAt() != null
                    ? s.runEndedAt()
                    : s.state().hasLiveAttempt() ? Long.valueOf(now) : s.finishedAt();
            if (end != null) runSeconds = Math.max(0, (end - s.startedAt()) / 1000);
        }
        return new JobView(
                s.id(),
                s.state().wireName(),
                new JobView.Submission(
                        r.name(),
                        r.index(),
                        s.owner(),
                        r.command(),
                        env,
                        s.priority(),
                        instant(r.submittedAt()),
                        secretEnv),
                new JobView.Needs(
                        s.cpuMillis() / 1000.0,
                        s.memoryBytes(),
                        s.requires(),
                        r.runtimeSeconds(),
                        expectedRuntime,
                        s.diskBytes(),
                        r.network(),
                        s.gpus()),
                new JobView.Progress(
                        reason,
                        s.machine(),
                        s.attemptCount(),
                        s.maxAttempts(),
                        instant(s.startedAt()),
                        instant(s.finishedAt()),
                        runSeconds,
                        waitingOn),
                new JobView.Result(s.exitCode(), s.cpuSeconds(), s.lostCpuSeconds()),
                new JobView.Checkpoints(
                        r.checkpointEverySeconds(),
                        s.checkpointExitCode(),
                        checkpoint == null ? null : checkpoint.sizeBytes(),
                        checkpoint == null ? null : instant(checkpoint.storedAt())),
                attempts == null
                        ? null
                        : attempts.stream().map(JobViews::attempt).toList());
    }

    static AttemptView attempt(AttemptRow a) {
        return new AttemptView(
                a.attemptNo(),
                a.machine(),
                a.fencingToken(),
                instant(a.startedAt()),
                instant(a.endedAt()),
                a.outcome() == null ? null : a.outcome().wireName(),
                a.exitCode(),
                a.cpuSeconds(),
                a.message());
    }

    static Instant instant(Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }
}
