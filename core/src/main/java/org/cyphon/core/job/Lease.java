package org.cyphon.core.job;

import java.time.Duration;
import java.time.Instant;

/**
 * An attempt's right to run: valid until {@code expiresAt}, renewed by the agent's heartbeats.
 * The fencing token is unique and increasing across all attempts, so a report carrying an older
 * token than the job's current attempt can always be recognised as stale.
 */
public record Lease(long fencingToken, Instant expiresAt) {
    public boolean expiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }

    public Lease renewedAt(Instant now, Duration length) {
        return new Lease(fencingToken, now.plus(length));
    }

    /** Whether a report carrying {@code token} may act on the attempt that holds this lease. */
    public boolean accepts(long token) {
        return token == fencingToken;
    }
}
