package org.cyphon.coordinator.store;

import org.cyphon.core.job.AttemptOutcome;

/**
 * How an attempt ended, as written to its row.
 *
 * @param attempt  the live attempt as read in the same transaction: its row is moved to the history
 *                 only if its lease is still the one read (compare-and-set)
 * @param outcome  as the agent reported it, or {@link AttemptOutcome#LOST} (lease ran out, machine re-enrolled)
 * @param reported whether the agent reported it (a re-sent report is then "already reported")
 */
public record AttemptEnd(
        AttemptRow attempt,
        long endedAt,
        AttemptOutcome outcome,
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
