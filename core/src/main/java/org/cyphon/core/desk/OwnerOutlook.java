package org.cyphon.core.desk;

import java.time.Instant;

/**
 * What the pool's track record of a desk expects of its owner, as the coordinator tells the agent
 * with each heartbeat reply.
 *
 * @param expectedBy when the owner is likely back (the forecast's median return), or null when
 *                   unknown or present
 * @param awayUntil  the end of a declared absence ({@code cyphon away --until}), or null
 */
public record OwnerOutlook(Instant expectedBy, Instant awayUntil) {
    public static final OwnerOutlook UNKNOWN = new OwnerOutlook(null, null);

    /** A declared absence covers {@code at}. */
    public boolean awayAt(Instant at) {
        return awayUntil != null && at.isBefore(awayUntil);
    }
}
