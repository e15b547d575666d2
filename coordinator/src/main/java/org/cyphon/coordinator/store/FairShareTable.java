package org.cyphon.coordinator.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.cyphon.core.schedule.FairShare;

/** SQL for the {@code fair_share} table: each submitter's usage as of a time (decayed when read). */
public final class FairShareTable {
    private FairShareTable() {}

    public static Map<String, FairShare.Usage> all(Connection c) throws SQLException {
        Map<String, FairShare.Usage> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT owner, cpu_seconds, as_of FROM fair_share");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next())
                out.put(rs.getString(1), new FairShare.Usage(rs.getDouble(2), Instant.ofEpochMilli(rs.getLong(3))));
        }
        return out;
    }

    /** Replaces the stored usages with these (few rows: one per submitter). */
    public static void replaceAll(Connection c, Map<String, FairShare.Usage> usages) throws SQLException {
        try (PreparedStatement del = c.prepareStatement("DELETE FROM fair_share")) {
            del.executeUpdate();
        }
        if (usages.isEmpty()) return;
        try (PreparedStatement ps =
                c.prepareStatement("INSERT INTO fair_share (owner, cpu_seconds, as_of) VALUES (?, ?, ?)")) {
            for (var e : usages.entrySet()) {
                ps.setString(1, e.getKey());
                ps.setDouble(2, e.getValue().cpuSeconds());
                ps.setLong(3, e.getValue().asOf().toEpochMilli());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
