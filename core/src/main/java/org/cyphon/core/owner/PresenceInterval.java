package org.cyphon.core.owner;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One stretch of a desk's history in a single state: what agents report (through the
 * coordinator) and what owner traces are made of, so the profile learns both the same way.
 */
public record PresenceInterval(Instant start, Instant end, OwnerState state) {
    public PresenceInterval {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(state, "state");
        if (end.isBefore(start))
            throw new IllegalArgumentException("interval ends (" + end + ") before it starts (" + start + ")");
    }

    public Duration length() {
        return Duration.between(start, end);
    }
}
