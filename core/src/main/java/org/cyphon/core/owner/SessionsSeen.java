package org.cyphon.core.owner;

import java.time.Instant;
import java.util.List;

/**
 * The sessions a session manager knows of, and who holds an idle inhibitor (video players and
 * presentation tools take one: the owner is watching, not away).
 */
public record SessionsSeen(String source, Instant at, List<SessionInfo> sessions, List<String> idleInhibitors)
        implements OwnerSignal {
    public SessionsSeen {
        sessions = List.copyOf(sessions);
        idleInhibitors = List.copyOf(idleInhibitors);
    }
}
