package org.cyphon.core.owner;

import java.time.Instant;

/**
 * The owner is away for longer than a day's rhythm: a vacation, a trip, a sick week. Declared
 * ({@code cyphon away --until}) or detected by the profile after an unusually long absence.
 *
 * @param since when the absence began
 * @param until when it is expected to end; null for a detected absence, which lasts until the
 *              owner is seen again
 * @param by    who declared it; null for a detected absence
 */
public record Absence(Instant since, Instant until, Kind kind, String by) {
    public enum Kind {
        DECLARED,
        DETECTED
    }

    /** Whether the owner is expected to stay away at {@code at}. */
    public boolean covers(Instant at) {
        return !at.isBefore(since) && (until == null || at.isBefore(until));
    }
}
