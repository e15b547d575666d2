package org.cyphon.coordinator.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cyphon.core.job.JobState;

/** SQL for the {@code checkpoints} table: at most one row per job, the archive it names is the job's checkpoint. */
public final class CheckpointTable {
    private static final String COLUMNS = "job_id, fencing_token, attempt_no, file_name, size_bytes, stored_at";

    private CheckpointTable() {}

    public static CheckpointRow byJob(Connection c, long jobId) throws SQLException {
        return byJobs(c, List.of(jobId)).get(jobId);
    }

    public static Map<Long, CheckpointRow> byJobs(Connection c, Collection<Long> jobIds) throws SQLException {
        Map<Long, CheckpointRow> out = new HashMap<>();
        for (List<Long> chunk : Placeholders.chunks(jobIds)) {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM checkpoints WHERE job_id IN ("
                    + Placeholders.of(chunk.size()) + ")")) {
                for (int i = 0; i < chunk.size(); i++) ps.setLong(i + 1, chunk.get(i));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        CheckpointRow r = read(rs);
                        out.put(r.jobId(), r);
                    }
                }
            }
        }
        return out;
    }

    /**
     * Makes {@code row} the job's checkpoint, replacing any earlier one. An UPDATE, then an INSERT
     * if there was nothing to update: portable (no MERGE/ON CONFLICT dialects), and safe because
     * every write goes through the one writer.
     */
    public static void put(Connection c, CheckpointRow row) throws SQLException {
        try (PreparedStatement up =
                c.prepareStatement("UPDATE checkpoints SET fencing_token = ?, attempt_no = ?, file_name = ?, "
                        + "size_bytes = ?, stored_at = ? WHERE job_id = ?")) {
            up.setLong(1, row.fencingToken());
            up.setInt(2, row.attemptNo());
            up.setString(3, row.fileName());
            up.setLong(4, row.sizeBytes());
            up.setLong(5, row.storedAt());
            up.setLong(6, row.jobId());
            if (up.executeUpdate() == 1) return;
        }
        try (PreparedStatement in =
                c.prepareStatement("INSERT INTO checkpoints (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)")) {
            in.setLong(1, row.jobId());
            in.setLong(2, row.fencingToken());
            in.setInt(3, row.attemptNo());
            in.setString(4, row.fileName());
            in.setLong(5, row.sizeBytes());
            in.setLong(6, row.storedAt());
            in.executeUpdate();
        }
    }

    /** Checkpoints of jobs that can never run again (completed, failed, cancelled), at most {@code limit}. */
    public static List<CheckpointRow> ofFinishedJobs(Connection c, int limit) throws SQLException {
        List<CheckpointRow> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                // EXISTS, not a join: with a join H2 reads every finished job (the bigger side, through
                // jobs_by_state) and looks each up in checkpoints, every 2 s; this reads the checkpoints
                // (a few per running job) and looks each job up by its key.
                "SELECT k.job_id, k.fencing_token, k.attempt_no, k.file_name, k.size_bytes, k.stored_at "
                        + "FROM checkpoints k WHERE EXISTS (SELECT 1 FROM jobs j WHERE j.id = k.job_id"
                        + " AND j.state IN (?, ?, ?)) ORDER BY k.job_id FETCH FIRST ? ROWS ONLY")) {
            ps.setString(1, JobState.COMPLETED.name());
            ps.setString(2, JobState.FAILED.name());
            ps.setString(3, JobState.CANCELLED.name());
            ps.setInt(4, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(read(rs));
            }
        }
        return out;
    }

    /** Every row, for matching the files on disk against at start-up. */
    public static List<CheckpointRow> all(Connection c) throws SQLException {
        List<CheckpointRow> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM checkpoints");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.add(read(rs));
        }
        return out;
    }

    /** Deletes the rows, each only if it still names the same file (an upload may have replaced it meanwhile). */
    public static void deleteAll(Connection c, List<CheckpointRow> rows) throws SQLException {
        if (rows.isEmpty()) return;
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM checkpoints WHERE job_id = ? AND file_name = ?")) {
            for (CheckpointRow r : rows) {
                ps.setLong(1, r.jobId());
                ps.setString(2, r.fileName());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static CheckpointRow read(ResultSet rs) throws SQLException {
        return new CheckpointRow(
                rs.getLong(1), rs.getLong(2), rs.getInt(3), rs.getString(4), rs.getLong(5), rs.getLong(6));
    }
}
