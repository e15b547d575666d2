package org.cyphon.coordinator.desk;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.cyphon.core.protocol.DeskAuditEntry;
import org.cyphon.core.protocol.DeskEvent;

/**
 * SQL for the {@code desk_audit} table (migrations V4, V24): one row per desk action asked for, and
 * one per desk event an agent reported (with its origin id, recorded once).
 */
public final class DeskAuditTable {
    static final String PENDING = "pending";
    static final String UNKNOWN = "unknown";
    private static final int MAX_MESSAGE = 1000;

    private DeskAuditTable() {}

    /** Adds an entry and returns its id. {@code result} is {@link #PENDING} for an action under way. */
    public static long insert(
            Connection c,
            long atMillis,
            String principal,
            String role,
            String machine,
            String action,
            String arguments,
            String result,
            String message)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO desk_audit (at_millis, principal, role, machine, action, arguments, "
                        + "result, message, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                new String[] {"id"})) {
            ps.setLong(1, atMillis);
            ps.setString(2, principal);
            ps.setString(3, role);
            ps.setString(4, machine);
            ps.setString(5, action);
            ps.setString(6, arguments);
            ps.setString(7, result);
            ps.setString(8, clip(message));
            if (result.equals(PENDING)) ps.setNull(9, Types.BIGINT);
            else ps.setLong(9, atMillis);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                if (!keys.next()) throw new SQLException("no id generated for the desk audit entry");
                return keys.getLong(1);
            }
        }
    }

    /**
     * Adds an agent's desk event unless one with the same origin is on record for this machine.
     *
     * @return whether it was added
     */
    static boolean insertEvent(Connection c, String machine, DeskEvent e) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM desk_audit WHERE machine = ? AND origin = ?")) {
            ps.setString(1, machine);
            ps.setString(2, e.origin());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) return false;
            }
        }
        try (PreparedStatement ps =
                c.prepareStatement("INSERT INTO desk_audit (at_millis, principal, role, machine, action, arguments, "
                        + "result, message, finished_at, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            long at = e.at().toEpochMilli();
            ps.setLong(1, at);
            ps.setString(2, e.principal());
            ps.setString(3, e.role());
            ps.setString(4, machine);
            ps.setString(5, e.action());
            ps.setString(6, e.arguments() == null ? "" : e.arguments());
            ps.setString(7, e.result());
            ps.setString(8, clip(e.message()));
            ps.setLong(9, at);
            ps.setString(10, e.origin());
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * Records what became of entry {@code id} of {@code machine}, unless it already has a final result
     * (a late answer still replaces {@link #UNKNOWN}: it is what really happened).
     *
     * @return whether the entry was changed
     */
    static boolean finish(Connection c, long id, String machine, String result, String message, long atMillis)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE desk_audit SET result = ?, message = ?, finished_at = ? "
                + "WHERE id = ? AND machine = ? AND result IN (?, ?)")) {
            ps.setString(1, result);
            ps.setString(2, clip(message));
            ps.setLong(3, atMillis);
            ps.setLong(4, id);
            ps.setString(5, machine);
            ps.setString(6, PENDING);
            ps.setString(7, UNKNOWN);
            return ps.executeUpdate() == 1;
        }
    }

    /** Marks every pending entry unknown: their answers went to a coordinator that stopped. */
    static int abandonPending(Connection c, String message, long atMillis) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("UPDATE desk_audit SET result = ?, message = ?, finished_at = ? WHERE result = ?")) {
            ps.setString(1, UNKNOWN);
            ps.setString(2, message);
            ps.setLong(3, atMillis);
            ps.setString(4, PENDING);
            return ps.executeUpdate();
        }
    }

    /** The newest {@code limit} entries of {@code machine}, oldest first. */
    static List<DeskAuditEntry> latest(Connection c, String machine, int limit) throws SQLException {
        List<DeskAuditEntry> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id, at_millis, principal, role, machine, action, arguments, result, "
                        + "message, finished_at FROM desk_audit WHERE machine = ? ORDER BY id DESC FETCH FIRST ? ROWS ONLY")) {
            ps.setString(1, machine);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long finished = rs.getLong(10);
                    boolean done = !rs.wasNull();
                    out.add(new DeskAuditEntry(
                            rs.getLong(1),
                            Instant.ofEpochMilli(rs.getLong(2)),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getString(5),
                            rs.getString(6),
                            rs.getString(7),
                            rs.getString(8),
                            rs.getString(9),
                            done ? Instant.ofEpochMilli(finished) : null));
                }
            }
        }
        return out.reversed();
    }

    private static String clip(String message) {
        return message == null || message.length() <= MAX_MESSAGE
                ? message
                : message.substring(0, MAX_MESSAGE - 3) + "...";
    }
}
