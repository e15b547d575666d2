package org.cyphon.coordinator.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.cyphon.core.job.JobState;

/**
 * Moves jobs that finished before a cutoff, with their ended attempts and their events, from
 * {@code jobs}, {@code attempts} and {@code events} to the archive tables of the same columns
 * (V28). Reads of one job look there too ({@link JobTable#rowIncludingArchive},
 * {@link AttemptTable#archivedOf}, {@link EventTable#byJob}).
 *
 * <p>A job moves only when nothing can change it again: it is completed, failed or cancelled, has
 * no stored checkpoint (the checkpoint sweep deletes those of finished jobs within seconds), and no
 * unfinished job waits on it (a waiting job's dependencies are read from the jobs table). A
 * finished job's last live attempt (a cancelled job's, until its agent reports the kill) ends
 * within a lease, seconds; the retention is at least an hour, so none is left by then.
 */
public final class JobArchive {
    private static final List<JobState> FINISHED = List.of(JobState.COMPLETED, JobState.FAILED, JobState.CANCELLED);

    private JobArchive() {}

    /**
     * Up to {@code limit} ids of jobs finished before {@code cutoff} (epoch millis). Reads every
     * finished job's index entry and row until it has found them: run it in a read transaction,
     * not in the writer, then {@link #stillMovable} in the write.
     */
    public static List<Long> finishedBefore(Connection c, long cutoff, int limit) throws SQLException {
        List<Long> out = new ArrayList<>();
        for (JobState state : FINISHED) {
            if (out.size() >= limit) break;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id FROM jobs WHERE state = ? AND finished_at < ? FETCH FIRST ? ROWS ONLY")) {
                ps.setString(1, state.name());
                ps.setLong(2, cutoff);
                ps.setInt(3, limit - out.size());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(rs.getLong(1));
                }
            }
        }
        return out;
    }

    /**
     * Of these ids, those that may move now: still finished before {@code cutoff}, holding no
     * checkpoint and waited on by no unfinished job. Looks each up by its key: cheap in the writer.
     */
    public static List<Long> stillMovable(Connection c, List<Long> ids, long cutoff) throws SQLException {
        List<Long> out = new ArrayList<>();
        for (List<Long> chunk : Placeholders.chunks(ids)) {
            try (PreparedStatement ps = c.prepareStatement("SELECT j.id FROM jobs j WHERE j.id IN ("
                    + Placeholders.of(chunk.size()) + ") AND j.state IN ('COMPLETED', 'FAILED', 'CANCELLED')"
                    + " AND j.finished_at < ?"
                    + " AND NOT EXISTS (SELECT 1 FROM checkpoints k WHERE k.job_id = j.id)"
                    + " AND NOT EXISTS (SELECT 1 FROM job_deps d JOIN jobs w ON w.id = d.job_id"
                    + " WHERE d.after_id = j.id AND w.state NOT IN ('COMPLETED', 'FAILED', 'CANCELLED'))")) {
                int i = 1;
                for (long id : chunk) ps.setLong(i++, id);
                ps.setLong(i, cutoff);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(rs.getLong(1));
                }
            }
        }
        return out;
    }

    /** Moves these jobs (from {@link #stillMovable}, in the same transaction) with their attempts and events. */
    public static void move(Connection c, List<Long> ids) throws SQLException {
        for (List<Long> chunk : Placeholders.chunks(ids)) {
            String in = " IN (" + Placeholders.of(chunk.size()) + ")";
            // Children first out of their tables: attempts name their job by a foreign key.
            run(c, "INSERT INTO jobs_archive SELECT * FROM jobs WHERE id" + in, chunk);
            run(c, "INSERT INTO attempts_archive SELECT * FROM attempts WHERE job_id" + in, chunk);
            run(c, "INSERT INTO events_archive SELECT * FROM events WHERE job_id" + in, chunk);
            run(c, "DELETE FROM events WHERE job_id" + in, chunk);
            run(c, "DELETE FROM attempts WHERE job_id" + in, chunk);
            run(c, "DELETE FROM jobs WHERE id" + in, chunk);
        }
    }

    private static void run(Connection c, String sql, List<Long> ids) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < ids.size(); i++) ps.setLong(i + 1, ids.get(i));
            ps.executeUpdate();
        }
    }
}
