package org.cyphon.core.protocol;

import java.util.List;
import java.util.Map;

/**
 * What a user submits ({@code POST /api/v1/jobs}). Null fields take their defaults; see
 * {@link org.cyphon.core.job.JobSpecs} for defaults and limits. {@code count} > 1 creates that many
 * jobs, each with its {@code index} (0-based) in {@code CYPHON_INDEX} and substituted for
 * {@code {index}} in the command's arguments.
 *
 * @param checkpointEvery    how often the agent asks the job to write a checkpoint into
 *                           {@code CYPHON_CHECKPOINT_DIR} (a duration, e.g. {@code "30m"}); null:
 *                           never periodically, only before a vacate
 * @param checkpointExitCode the exit code that means "I wrote a checkpoint, run me again from it"
 *                           (HTCondor's {@code checkpoint_exit_code}); null: the default
 * @param requires           labels a machine must carry, with these values (e.g. {@code os=linux},
 *                           {@code gpu=nvidia}); null or empty: any machine will do
 * @param secretEnv          environment variables whose values only the job itself, its
 *                           submitter and admins may ever see: stored encrypted, shown as
 *                           {@code "•••"} in every view, never logged; null or empty: none
 */
public record JobSubmission(
        String name,
        List<String> command,
        Double cpus,
        String memory,
        String runtime,
        Integer priority,
        Map<String, String> env,
        Integer count,
        Integer maxAttempts,
        String checkpointEvery,
        Integer checkpointExitCode,
        Map<String, String> requires,
        Map<String, String> secretEnv) {

    /** A submission without secret variables (what clients before them sent). */
    public JobSubmission(
            String name,
            List<String> command,
            Double cpus,
            String memory,
            String runtime,
            Integer priority,
            Map<String, String> env,
            Integer count,
            Integer maxAttempts,
            String checkpointEvery,
            Integer checkpointExitCode,
            Map<String, String> requires) {
        this(
                name,
                command,
                cpus,
                memory,
                runtime,
                priority,
                env,
                count,
                maxAttempts,
                checkpointEvery,
                checkpointExitCode,
                requires,
                null);
    }

    /** A submission without label requirements (what clients before labels sent). */
    public JobSubmission(
            String name,
            List<String> command,
            Double cpus,
            String memory,
            String runtime,
            Integer priority,
            Map<String, String> env,
            Integer count,
            Integer maxAttempts,
            String checkpointEvery,
            Integer checkpointExitCode) {
        this(
                name,
                command,
                cpus,
                memory,
                runtime,
                priority,
                env,
                count,
                maxAttempts,
                checkpointEvery,
                checkpointExitCode,
                null,
                null);
    }

    /** A submission without checkpoint settings (what clients before checkpoints sent). */
    public JobSubmission(
            String name,
            List<String> command,
            Double cpus,
            String memory,
            String runtime,
            Integer priority,
            Map<String, String> env,
            Integer count,
            Integer maxAttempts) {
        this(name, command, cpus, memory, runtime, priority, env, count, maxAttempts, null, null, null, null);
    }

    /** Never prints the secret values: a record's own toString would, into any log that shows one. */
    @Override
    public String toString() {
        return "JobSubmission[name=" + name + ", command=" + command + ", count=" + count
                + (secretEnv == null || secretEnv.isEmpty() ? "" : ", secretEnv " + secretEnv.keySet()) + "]";
    }
}
