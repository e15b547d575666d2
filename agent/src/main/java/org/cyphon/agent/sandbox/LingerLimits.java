package org.cyphon.agent.sandbox;

/**
 * What a job is held to while it lingers beside a present owner, on top of idle CPU scheduling and
 * the idle I/O class it always has.
 *
 * @param memoryBytes      the job's memory above which the kernel reclaims its pages first (v2
 *                         {@code memory.high}: throttled and reclaimed above it; v1
 *                         {@code memory.soft_limit_in_bytes}: reclaimed first when the machine runs
 *                         short), so the owner's pages are not pushed out to make room for the job
 * @param ioBytesPerSecond its reads and its writes are each throttled to this rate on every disk;
 *                         0: no throttle
 */
public record LingerLimits(long memoryBytes, long ioBytesPerSecond) {

    public LingerLimits {
        if (memoryBytes <= 0) throw new IllegalArgumentException("memoryBytes must be positive: " + memoryBytes);
        if (ioBytesPerSecond < 0)
            throw new IllegalArgumentException("ioBytesPerSecond must not be negative: " + ioBytesPerSecond);
    }
}
