package org.cyphon.core.job;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.cyphon.core.protocol.JobFiles;

/**
 * One validated job as the coordinator stores it: the command of this instance (with
 * {@code {index}} already substituted), its resource request and its scheduling hints.
 *
 * @param cpuMillis          CPUs requested, in thousandths (1.5 CPUs = 1500), so placement never adds floats
 * @param runtime            the submitter's estimate of the run time, or null when unknown
 * @param checkpointEvery    how often to ask the job for a checkpoint, or null: only before a vacate
 * @param checkpointExitCode the exit code with which the job says "checkpointed, requeue me"
 * @param requires           labels a machine must carry with these values; empty: any machine
 * @param secretEnv          variables only the job, its submitter and admins may see (the
 *                           coordinator stores their values encrypted); empty: none
 * @param files              its input files, output patterns and shared paths; {@link JobFiles#NONE}: none.
 *                           Each shared path it needs is also in {@code requires} (see
 *                           {@link org.cyphon.core.machine.SharedPaths}), so placement needs nothing else
 * @param diskBytes          how much its work directory may hold, as the submitter asked
 *                           ({@code --disk}); null: not asked, the agent's default limit applies
 *                           and placement does not look at desks' free disk
 * @param network            {@code "host"} or {@code "none"}
 * @param gpus               whole GPUs the job needs on its desk, its own devices; 0: none
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
        int checkpointExitCode,
        Map<String, String> requires,
        Map<String, String> secretEnv,
        JobFiles files,
        Long diskBytes,
        String network,
        int gpus) {

    /**
     * {@code checkpointEvery} of zero: the job can checkpoint, and the coordinator chooses how often
     * at each assignment, from the desk's idle forecast ({@code --checkpoint-every auto}).
     */
    public static final Duration CHECKPOINT_AUTO = Duration.ZERO;

    public JobSpec {
        command = List.copyOf(command);
        env = Map.copyOf(env);
        requires = requires == null ? Map.of() : Map.copyOf(requires);
        secretEnv = secretEnv == null ? Map.of() : Map.copyOf(secretEnv);
        if (files == null) files = JobFiles.NONE;
        if (network == null) network = JobSpecs.NETWORK_HOST;
        if (gpus < 0) throw new IllegalArgumentException("gpus must not be negative, got " + gpus);
    }

    public double cpus() {
        return cpuMillis / 1000.0;
    }

    /** Never prints the secret values: a record's own toString would, into any log that shows one. */
    @Override
    public String toString() {
        return "JobSpec[name=" + name + ", command=" + command + ", index=" + index
                + (secretEnv.isEmpty() ? "" : ", secretEnv " + secretEnv.keySet()) + "]";
    }
}
