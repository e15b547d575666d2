package org.cyphon.coordinator.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cyphon.core.job.JobState;

/** What placement learns from the job table when the scheduler starts: past runtimes, saved progress. */
public final class PlacementHistory {
    /** The newest completed jobs read for runtimes; older ones have been outweighed by then. */
    static final int MAX_COMPLETED = 100_000;

    private PlacementHistory() {}

    /** A completed job's run: its last attempt's wall time (milliseconds). */
    public record Completed(String owner, String name, long runMillis) {}

    /** The newest completed jobs that ran, oldest first, so learning sees them in order. */
    public static List<Completed> completedRuns(Connection c) throws SQLException {
        List<Completed> out = new ArrayList<>();
        try (PreparedStatement ps =
                c.prepareStatement("SELECT owner, name, started_at, run_ended_at FROM jobs WHERE state = ? "
                        + "AND started_at IS NOT NULL AND run_ended_at IS NOT NULL ORDER BY id DESC FETCH FIRST "
                        + MAX_COMPLETED + " ROWS ONLY")) {
            ps.setString(1, JobState.COMPLETED.name());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next())
                    out.add(new Completed(
                            rs.getString(1), rs.getString(2), Math.max(0, rs.getLong(4) - rs.getLong(3))));
            }
        }
        java.util.Collections.reverse(out);
        return out;
    }

    /**
     * Per queued job holding a checkpoint: the wall time the attempt that stored it had run when it
     * did (milliseconds). A lower bound on the work saved: an attempt that restored an earlier
     * checkpoint started from more.
     */
    public static Map<Long, Long> queuedProgress(Connection c) throws SQLException {
        Map<Long, Long> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT k.job_id, k.stored_at - a.started_at FROM checkpoints k "
                        + "JOIN jobs j ON j.id = k.job_id JOIN attempts a ON a.fencing_token = k.fencing_token WHERE j.state = ?")) {
            ps.setString(1, JobState.QUEUED.name());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.put(rs.getLong(1), Math.max(0, rs.getLong(2)));
            }
        }
        return out;
    }
}
