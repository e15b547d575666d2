package org.cyphon.core.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A job as users see it ({@code GET /api/v1/jobs}, {@code GET /api/v1/jobs/{id}}): its state, and
 * its facts in groups that say what they are about. On the wire it is one flat object, as
 * {@code docs/api.md} lists it ({@link Wire}); the groups are for the Java side only.
 *
 * @param state    the job's {@code JobState}, by its wire name (a string, so a client reads a newer
 *                 coordinator's states too)
 * @param attempts every attempt, only in the single-job view (null in listings)
 */
public record JobView(
        long id,
        String state,
        Submission submission,
        Needs needs,
        Progress progress,
        Result result,
        Checkpoints checkpoints,
        List<AttemptView> attempts) {

    /**
     * What was submitted, by whom and when.
     *
     * @param index     the job's index in its array (0 for a single job)
     * @param env       its variables; a viewer the coordinator's privacy setting keeps out of the
     *                  job sees each value as {@link #HIDDEN}
     * @param secretEnv the names of its secret variables, every value {@link #HIDDEN}, for every
     *                  viewer (null or empty: none)
     */
    public record Submission(
            String name,
            int index,
            String owner,
            List<String> command,
            Map<String, String> env,
            int priority,
            Instant submittedAt,
            Map<String, String> secretEnv) {

        /** A submission without secret variables. */
        public Submission(
                String name,
                int index,
                String owner,
                List<String> command,
                Map<String, String> env,
                int priority,
                Instant submittedAt) {
            this(name, index, owner, command, env, priority, submittedAt, null);
        }
    }

    /** What a view shows instead of a value its viewer may not see. */
    public static final String HIDDEN = "•••";

    /**
     * What the job needs of a machine.
     *
     * @param requires               labels a machine must carry to run it (empty: any machine)
     * @param runtimeSeconds         the submitter's estimate; null when none was given
     * @param expectedRuntimeSeconds what placement expects the job to run: the submitter's estimate,
     *                               else learned from completed jobs of the same name and owner;
     *                               null when neither is known
     * @param diskBytes              how much its work directory may hold ({@code --disk}); null
     *                               when it asked nothing (the desks' default limit applies)
     * @param network                {@code "host"} or {@code "none"}; null from a coordinator
     *                               that predates it (host)
     * @param gpus                   whole GPUs it needs on its desk; 0: none
     */
    public record Needs(
            double cpus,
            long memoryBytes,
            Map<String, String> requires,
            Long runtimeSeconds,
            Long expectedRuntimeSeconds,
            Long diskBytes,
            String network,
            int gpus) {

        /** Needs without a disk or network request or GPUs. */
        public Needs(
                double cpus,
                long memoryBytes,
                Map<String, String> requires,
                Long runtimeSeconds,
                Long expectedRuntimeSeconds) {
            this(cpus, memoryBytes, requires, runtimeSeconds, expectedRuntimeSeconds, null, null, 0);
        }
    }

    /**
     * Where the job is in its life.
     *
     * @param reason     why it is in its state; for a queued job, why it waits when the scheduler
     *                   knows (no online machine carries its required labels)
     * @param machine    where the current or last attempt runs or ran
     * @param runSeconds wall time of the current or last attempt
     * @param waitingOn  for a waiting job, the jobs it runs after that have not ended yet; else null
     */
    public record Progress(
            String reason,
            String machine,
            int attemptCount,
            int maxAttempts,
            Instant startedAt,
            Instant finishedAt,
            Long runSeconds,
            List<Long> waitingOn) {
        /** Progress of a job that waits on nothing. */
        public Progress(
                String reason,
                String machine,
                int attemptCount,
                int maxAttempts,
                Instant startedAt,
                Instant finishedAt,
                Long runSeconds) {
            this(reason, machine, attemptCount, maxAttempts, startedAt, finishedAt, runSeconds, null);
        }
    }

    /**
     * What its attempts did.
     *
     * @param lostCpuSeconds CPU time thrown away so far: what attempts that were vacated, lost or
     *                       killed without being asked had computed after their last stored
     *                       checkpoint
     */
    public record Result(Integer exitCode, Double cpuSeconds, Double lostCpuSeconds) {}

    /**
     * The job's checkpoints: what it asked for, and the one the coordinator holds.
     *
     * @param everySeconds periodic checkpoint requests, null when none were asked for; 0 means
     *                     "auto": the coordinator chooses the interval from the desk's idle
     *                     forecast at each assignment
     * @param exitCode     the exit code that requeues the job from its checkpoint
     * @param storedBytes  size of the checkpoint the coordinator holds (single-job view only; null
     *                     when it holds none)
     * @param storedAt     when that checkpoint was stored (single-job view only)
     */
    public record Checkpoints(Long everySeconds, Integer exitCode, Long storedBytes, Instant storedAt) {}

    /**
     * The JSON form: one flat object whose keys are these components, in this order, null ones left
     * out (the form {@code docs/api.md} documents and every client already reads).
     */
    private record Wire(
            long id,
            String name,
            String owner,
            String state,
            List<String> command,
            double cpus,
            long memoryBytes,
            Long runtimeSeconds,
            int priority,
            int index,
            Map<String, String> env,
            int attemptCount,
            int maxAttempts,
            String machine,
            Instant submittedAt,
            Instant startedAt,
            Instant finishedAt,
            Long runSeconds,
            Integer exitCode,
            Double cpuSeconds,
            String reason,
            Long checkpointEverySeconds,
            Integer checkpointExitCode,
            Double lostCpuSeconds,
            Long checkpointBytes,
            Instant checkpointAt,
            List<AttemptView> attempts,
            Map<String, String> requires,
            Long expectedRuntimeSeconds,
            Map<String, String> secretEnv,
            List<Long> waitingOn,
            Long diskBytes,
            String network,
            Integer gpus) {}

    @JsonValue
    private Wire wire() {
        return new Wire(
                id,
                submission.name(),
                submission.owner(),
                state,
                submission.command(),
                needs.cpus(),
                needs.memoryBytes(),
                needs.runtimeSeconds(),
                submission.priority(),
                submission.index(),
                submission.env(),
                progress.attemptCount(),
                progress.maxAttempts(),
                progress.machine(),
                submission.submittedAt(),
                progress.startedAt(),
                progress.finishedAt(),
                progress.runSeconds(),
                result.exitCode(),
                result.cpuSeconds(),
                progress.reason(),
                checkpoints.everySeconds(),
                checkpoints.exitCode(),
                result.lostCpuSeconds(),
                checkpoints.storedBytes(),
                checkpoints.storedAt(),
                attempts,
                needs.requires(),
                needs.expectedRuntimeSeconds(),
                submission.secretEnv() == null || submission.secretEnv().isEmpty() ? null : submission.secretEnv(),
                progress.waitingOn(),
                needs.diskBytes(),
                needs.network(),
                needs.gpus() == 0 ? null : needs.gpus());
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    private static JobView fromWire(Wire w) {
        return new JobView(
                w.id(),
                w.state(),
                new Submission(
                        w.name(),
                        w.index(),
                        w.owner(),
                        w.command(),
                        w.env(),
                        w.priority(),
                        w.submittedAt(),
                        w.secretEnv()),
                new Needs(
                        w.cpus(),
                        w.memoryBytes(),
                        w.requires(),
                        w.runtimeSeconds(),
                        w.expectedRuntimeSeconds(),
                        w.diskBytes(),
                        w.network(),
                        w.gpus() == null ? 0 : w.gpus()),
                new Progress(
                        w.reason(),
                        w.machine(),
                        w.attemptCount(),
                        w.maxAttempts(),
                        w.startedAt(),
                        w.finishedAt(),
                        w.runSeconds(),
                        w.waitingOn()),
                new Result(w.exitCode(), w.cpuSeconds(), w.lostCpuSeconds()),
                new Checkpoints(
                        w.checkpointEverySeconds(), w.checkpointExitCode(), w.checkpointBytes(), w.checkpointAt()),
                w.attempts());
    }
}
