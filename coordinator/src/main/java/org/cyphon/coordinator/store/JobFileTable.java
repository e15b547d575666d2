package org.cyphon.coordinator.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** SQL for {@code job_inputs} and {@code job_outputs}: which contents each job reads and left behind. */
public final class JobFileTable {
    private JobFileTable() {}

    /** One stored output file of a job. */
    public record Output(long jobId, String name, String sha256, long sizeBytes, int attemptNo, long storedAt) {}

    /** Records that each job reads these contents. */
    public static void insertInputs(Connection c, long[] jobIds, Set<String> shas) throws SQLException {
        if (shas.isEmpty()) return;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO job_inputs (job_id, sha256) VALUES (?, ?)")) {
            for (long id : jobIds) {
                for (String s : shas) {
                    ps.setLong(1, id);
                    ps.setString(2, s);
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
    }

    /** Whether the job reads the content. */
    public static boolean isInput(Connection c, long jobId, String sha256) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM job_inputs WHERE job_id = ? AND sha256 = ?")) {
            ps.setLong(1, jobId);
            ps.setString(2, sha256);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The job's stored outputs, by name. */
    public static Map<String, Output> outputs(Connection c, long jobId) throws SQLException {
        Map<String, Output> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT job_id, name, sha256, size_bytes, attempt_no, stored_at FROM job_outputs WHERE job_id = ?"
                        + " ORDER BY name")) {
            ps.setLong(1, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next())
                    out.put(
                            rs.getString(2),
                            new Output(
                                    rs.getLong(1),
                                    rs.getString(2),
                                    rs.getString(3),
                                    rs.getLong(4),
                                    rs.getInt(5),
                                    rs.getLong(6)));
            }
        }
        return out;
    }

    /** Whether one of the job's stored outputs has this content. */
    public static boolean isOutput(Connection c, long jobId, String sha256) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM job_outputs WHERE job_id = ? AND sha256 = ?")) {
            ps.setLong(1, jobId);
            ps.setString(2, sha256);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Writes each output, replacing the job's earlier version of the same name. */
    public static void putOutputs(Connection c, Collection<Output> outputs) throws SQLException {
        if (outputs.isEmpty()) return;
        List<Output> inserts = new ArrayList<>();
        try (PreparedStatement up = c.prepareStatement("UPDATE job_outputs SET sha256 = ?, size_bytes = ?,"
                + " attempt_no = ?, stored_at = ? WHERE job_id = ? AND name = ?")) {
            for (Output o : outputs) {
                up.setString(1, o.sha256());
                up.setLong(2, o.sizeBytes());
                up.setInt(3, o.attemptNo());
                up.setLong(4, o.storedAt());
                up.setLong(5, o.jobId());
                up.setString(6, o.name());
                if (up.executeUpdate() == 0) inserts.add(o);
            }
        }
        if (inserts.isEmpty()) return;
        try (PreparedStatement in = c.prepareStatement("INSERT INTO job_outputs (job_id, name, sha256, size_bytes,"
                + " attempt_no, stored_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (Output o : inserts) {
                in.setLong(1, o.jobId());
                in.setString(2, o.name());
                in.setString(3, o.sha256());
                in.setLong(4, o.sizeBytes());
                in.setInt(5, o.attemptNo());
                in.setLong(6, o.storedAt());
                in.addBatch();
            }
            in.executeBatch();
        }
    }

    /**
     * Forgets the outputs of jobs that ended before {@code endedBefore}: their contents are then
     * collected like any unused one.
     *
     * @return the jobs whose outputs were forgotten
     */
    public static List<Long> forgetOutputsOfJobsEndedBefore(Connection c, long endedBefore, int limit)
            throws SQLException {
        List<Long> jobs = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT o.job_id FROM job_outputs o JOIN jobs j ON"
                + " j.id = o.job_id WHERE j.finished_at IS NOT NULL AND j.finished_at < ? ORDER BY o.job_id"
                + " FETCH FIRST ? ROWS ONLY")) {
            ps.setLong(1, endedBefore);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) jobs.add(rs.getLong(1));
            }
        }
        try (PreparedStatement del = c.prepareStatement("DELETE FROM job_outputs WHERE job_id = ?")) {
            for (long id : jobs) {
                del.setLong(1, id);
                del.addBatch();
            }
            if (!jobs.isEmpty()) del.executeBatch();
        }
        return jobs;
    }
}
