package org.cyphon.core.schedule;

import java.time.Duration;
import java.util.Comparator;
import java.util.Map;

/**
 * A queued job as placement sees it. Lower {@code id} means submitted earlier.
 *
 * @param name            the job's name: with the owner, the key runtimes are learned under
 * @param requires        labels a machine must carry with these values (os, arch, gpu, anything an
 *                        admin sets); empty when any machine will do
 * @param expectedRuntime the submitter's estimate, or one learned from earlier jobs; null when unknown
 * @param progress        work already saved in a checkpoint, which a new attempt does not redo
 * @param diskBytes       free disk a desk must have for its work directory ({@code --disk}); 0
 *                        when it asked for none
 * @param ownNetwork      it asked {@code --network none}: only a desk that can give it a network
 *                        namespace of its own will do
 * @param gpus            whole GPUs it needs free on its desk; 0: none
 */
public record PendingJob(
        long id,
        String owner,
        int priority,
        int cpuMillis,
        long memoryBytes,
        String name,
        Map<String, String> requires,
        Duration expectedRuntime,
        Duration progress,
        long diskBytes,
        boolean ownNetwork,
        int gpus) {

    /**
     * The order in which one submitter's queued jobs are considered: higher priority first, then
     * oldest first. The coordinator keeps its queue index in it.
     */
    public static final Comparator<PendingJob> QUEUE_ORDER =
            Comparator.comparingInt(PendingJob::priority).reversed().thenComparingLong(PendingJob::id);

    public PendingJob {
        requires = requires == null ? Map.of() : Map.copyOf(requires);
        if (progress == null) progress = Duration.ZERO;
        if (diskBytes < 0) diskBytes = 0;
        if (gpus < 0) throw new IllegalArgumentException("gpus must not be negative, got " + gpus);
    }

    /** A job on the desk's network, without GPUs. */
    public PendingJob(
            long id,
            String owner,
            int priority,
            int cpuMillis,
            long memoryBytes,
            String name,
            Map<String, String> requires,
            Duration expectedRuntime,
            Duration progress,
            long diskBytes) {
        this(
                id,
                owner,
                priority,
                cpuMillis,
                memoryBytes,
                name,
                requires,
                expectedRuntime,
                progress,
                diskBytes,
                false,
                0);
    }

    /** A job without a disk request or GPUs. */
    public PendingJob(
            long id,
            String owner,
            int priority,
            int cpuMillis,
            long memoryBytes,
            String name,
            Map<String, String> requires,
            Duration expectedRuntime,
            Duration progress) {
        this(id, owner, priority, cpuMillis, memoryBytes, name, requires, expectedRuntime, progress, 0);
    }

    /** A job with no name, requirements or runtime estimate. */
    public PendingJob(long id, String owner, int priority, int cpuMillis, long memoryBytes) {
        this(id, owner, priority, cpuMillis, memoryBytes, null, Map.of(), null, Duration.ZERO);
    }

    /** The expected runtime still ahead of a new attempt; null when the runtime is unknown. */
    public Duration remaining() {
        if (expectedRuntime == null) return null;
        Duration left = expectedRuntime.minus(progress);
        return left.isNegative() ? Duration.ZERO : left;
    }
}
