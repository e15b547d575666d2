package org.cyphon.coordinator.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** SQL for the {@code join_secrets} table: SHA-256 hashes only, never the secrets themselves. */
public final class JoinSecretTable {
    private JoinSecretTable() {}

    /** A join secret as stored; {@code machines} joined with it, oldest first. */
    public record Row(
            String name,
            String createdBy,
            long createdAt,
            long expiresAt,
            int uses,
            int usesLeft,
            Long revokedAt,
            List<String> machines) {

        /** usable, used up, expired or revoked, as of {@code now}. */
        public String state(long now) {
            if (revokedAt != null) return "revoked";
            if (usesLeft <= 0) return "used up";
            if (now >= expiresAt) return "expired";
            return "usable";
        }
    }

    private static final String COLUMNS =
            "name, created_by, created_at, expires_at, uses, uses_left, revoked_at, machines";

    public static void insert(Connection c, String name, String hash, String by, long now, long expiresAt, int uses)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO join_secrets (name, secret_hash, "
                + COLUMNS.substring(6) + ") VALUES (?, ?, ?, ?, ?, ?, ?, NULL, '')")) {
            ps.setString(1, name);
            ps.setString(2, hash);
            ps.setString(3, by);
            ps.setLong(4, now);
            ps.setLong(5, expiresAt);
            ps.setInt(6, uses);
            ps.setInt(7, uses);
            ps.executeUpdate();
        }
    }

    public static Row byHash(Connection c, String hash) throws SQLException {
        List<Row> r = query(c, "SELECT " + COLUMNS + " FROM join_secrets WHERE secret_hash = ?", hash);
        return r.isEmpty() ? null : r.get(0);
    }

    public static Row byName(Connection c, String name) throws SQLException {
        List<Row> r = query(c, "SELECT " + COLUMNS + " FROM join_secrets WHERE name = ?", name);
        return r.isEmpty() ? null : r.get(0);
    }

    public static List<Row> all(Connection c) throws SQLException {
        return query(c, "SELECT " + COLUMNS + " FROM join_secrets ORDER BY created_at DESC, name", null);
    }

    /**
     * Uses the secret once for {@code machine}, if it is still usable at {@code now}.
     *
     * @return false when it is revoked, expired or used up (nothing changed)
     */
    public static boolean use(Connection c, String hash, String machine, long now) throws SQLException {
        Row r = byHash(c, hash);
        if (r == null || !r.state(now).equals("usable")) return false;
        List<String> machines = new ArrayList<>(r.machines());
        machines.add(machine);
        String joined = String.join(",", machines);
        if (joined.length() > 4000) joined = joined.substring(joined.length() - 4000); // the newest are kept
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE join_secrets SET uses_left = uses_left - 1, machines = ? WHERE secret_hash = ? AND uses_left > 0")) {
            ps.setString(1, joined);
            ps.setString(2, hash);
            return ps.executeUpdate() == 1;
        }
    }

    /** @return false if there is no such secret or it was revoked already */
    public static boolean revoke(Connection c, String name, long now) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("UPDATE join_secrets SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL")) {
            ps.setLong(1, now);
            ps.setString(2, name);
            return ps.executeUpdate() == 1;
        }
    }

    private static List<Row> query(Connection c, String sql, String arg) throws SQLException {
        List<Row> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (arg != null) ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String m = rs.getString(8);
                    out.add(new Row(
                            rs.getString(1),
                            rs.getString(2),
                            rs.getLong(3),
                            rs.getLong(4),
                            rs.getInt(5),
                            rs.getInt(6),
                            Columns.getLong(rs, "revoked_at"),
                            m == null || m.isEmpty() ? List.of() : Arrays.asList(m.split(","))));
                }
            }
        }
        return out;
    }
}
