package org.cyphon.coordinator.store;

import java.time.Duration;
import java.util.Map;
import org.cyphon.core.job.JobState;
import org.cyphon.core.schedule.PendingJob;

/**
 * The changing part of a job row, plus what placement and permission checks need. Writers read it,
 * derive the next one through core's state machine, and write it back compare-and-set on
 * {@code version} (the version read; the store bumps it).
 *
 * <p>Times are epoch milliseconds.
 *
 * @param checkpointExitCode the exit code with which the job says "checkpointed, requeue me"
 * @param lostCpuSeconds     CPU time its attempts computed past their last stored checkpoint and
 *                           then lost (vacated, lease expired, killed without being asked)
 * @param name               the job's name (with the owner, what runtimes are learned under)
 * @param runtimeSeconds     the submitter's runtime estimate, or null
 * @param requires           labels a machine must carry to run it; empty: any
 * @param diskBytes          its {@code --disk}: what its work directory may hold, and the free disk
 *                           a desk must have for it; null: not asked
 * @param network            {@code "host"} or {@code "none"} (a desk must be able to give it a
 *                           network namespace of its own)
 * @param gpus               whole GPUs it needs on its desk; 0: none
 */
public record JobStatus(
        long id,
        String owner,
        JobState state,
        int version,
        int priority,
        int cpuMillis,
        long memoryBytes,
        int maxAttempts,
        int attemptCount,
        int lostCount,
        Long currentToken,
        String machine,
        Long queuedAt,
        Long startedAt,
        Long runEndedAt,
        Long finishedAt,
        Integer exitCode,
        Double cpuSeconds,
        String reason,
        int checkpointExitCode,
        double lostCpuSeconds,
        String name,
        Long runtimeSeconds,
        Map<String, String> requires,
        Long diskBytes,
        String network,
        int gpus) {

    public JobStatus {
        requires = requires == null ? Map.of() : requires;
        if (network == null) network = org.cyphon.core.job.JobSpecs.NETWORK_HOST;
    }

    /** The job as placement sees it; the scheduler adds learned runtimes and checkpointed progress. */
    public PendingJob pending() {
        return pending(
                id, owner, priority, cpuMillis, memoryBytes, name, requires, runtimeSeconds, diskBytes, network, gpus);
    }

    /**
     * A job as placement sees it, from its stored columns (nullable as stored), for readers that do
     * not need the whole status ({@link QueuedJobs}).
     */
    static PendingJob pending(
            long id,
            String owner,
            int priority,
            int cpuMillis,
            long memoryBytes,
            String name,
            Map<String, String> requires,
            Long runtimeSeconds,
            Long diskBytes,
            String network,
            int gpus) {
        return new PendingJob(
                id,
                owner,
                priority,
                cpuMillis,
                memoryBytes,
                name,
                requires,
                runtimeSeconds == null ? null : Duration.ofSeconds(runtimeSeconds),
                Duration.ZERO,
                diskBytes == null ? 0 : diskBytes,
                org.cyphon.core.job.JobSpecs.NETWORK_NONE.equals(network),
                gpus);
    }

    public Change change() {
        return new Change(this);
    }

    /** Copy-and-modify, so state changes read as the list of columns they touch. */
    public static final class Change {
        private final JobStatus from;
        private JobState state;
        private int attemptCount;
        private int lostCount;
        private Long currentToken;
        private String machine;
        private Long queuedAt;
        private Long startedAt;
        private Long runEndedAt;
        private Long finishedAt;
        private Integer exitCode;
        private Double cpuSeconds;
        private String reason;
        private double lostCpuSeconds;

        private Change(JobStatus j) {
            from = j;
            state = j.state;
            attemptCount = j.attemptCount;
            lostCount = j.lostCount;
            currentToken = j.currentToken;
            machine = j.machine;
            queuedAt = j.queuedAt;
            startedAt = j.startedAt;
            runEndedAt = j.runEndedAt;
            finishedAt = j.finishedAt;
            exitCode = j.exitCode;
            cpuSeconds = j.cpuSeconds;
            reason = j.reason;
            lostCpuSeconds = j.lostCpuSeconds;
        }

        public Change state(JobState v) {
            state = v;
            return this;
        }

        public Change attemptCount(int v) {
            attemptCount = v;
            return this;
        }

        public Change lostCount(int v) {
            lostCount = v;
            return this;
        }

        public Change currentToken(Long v) {
            currentToken = v;
            return this;
        }

        public Change machine(String v) {
            machine = v;
            return this;
        }

        public Change queuedAt(Long v) {
            queuedAt = v;
            return this;
        }

        public Change startedAt(Long v) {
            startedAt = v;
            return this;
        }

        public Change runEndedAt(Long v) {
            runEndedAt = v;
            return this;
        }

        public Change finishedAt(Long v) {
            finishedAt = v;
            return this;
        }

        public Change exitCode(Integer v) {
            exitCode = v;
            return this;
        }

        public Change cpuSeconds(Double v) {
            cpuSeconds = v;
            return this;
        }

        public Change reason(String v) {
            reason = v;
            return this;
        }
        /** Adds CPU time an attempt computed and lost (negative or non-finite amounts are ignored). */
        public Change addLostCpu(double seconds) {
            if (Double.isFinite(seconds) && seconds > 0) lostCpuSeconds += seconds;
            return this;
        }

        public JobStatus done() {
            return new JobStatus(
                    from.id,
                    from.owner,
                    state,
                    from.version,
                    from.priority,
                    from.cpuMillis,
                    from.memoryBytes,
                    from.maxAttempts,
                    attemptCount,
                    lostCount,
                    currentToken,
                    machine,
                    queuedAt,
                    startedAt,
                    runEndedAt,
                    finishedAt,
                    exitCode,
                    cpuSeconds,
                    Columns.clip(reason),
                    from.checkpointExitCode,
                    lostCpuSeconds,
                    from.name,
                    from.runtimeSeconds,
                    from.requires,
                    from.diskBytes,
                    from.network,
                    from.gpus);
        }
    }
}
