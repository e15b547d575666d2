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
        boolean hasCheckpoint) {}
