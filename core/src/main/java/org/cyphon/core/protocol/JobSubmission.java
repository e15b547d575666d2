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

    /** A submission of this command with every other field left to its default (null). */
    public static JobSubmission of(List<String> command) {
        return builder().command(command).build();
    }

    /** A submission built field by field; every field not set stays null (its default). */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this submission's fields, to change some of them. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.name = name;
        b.command = command;
        b.cpus = cpus;
        b.memory = memory;
        b.runtime = runtime;
        b.priority = priority;
        b.env = env;
        b.count = count;
        b.maxAttempts = maxAttempts;
        b.checkpointEvery = checkpointEvery;
        b.checkpointExitCode = checkpointExitCode;
        b.requires = requires;
        b.secretEnv = secretEnv;
        b.after = after;
        b.files = files;
        b.disk = disk;
        b.network = network;
        b.gpus = gpus;
        return b;
    }

    /** A copy with these files. */
    public JobSubmission withFiles(JobFiles jobFiles) {
        return toBuilder().files(jobFiles).build();
    }

    /** A copy with this {@code maxAttempts} (the coordinator's default filled in), every other field kept. */
    public JobSubmission withMaxAttempts(Integer attempts) {
        return toBuilder().maxAttempts(attempts).build();
    }

    /** A copy with these dependencies. */
    public JobSubmission withAfter(After dependencies) {
        return toBuilder().after(dependencies).build();
    }

    /**
     * Names the fields a submission sets, instead of a constructor call of 18 mostly-null
     * positional arguments. Not used by Jackson: the wire format is the record's components.
     */
    public static final class Builder {
        private String name;
        private List<String> command;
        private Double cpus;
        private String memory;
        private String runtime;
        private Integer priority;
        private Map<String, String> env;
        private Integer count;
        private Integer maxAttempts;
        private String checkpointEvery;
        private Integer checkpointExitCode;
        private Map<String, String> requires;
        private Map<String, String> secretEnv;
        private After after;
        private JobFiles files;
        private String disk;
        private String network;
        private Integer gpus;

        private Builder() {}

        public Builder name(String value) {
            name = value;
            return this;
        }

        public Builder command(List<String> value) {
            command = value;
            return this;
        }

        public Builder cpus(Double value) {
            cpus = value;
            return this;
        }

        public Builder memory(String value) {
            memory = value;
            return this;
        }

        public Builder runtime(String value) {
            runtime = value;
            return this;
        }

        public Builder priority(Integer value) {
            priority = value;
            return this;
        }

        public Builder env(Map<String, String> value) {
            env = value;
            return this;
        }

        public Builder count(Integer value) {
            count = value;
            return this;
        }

        public Builder maxAttempts(Integer value) {
            maxAttempts = value;
            return this;
        }

        public Builder checkpointEvery(String value) {
            checkpointEvery = value;
            return this;
        }

        public Builder checkpointExitCode(Integer value) {
            checkpointExitCode = value;
            return this;
        }

        public Builder requires(Map<String, String> value) {
            requires = value;
            return this;
        }

        public Builder secretEnv(Map<String, String> value) {
            secretEnv = value;
            return this;
        }

        public Builder after(After value) {
            after = value;
            return this;
        }

        public Builder files(JobFiles value) {
            files = value;
            return this;
        }

        public Builder disk(String value) {
            disk = value;
            return this;
        }

        public Builder network(String value) {
            network = value;
            return this;
        }

        public Builder gpus(Integer value) {
            gpus = value;
            return this;
        }

        public JobSubmission build() {
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
                    files,
                    disk,
                    network,
                    gpus);
        }
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
