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
 * @param after              the jobs these jobs run after ({@code --after}, {@code --after-any});
 *                           null: none
 * @param files              the files the jobs come with and leave behind ({@code --input},
 *                           {@code --output}, {@code --needs-path}); null: none
 * @param disk               how much its work directory may hold ({@code --disk}, a size such as
 *                           {@code "50M"}): the agent stops the job past it, and placement sends
 *                           it only to desks with that much disk free; null: the default limit
 *                           (10G) and no placement condition
 * @param network            {@code "host"} (the desk's network) or {@code "none"} (only a
 *                           loopback interface of its own); null: host
 * @param gpus               whole GPUs each job needs ({@code --gpus}); it runs only on a desk with
 *                           that many free, on devices of its own; null or 0: none
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
        Map<String, String> secretEnv,
        After after,
        JobFiles files,
        String disk,
        String network,
        Integer gpus) {

    /** A copy with these files. */
    public JobSubmission withFiles(JobFiles jobFiles) {
        return new JobSubmission(
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
                secretEnv,
                after,
                jobFiles,
                disk,
                network,
                gpus);
    }

    /**
     * Jobs to run after. Until every one has ended the jobs wait (state {@code waiting}) and the
     * scheduler does not see them; when one ends otherwise than required, they are held.
     *
     * @param ok  jobs that must complete with exit code 0 ({@code --after}); null: none
     * @param any jobs that must end, however ({@code --after-any}); null: none
     */
    public record After(List<Long> ok, List<Long> any) {
        public static final After NONE = new After(List.of(), List.of());

        public After {
            // Copied keeping nulls, so validation can name a null id instead of a bare parse failure.
            ok = ok == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(ok));
            any = any == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(any));
        }

        @com.fasterxml.jackson.annotation.JsonIgnore
        public boolean isEmpty() {
            return ok.isEmpty() && any.isEmpty();
        }
    }

    /** A submission without a disk or network request (what clients before them sent). */
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
            Map<String, String> requires,
            Map<String, String> secretEnv,
            After after) {
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
                secretEnv,
                after,
                null,
                null,
                null,
                null);
    }

    /** A submission with secret variables and no dependencies (what clients before dependencies sent). */
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
            Map<String, String> requires,
            Map<String, String> secretEnv) {
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
                secretEnv,
                null);
    }

    /** A submission with dependencies and no secret variables. */
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
            Map<String, String> requires,
            After after) {
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
                null,
                after);
    }

    /** A submission without secret variables or dependencies (what clients before them sent). */
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
                null,
                null);
    }

    /** A copy with this {@code maxAttempts} (the coordinator's default filled in), every other field kept. */
    public JobSubmission withMaxAttempts(Integer attempts) {
        return new JobSubmission(
                name,
                command,
                cpus,
                memory,
                runtime,
                priority,
                env,
                count,
                attempts,
                checkpointEvery,
                checkpointExitCode,
                requires,
                secretEnv,
                after,
                files,
                disk,
                network,
                gpus);
    }

    /** A copy with these dependencies. */
    public JobSubmission withAfter(After dependencies) {
        return new JobSubmission(
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
                secretEnv,
                dependencies,
                files,
                disk,
                network,
                gpus);
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
        this(name, command, cpus, memory, runtime, priority, env, count, maxAttempts, null, null, null, null, null);
    }

    /** Never prints the secret values: a record's own toString would, into any log that shows one. */
    @Override
    public String toString() {
        return "JobSubmission[name=" + name + ", command=" + command + ", count=" + count
                + (secretEnv == null || secretEnv.isEmpty() ? "" : ", secretEnv " + secretEnv.keySet())
                + (after == null || after.isEmpty() ? "" : ", after " + after)
                + (files == null || files.isEmpty() ? "" : ", " + files.inputs().size() + " inputs")
                + (disk == null ? "" : ", disk " + disk)
                + (network == null ? "" : ", network " + network)
                + (gpus == null || gpus == 0 ? "" : ", gpus " + gpus) + "]";
    }
}
