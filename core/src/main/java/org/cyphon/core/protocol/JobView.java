package org.cyphon.core.protocol;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A job as users see it ({@code GET /api/v1/jobs}, {@code GET /api/v1/jobs/{id}}).
 * {@code runSeconds} is wall time of the current or last attempt; {@code attempts} lists every
 * attempt only in the single-job view (null in listings).
 *
 * @param checkpointEverySeconds periodic checkpoint requests, null when none were asked for
 * @param checkpointExitCode     the exit code that requeues the job from its checkpoint
 * @param lostCpuSeconds         CPU time thrown away so far: what attempts that were vacated, lost
 *                               or killed without being asked had computed after their last
 *                               stored checkpoint
 * @param checkpointBytes        size of the checkpoint the coordinator holds (single-job view only;
 *                               null when it holds none)
 * @param checkpointAt           when that checkpoint was stored (single-job view only)
 * @param requires               labels a machine must carry to run it (empty: any machine)
 * @param expectedRuntimeSeconds what placement expects the job to run: the submitter's estimate,
 *                               else learned from completed jobs of the same name and owner; null
 *                               when neither is known
 *
 * <p>{@code checkpointEverySeconds} of 0 means "auto": the coordinator chooses the interval from
 * the desk's idle forecast at each assignment. For a queued job, {@code reason} says why it waits
 * when the scheduler knows (no online machine carries its required labels).
 */
public record JobView(
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
        Long expectedRuntimeSeconds) {

    /** A view without label requirements. */
    public JobView(
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
            List<AttemptView> attempts) {
        this(
                id,
                name,
                owner,
                state,
                command,
                cpus,
                memoryBytes,
                runtimeSeconds,
                priority,
                index,
                env,
                attemptCount,
                maxAttempts,
                machine,
                submittedAt,
                startedAt,
                finishedAt,
                runSeconds,
                exitCode,
                cpuSeconds,
                reason,
                checkpointEverySeconds,
                checkpointExitCode,
                lostCpuSeconds,
                checkpointBytes,
                checkpointAt,
                attempts,
                null,
                runtimeSeconds);
    }

    /** A view without checkpoint information. */
    public JobView(
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
            List<AttemptView> attempts) {
        this(
                id,
                name,
                owner,
                state,
                command,
                cpus,
                memoryBytes,
                runtimeSeconds,
                priority,
                index,
                env,
                attemptCount,
                maxAttempts,
                machine,
                submittedAt,
                startedAt,
                finishedAt,
                runSeconds,
                exitCode,
                cpuSeconds,
                reason,
                null,
                null,
                null,
                null,
                null,
                attempts);
    }
}
