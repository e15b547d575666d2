package org.cyphon.coordinator.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** SQL for the {@code tokens} table: SHA-256 hashes only, never the tokens themselves. */
public final class TokenTable {
    private TokenTable() {}

    /** Who holds a token: its role (ADMIN, USER, ENROLL, AGENT) and name. */
    public record Holder(String role, String name) {}

    public static void insert(Connection c, String hash, String role, String name, long now) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("INSERT INTO tokens (token_hash, role, name, created_at) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, hash);
            ps.setString(2, role);
            ps.setString(3, name);
            ps.setLong(4, now);
            ps.executeUpdate();
        }
    }

    public static Holder find(Connection c, String hash) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT role, name FROM tokens WHERE token_hash = ?")) {
            ps.setString(1, hash);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Holder(rs.getString(1), rs.getString(2)) : null;
            }
        }
    }

    /** Removes every token of {@code role} named {@code name}; returns how many. */
    public static int delete(Connection c, String role, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM tokens WHERE role = ? AND name = ?")) {
            ps.setString(1, role);
            ps.setString(2, name);
            return ps.executeUpdate();
        }
    }
}
