package org.cyphon.coordinator.harvest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.cyphon.core.protocol.OwnerVisibleEvent;

/**
 * SQL for {@code owner_visible_events} (migration V30): the jobs agents measured slow to yield to
 * their desk's owner, each recorded once however often its agent sends it.
 */
public final class OwnerVisibleTable {
    /** Most events one heartbeat may carry (an agent keeps at most this many unreported). */
    public static final int MAX_PER_BEAT = 1000;

    private OwnerVisibleTable() {}

    /** Records the events not on record yet for this machine; returns how many were new. */
    public static int record(Connection c, String machine, List<OwnerVisibleEvent> events, long now)
            throws SQLException {
        int added = 0;
        for (OwnerVisibleEvent e : events) {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM owner_visible_events"
                    + " WHERE machine = ? AND input_at = ? AND job_id = ? AND attempt_no = ?")) {
                ps.setString(1, machine);
                ps.setLong(2, e.input().toEpochMilli());
                ps.setLong(3, e.jobId());
                ps.setInt(4, e.attempt());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) continue;
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO owner_visible_events"
                    + " (machine, input_at, job_id, attempt_no, yielded_at, recorded_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, machine);
                ps.setLong(2, e.input().toEpochMilli());
                ps.setLong(3, e.jobId());
                ps.setInt(4, e.attempt());
                ps.setLong(5, e.yielded().toEpochMilli());
                ps.setLong(6, now);
                ps.executeUpdate();
                added++;
            }
        }
        return added;
    }

    /** What is wrong with the events a heartbeat carries, naming the first bad one; null when none. */
    public static String problem(List<OwnerVisibleEvent> events) {
        if (events.size() > MAX_PER_BEAT) return "lists " + events.size() + " events; at most " + MAX_PER_BEAT;
        for (int i = 0; i < events.size(); i++) {
            OwnerVisibleEvent e = events.get(i);
            String at = "[" + i + "]";
            if (e == null) return at + " is null";
            if (e.jobId() <= 0) return at + ".jobId must be positive";
            if (e.attempt() < 0) return at + ".attempt must not be negative";
            if (e.input() == null || e.yielded() == null) return at + " needs both input and yielded";
            if (!OwnerVisibleEvent.ownerVisible(e.input(), e.yielded()))
                return at + " yielded within the " + OwnerVisibleEvent.BOUND.toMillis()
                        + " ms bound: not owner-visible";
        }
        return null;
    }
}
