package org.cyphon.coordinator.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** SQL for the {@code wake_ups} table: every magic packet sent, by whom, for what. */
public final class WakeUpTable {
    /** How long rows are kept: the budget needs an hour, people a month. */
    public static final long KEEP_MILLIS = 30L * 24 * 3600 * 1000;

    private WakeUpTable() {}

    /** @param automatic sent for queued work (counted against {@code power.max_awake}), not by an admin */
    public static void insert(Connection c, String machine, long at, String by, boolean automatic) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("INSERT INTO wake_ups (machine, sent_at, sent_by, automatic) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, machine);
            ps.setLong(2, at);
            ps.setString(3, by);
            ps.setBoolean(4, automatic);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM wake_ups WHERE sent_at < ?")) {
            ps.setLong(1, at - KEEP_MILLIS);
            ps.executeUpdate();
        }
    }

    /** When each automatic wake-up since {@code since} was sent, oldest first. */
    public static List<Long> automaticSince(Connection c, long since) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT sent_at FROM wake_ups WHERE automatic = TRUE AND sent_at >= ? ORDER BY sent_at")) {
            ps.setLong(1, since);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getLong(1));
            }
        }
        return out;
    }
}
