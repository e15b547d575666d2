package org.cyphon.coordinator.schedule;

import java.time.Duration;
import org.cyphon.coordinator.secrets.SecretsKey;
import org.cyphon.coordinator.store.AttemptRow;
import org.cyphon.coordinator.store.JobRow;
import org.cyphon.core.protocol.JobFiles;
import org.cyphon.core.protocol.WorkAssignment;
import org.cyphon.core.protocol.WorkFiles;

/** What an agent is handed to start an attempt. */
public final class WorkAssignments {
    /**
     * The interval an "auto" job is asked to checkpoint at when no forecast chose one (a redelivered
     * assignment, a desk without a profile yet): often enough that an owner's return costs little.
     */
    public static final Duration AUTO_CHECKPOINT_DEFAULT = Duration.ofMinutes(30);

    private WorkAssignments() {}

    /** @param hasCheckpoint the coordinator holds a checkpoint of the job, to restore before the attempt starts */
    public static WorkAssignment of(JobRow job, AttemptRow attempt, boolean hasCheckpoint) {
        return of(job, attempt, hasCheckpoint, null);
    }

    /**
     * @param autoEvery for a job that left its checkpoint interval to Cyphon, the interval chosen
     *                  for this machine; null: {@link #AUTO_CHECKPOINT_DEFAULT}
     */
    public static WorkAssignment of(JobRow job, AttemptRow attempt, boolean hasCheckpoint, Duration autoEvery) {
        Long every = job.checkpointEverySeconds();
        if (isAuto(job)) every = (autoEvery == null ? AUTO_CHECKPOINT_DEFAULT : autoEvery).toSeconds();
        return new WorkAssignment(
                job.status().id(),
                attempt.attemptNo(),
                attempt.fencingToken(),
                job.name(),
                job.status().owner(),
                job.command(),
                job.env(),
                job.index(),
                attempt.cpuMillis() / 1000.0,
                attempt.memoryBytes(),
                job.runtimeSeconds(),
                every,
                job.status().checkpointExitCode(),
                hasCheckpoint,
                // Sealed while the assignment waits in a mailbox; opened only as it is sent (opened()).
                job.sealedSecretEnv().isEmpty() ? null : job.sealedSecretEnv(),
                // Null when the job asked no --disk: the agent applies its default limit.
                job.diskBytes(),
                job.network(),
                files(job, hasCheckpoint),
                job.status().gpus() == 0 ? null : job.status().gpus());
    }

    /**
     * The job's files for one attempt, or null when it has none. The output limit is the
     * coordinator's and is added as the assignment is sent ({@code withFiles}); an attempt that
     * resumes from a checkpoint gets the outputs stored before back too.
     */
    static WorkFiles files(JobRow job, boolean hasCheckpoint) {
        JobFiles f = job.files();
        if (f.isEmpty()) return null;
        return new WorkFiles(
                f.inputs(),
                f.outputs(),
                f.needsPaths(),
                0,
                hasCheckpoint && !f.outputs().isEmpty());
    }

    /** {@code w} with the coordinator's {@code jobs.max_output_bytes}, as its agent receives it. */
    public static WorkAssignment withOutputLimit(WorkAssignment w, long maxOutputBytes) {
        WorkFiles f = w.files();
        if (f == null) return w;
        return w.withFiles(new WorkFiles(f.inputs(), f.outputs(), f.needsPaths(), maxOutputBytes, f.restoreOutputs()));
    }

    /**
     * {@code w} as its agent receives it: the secret values, sealed until now, opened.
     *
     * @throws SecretsKey.Unreadable when they do not open with this coordinator's key
     */
    public static WorkAssignment opened(WorkAssignment w, SecretsKey secrets) throws SecretsKey.Unreadable {
        if (w.secretEnv() == null || w.secretEnv().isEmpty()) return w;
        return w.withSecretEnv(secrets.openAll(w.jobId(), w.secretEnv()));
    }

    /** The job can checkpoint and left the interval to Cyphon (stored as 0 seconds). */
    static boolean isAuto(JobRow job) {
        return job.checkpointEverySeconds() != null && job.checkpointEverySeconds() == 0;
    }

    /** The job can be asked for a checkpoint (it declared an interval, or "auto"), so a vacate loses nothing. */
    static boolean checkpointable(JobRow job) {
        return job.checkpointEverySeconds() != null;
    }
}
