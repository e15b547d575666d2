package org.cyphon.agent.sensors;

import java.util.List;
import org.cyphon.core.owner.SessionInfo;

/**
 * What logind says at one moment: the persons' sessions (sorted by id) and who holds an idle
 * inhibitor (sorted). Sorted so two reads of an unchanged logind compare equal whatever order
 * logind listed things in, which is how the sensor decides whether anything changed.
 */
record LogindSnapshot(List<SessionInfo> sessions, List<String> idleInhibitors) {
    LogindSnapshot {
        sessions = List.copyOf(sessions);
        idleInhibitors = List.copyOf(idleInhibitors);
    }
}
