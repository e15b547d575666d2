package org.cyphon.core.schedule;

import java.time.Duration;

/**
 * An attempt already running, as placement sees it when deciding whether a higher-priority job may
 * take its place (only through checkpoint-and-vacate).
 *
 * @param checkpointable whether the job can save its work when asked, so a vacate loses nothing
 * @param sinceCheckpoint work done since the last checkpoint: what a vacate would lose
 * @param diskBytes       the disk its job's {@code --disk} reserves on its desk (0: none)
 * @param gpus            GPUs it holds, free again once it leaves
 */
public record RunningAttempt(
        long jobId,
        long fencingToken,
        String machine,
        String owner,
        int priority,
        int cpuMillis,
        long memoryBytes,
        boolean checkpointable,
        Duration sinceCheckpoint,
        long diskBytes,
        int gpus) {

    /** An attempt whose job reserves no disk and holds no GPU. */
    public RunningAttempt(
            long jobId,
            long fencingToken,
            String machine,
            String owner,
            int priority,
            int cpuMillis,
            long memoryBytes,
            boolean checkpointable,
            Duration sinceCheckpoint) {
        this(
                jobId,
                fencingToken,
                machine,
                owner,
                priority,
                cpuMillis,
                memoryBytes,
                checkpointable,
                sinceCheckpoint,
                0,
                0);
    }
}
