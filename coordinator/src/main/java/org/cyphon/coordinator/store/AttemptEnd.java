package org.cyphon.coordinator.store;

/**
 * How an attempt ended, as written to its row.
 *
 * @param outcome  exited, failed_to_start, killed, vacated (reported by the agent) or lost (lease ran out, machine re-enrolled)
 * @param reported   whether the agent reported it (a re-sent report is then "already reported")
 * @param readExpiry the lease expiry read with the attempt: the end is written only if it is unchanged
 */
public record AttemptEnd(long fencingToken, long readExpiry, long endedAt, String outcome, boolean reported, Integer exitCode,
                         Integer signal, Double cpuSeconds, String message) {}
