package org.cyphon.core.owner;

import java.time.Instant;
import java.util.List;

/** Configured "hands off" applications (games, video calls) that are running now; empty when none. */
public record ExclusiveAppsSeen(String source, Instant at, List<String> running) implements OwnerSignal {
    public ExclusiveAppsSeen {
        running = List.copyOf(running);
    }
}
