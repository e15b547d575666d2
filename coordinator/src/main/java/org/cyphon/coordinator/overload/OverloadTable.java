package org.cyphon.coordinator.overload;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import org.cyphon.core.protocol.OverloadView;

/** The {@code overload_periods} table (migration V5). */
final class OverloadTable {
    private OverloadTable() {}

    /** The latest period, ended or not; {@link OverloadView#OFF} when there never was one. */
    static OverloadView latest(Connection c, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                        "SELECT started_at, until_at, reason, started_by, ended_at, ended_by FROM overload_periods ORDER BY started_at DESC LIMIT 1");
                ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) return OverloadView.OFF;
            long ended = rs.getLong("ended_at");
            boolean endedEarly = !rs.wasNull();
            Instant until = Instant.ofEpochMilli(endedEarly ? ended : rs.getLong("until_at"));
            boolean active = !endedEarly && now.isBefore(until);
            String by = endedEarly ? rs.getString("ended_by") : rs.getString("started_by");
            return new OverloadView(
                    active, Instant.ofEpochMilli(rs.getLong("started_at")), until, rs.getString("reason"), by);
        }
    }

    /**
     * Ends any period still on, then starts one. A period started in this same millisecond (two
     * switch-ons at once) is replaced: it lasted nothing, and the start time is the table's key.
     */
    static void start(Connection c, Instant now, Instant until, String reason, String by) throws SQLException {
        end(c, now, by);
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM overload_periods WHERE started_at = ?")) {
            ps.setLong(1, now.toEpochMilli());
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO overload_periods (started_at, until_at, reason, started_by) VALUES (?, ?, ?, ?)")) {
            ps.setLong(1, now.toEpochMilli());
            ps.setLong(2, until.toEpochMilli());
            ps.setString(3, reason);
            ps.setString(4, by);
            ps.executeUpdate();
        }
    }

    /** Ends the period that is on, if any; true when one was. */
    static boolean end(Connection c, Instant now, String by) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE overload_periods SET ended_at = ?, ended_by = ? WHERE ended_at IS NULL AND until_at > ?")) {
            ps.setLong(1, now.toEpochMilli());
            ps.setString(2, by);
            ps.setLong(3, now.toEpochMilli());
            return ps.executeUpdate() > 0;
        }
    }
}
