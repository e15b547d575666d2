package org.cyphon.core.protocol;

import java.util.List;
import java.util.Map;

/**
 * One attempt to start, as handed to an agent by {@code GET /api/v1/agents/{machine}/work}.
 *
 * @param checkpointEverySeconds ask the job for a checkpoint this often (null: only before a vacate)
 * @param checkpointExitCode     the job's "checkpointed, requeue me" exit code (null from a
 *                               coordinator that predates checkpoints)
 * @param hasCheckpoint          the coordinator holds a checkpoint of this job: fetch it
 *                               ({@code GET .../attempts/{token}/checkpoint}) and restore it into
 *                               {@code CYPHON_CHECKPOINT_DIR} before starting the job
 * @param secretEnv              the job's secret variables, in clear for this one agent to put in
 *                               the job's environment: never to be logged nor written to disk;
 *                               null from a coordinator that predates them
 * @param diskBytes              the job's {@code --disk}: how much its work directory may hold
 *                               (null from a coordinator that predates it: the agent's default)
 * @param network                {@code "host"} or {@code "none"} (null: host)
 * @param files                  its input files, output patterns and shared paths; null: none
 * @param gpus                   whole GPUs the agent assigns the job (its own devices; null or 0:
 *                               none, and the job may open no GPU)
 */
public record WorkAssignment(
        long jobId,
        int attempt,
        long fencingToken,
        String name,
        String owner,
        List<String> command,
        Map<String, String> env,
        int index,
        double cpus,
        long memoryBytes,
        Long runtimeSeconds,
        Long checkpointEverySeconds,
        Integer checkpointExitCode,
        boolean hasCheckpoint,
        Map<String, String> secretEnv,
        Long diskBytes,
        String network,
        WorkFiles files,
        Integer gpus) {

    /** This assignment with other secret variables (sealed or opened). */
    public WorkAssignment withSecretEnv(Map<String, String> otherSecretEnv) {
        return with(otherSecretEnv, files);
    }

    /** This assignment with other files (the coordinator adds its output limit as it sends one). */
    public WorkAssignment withFiles(WorkFiles otherFiles) {
        return with(secretEnv, otherFiles);
    }

    /** The two parts the coordinator changes as it sends an assignment; every other field kept. */
    private WorkAssignment with(Map<String, String> otherSecretEnv, WorkFiles otherFiles) {
        return new WorkAssignment(
                jobId,
                attempt,
                fencingToken,
                name,
                owner,
                command,
                env,
                index,
                cpus,
                memoryBytes,
                runtimeSeconds,
                checkpointEverySeconds,
                checkpointExitCode,
                hasCheckpoint,
                otherSecretEnv,
                diskBytes,
                network,
                otherFiles,
                gpus);
    }

    /** How many GPUs the job gets: 0 when none were asked for. */
    public int gpuCount() {
        return gpus == null ? 0 : gpus;
    }

    /** Never prints the secret values: a record's own toString would, into any log that shows one. */
    @Override
    public String toString() {
        return "WorkAssignment[job " + jobId + " attempt " + attempt + " token " + fencingToken + ", " + name
                + (secretEnv == null || secretEnv.isEmpty() ? "" : ", secretEnv " + secretEnv.keySet()) + "]";
    }
}
