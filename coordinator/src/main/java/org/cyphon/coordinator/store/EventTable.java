package org.cyphon.coordinator.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** SQL for the {@code events} table. */
public final class EventTable {
    /**
     * Event types never stored: they say nothing the attempt rows do not (an attempt's start, its
     * machine and number; the exit that completed the job), so a job's history derives them from its
     * attempts ({@code JobEvents}). Why: they were two of the three rows every dispatched job added
     * to this table, each with its two index entries, written by the store's single writer in the
     * same transactions as the assignment and the report (issue 15: dispatch at 10,000 jobs/s).
     * Stores written before keep such rows; {@link #byJob} leaves them out, so no job shows two.
     */
    public static final Set<String> FROM_ATTEMPTS = Set.of("assigned", "exited");

    private EventTable() {}

    /** Stores the events, except those a job's history derives from its attempts ({@link #FROM_ATTEMPTS}). */
    public static void insert(Connection c, List<EventRow> events) throws SQLException {
        if (events.isEmpty()) return;
        List<EventRow> stored = new ArrayList<>(events.size());
        for (EventRow e : events) if (!FROM_ATTEMPTS.contains(e.type())) stored.add(e);
        if (stored.isEmpty()) return;
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO events (job_id, at_millis, event_type, attempt_no, machine, message) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (EventRow e : stored) {
                ps.setLong(1, e.jobId());
                ps.setLong(2, e.at());
                ps.setString(3, e.type());
                Columns.setInt(ps, 4, e.attemptNo());
                Columns.setString(ps, 5, e.machine());
                Columns.setString(ps, 6, Columns.clip(e.message()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * The job's stored history, oldest first, without a "submitted" event (that one comes from the
     * job row) and without the events derived from its attempts ({@link #FROM_ATTEMPTS}): stores from
     * before hold such rows for older jobs; they are left out here so no job shows two.
     */
    public static List<EventRow> byJob(Connection c, long jobId) throws SQLException {
        List<EventRow> out = byJob(c, "events", jobId);
        // A job's events move to the archive with it, all in one transaction: they are in one table.
        return out.isEmpty() ? byJob(c, "events_archive", jobId) : out;
    }

    private static List<EventRow> byJob(Connection c, String table, long jobId) throws SQLException {
        List<EventRow> out = new ArrayList<>();
        try (PreparedStatement ps =
                c.prepareStatement("SELECT job_id, at_millis, event_type, attempt_no, machine, message FROM " + table
                        + " WHERE job_id = ? AND event_type NOT IN ('submitted', 'assigned', 'exited') ORDER BY id")) {
            ps.setLong(1, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new EventRow(
                            rs.getLong(1),
                            rs.getLong(2),
                            rs.getString(3),
                            Columns.getInt(rs, "attempt_no"),
                            rs.getString(5),
                            rs.getString(6)));
                }
            }
        }
        return out;
    }
}
