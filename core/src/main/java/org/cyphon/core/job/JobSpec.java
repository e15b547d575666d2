package org.cyphon.core.job;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One validated job as the coordinator stores it: the command of this instance (with
 * {@code {index}} already substituted), its resource request and its scheduling hints.
 *
 * @param cpuMillis          CPUs requested, in thousandths (1.5 CPUs = 1500), so placement never adds floats
 * @param runtime            the submitter's estimate of the run time, or null when unknown
 * @param checkpointEvery    how often to ask the job for a checkpoint, or null: only before a vacate
 * @param checkpointExitCode the exit code with which the job says "checkpointed, requeue me"
 */
public record JobSpec(
        String name,
        List<String> command,
        int cpuMillis,
        long memoryBytes,
        Duration runtime,
        int priority,
        Map<String, String> env,
        int index,
        int maxAttempts,
        Duration checkpointEvery,
        int checkpointExitCode) {

    public JobSpec {
        command = List.copyOf(command);
        env = Map.copyOf(env);
    }

    /** A spec with no periodic checkpoints and the default checkpoint exit code. */
    public JobSpec(String name, List<String> command, int cpuMillis, long memoryBytes, Duration runtime, int priority,
                   Map<String, String> env, int index, int maxAttempts) {
        this(name, command, cpuMillis, memoryBytes, runtime, priority, env, index, maxAttempts, null,
                JobSpecs.DEFAULT_CHECKPOINT_EXIT_CODE);
    }

    public double cpus() {
        return cpuMillis / 1000.0;
    }
}
