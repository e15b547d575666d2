package org.cyphon.coordinator.store;

/**
 * How an attempt ended, as written to its row.
 *
 * @param attempt  the live attempt as read in the same transaction: its row is moved to the history
 *                 only if its lease is still the one read (compare-and-set)
 * @param outcome  exited, failed_to_start, killed, vacated (reported by the agent) or lost (lease ran out, machine re-enrolled)
 * @param reported whether the agent reported it (a re-sent report is then "already reported")
 */
public record AttemptEnd(
        AttemptRow attempt,
        long endedAt,
        String outcome,
        boolean reported,
        Integer exitCode,
        Integer signal,
        Double cpuSeconds,
        String message) {

    public long fencingToken() {
        return attempt.fencingToken();
    }

    /** The lease expiry read with the attempt: the end is written only if it is unchanged. */
    public long readExpiry() {
        return attempt.leaseExpiresAt();
    }
}
