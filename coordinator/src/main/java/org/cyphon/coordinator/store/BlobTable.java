package org.cyphon.coordinator.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cyphon.core.job.JobState;

/**
 * SQL for the {@code blobs} and {@code blob_owners} tables: which file contents the coordinator
 * holds, and who may use each. A row is written only once its file is complete, checked and in place.
 */
public final class BlobTable {
    private BlobTable() {}

    /** A held content. */
    public record Blob(String sha256, long sizeBytes, long storedAt, long usedAt) {}

    /**
     * Records that {@code owner} holds the content (uploaded it, or a job of theirs left it), adding
     * the content's row if it is new; either way its {@code used_at} becomes {@code now}.
     */
    public static void claim(Connection c, String sha256, long size, String owner, long now) throws SQLException {
        try (PreparedStatement up = c.prepareStatement("UPDATE blobs SET used_at = ? WHERE sha256 = ?")) {
            up.setLong(1, now);
            up.setString(2, sha256);
            if (up.executeUpdate() == 0) {
                try (PreparedStatement in = c.prepareStatement(
                        "INSERT INTO blobs (sha256, size_bytes, stored_at, used_at) VALUES (?, ?, ?, ?)")) {
                    in.setString(1, sha256);
                    in.setLong(2, size);
                    in.setLong(3, now);
                    in.setLong(4, now);
                    in.executeUpdate();
                }
            }
        }
        if (ownedBy(c, List.of(sha256), owner).isEmpty()) {
            try (PreparedStatement in = c.prepareStatement("INSERT INTO blob_owners (sha256, owner) VALUES (?, ?)")) {
                in.setString(1, sha256);
                in.setString(2, owner);
                in.executeUpdate();
            }
        }
    }

    /** The contents among {@code shas} that {@code owner} may use, with their rows. */
    public static Map<String, Blob> ownedBy(Connection c, Collection<String> shas, String owner) throws SQLException {
        Map<String, Blob> out = new HashMap<>();
        for (List<String> chunk : Placeholders.chunks(new HashSet<>(shas))) {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT b.sha256, b.size_bytes, b.stored_at, b.used_at FROM blobs b JOIN blob_owners o"
                            + " ON o.sha256 = b.sha256 WHERE o.owner = ? AND b.sha256 IN ("
                            + Placeholders.of(chunk.size()) + ")")) {
                ps.setString(1, owner);
                for (int i = 0; i < chunk.size(); i++) ps.setString(i + 2, chunk.get(i));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.put(rs.getString(1), read(rs));
                }
            }
        }
        return out;
    }

    /** The row of one content, or null when it is not held. */
    public static Blob byHash(Connection c, String sha256) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT sha256, size_bytes, stored_at, used_at FROM blobs WHERE sha256 = ?")) {
            ps.setString(1, sha256);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? read(rs) : null;
            }
        }
    }

    /** Sets {@code used_at} of these contents to {@code now}: a query or a submit named them. */
    public static void touch(Connection c, Collection<String> shas, long now) throws SQLException {
        if (shas.isEmpty()) return;
        try (PreparedStatement ps = c.prepareStatement("UPDATE blobs SET used_at = ? WHERE sha256 = ?")) {
            for (String s : new HashSet<>(shas)) {
                ps.setLong(1, now);
                ps.setString(2, s);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * Contents nothing needs any more: not used since {@code usedBefore}, named by no output of any
     * job and by no input of a job that may still run. At most {@code limit}.
     */
    public static List<Blob> unused(Connection c, long usedBefore, int limit) throws SQLException {
        List<Blob> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT b.sha256, b.size_bytes, b.stored_at, b.used_at FROM blobs b WHERE b.used_at < ?"
                        + " AND NOT EXISTS (SELECT 1 FROM job_outputs o WHERE o.sha256 = b.sha256)"
                        + " AND NOT EXISTS (SELECT 1 FROM job_inputs i JOIN jobs j ON j.id = i.job_id"
                        + " WHERE i.sha256 = b.sha256 AND j.state NOT IN (?, ?, ?))"
                        + " ORDER BY b.sha256 FETCH FIRST ? ROWS ONLY")) {
            ps.setLong(1, usedBefore);
            ps.setString(2, JobState.COMPLETED.name());
            ps.setString(3, JobState.FAILED.name());
            ps.setString(4, JobState.CANCELLED.name());
            ps.setInt(5, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(read(rs));
            }
        }
        return out;
    }

    /** Deletes the rows (and their owners) of these contents, each only if still unused since {@code usedBefore}. */
    public static Set<String> delete(Connection c, Collection<Blob> blobs, long usedBefore) throws SQLException {
        Set<String> deleted = new HashSet<>();
        try (PreparedStatement rows = c.prepareStatement("DELETE FROM blobs WHERE sha256 = ? AND used_at < ?");
                PreparedStatement owners = c.prepareStatement("DELETE FROM blob_owners WHERE sha256 = ?")) {
            for (Blob b : blobs) {
                rows.setString(1, b.sha256());
                rows.setLong(2, usedBefore);
                if (rows.executeUpdate() == 1) {
                    owners.setString(1, b.sha256());
                    owners.executeUpdate();
                    deleted.add(b.sha256());
                }
            }
        }
        return deleted;
    }

    /** Every content held, for matching the files on disk against at start-up. */
    public static Set<String> allHashes(Connection c) throws SQLException {
        Set<String> out = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT sha256 FROM blobs");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }

    private static Blob read(ResultSet rs) throws SQLException {
        return new Blob(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4));
    }
}
