package org.cyphon.coordinator.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** SQL for the {@code tokens} table: SHA-256 hashes only, never the tokens themselves. */
public final class TokenTable {
    private TokenTable() {}

    /**
     * Who holds a token: its role (ADMIN, USER, ENROLL, AGENT) and name; when it stops working
     * (null: never); whether it is a rotated agent credential not used yet.
     */
    public record Holder(String role, String name, Long expiresAt, boolean pending) {}

    /** A stored token as listed: its hash, holder and creation time. */
    public record Row(String hash, Holder holder, long createdAt) {}

    public static void insert(Connection c, String hash, String role, String name, long now) throws SQLException {
        insert(c, hash, role, name, now, null, false);
    }

    public static void insert(
            Connection c, String hash, String role, String name, long now, Long expiresAt, boolean pending)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO tokens (token_hash, role, name, created_at, expires_at, pending) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, hash);
            ps.setString(2, role);
            ps.setString(3, name);
            ps.setLong(4, now);
            Columns.setLong(ps, 5, expiresAt);
            ps.setBoolean(6, pending);
            ps.executeUpdate();
        }
    }

    public static Holder find(Connection c, String hash) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT role, name, expires_at, pending FROM tokens WHERE token_hash = ?")) {
            ps.setString(1, hash);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? new Holder(
                                rs.getString(1), rs.getString(2), Columns.getLong(rs, "expires_at"), rs.getBoolean(4))
                        : null;
            }
        }
    }

    /** Every token, by role then name then creation. */
    public static List<Row> all(Connection c) throws SQLException {
        List<Row> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                        "SELECT token_hash, role, name, expires_at, pending, created_at FROM tokens ORDER BY role, name, created_at");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Row(
                        rs.getString(1),
                        new Holder(
                                rs.getString(2), rs.getString(3), Columns.getLong(rs, "expires_at"), rs.getBoolean(5)),
                        rs.getLong(6)));
            }
        }
        return out;
    }

    /** Removes every token of {@code role} named {@code name}; returns how many. */
    public static int delete(Connection c, String role, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM tokens WHERE role = ? AND name = ?")) {
            ps.setString(1, role);
            ps.setString(2, name);
            return ps.executeUpdate();
        }
    }

    /** Removes one token by its hash; returns whether it was there. */
    public static boolean deleteHash(Connection c, String hash) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM tokens WHERE token_hash = ?")) {
            ps.setString(1, hash);
            return ps.executeUpdate() == 1;
        }
    }

    /** Removes every token of {@code role} named {@code name} but {@code keep}; returns how many. */
    public static int deleteOthers(Connection c, String role, String name, String keep) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("DELETE FROM tokens WHERE role = ? AND name = ? AND token_hash <> ?")) {
            ps.setString(1, role);
            ps.setString(2, name);
            ps.setString(3, keep);
            return ps.executeUpdate();
        }
    }

    /** Removes the pending (rotated, unused) agent credentials of {@code machine}. */
    public static int deletePending(Connection c, String machine) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("DELETE FROM tokens WHERE role = 'AGENT' AND name = ? AND pending = TRUE")) {
            ps.setString(1, machine);
            return ps.executeUpdate();
        }
    }

    /** The pending credential's first use: it becomes the machine's only one. @return false if it was gone */
    public static boolean promote(Connection c, String machine, String hash) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE tokens SET pending = FALSE WHERE token_hash = ? AND role = 'AGENT' AND name = ? AND pending = TRUE")) {
            ps.setString(1, hash);
            ps.setString(2, machine);
            if (ps.executeUpdate() != 1) return false;
        }
        deleteOthers(c, "AGENT", machine, hash);
        return true;
    }
}
