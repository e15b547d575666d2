package org.cyphon.coordinator.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.cyphon.core.job.JobState;
import org.cyphon.core.schedule.PendingJob;

/**
 * Every queued job as placement sees it, read to rebuild the scheduler's in-memory queue.
 *
 * <p>Why not the job's whole status row: the reload runs every few minutes over the whole backlog,
 * beside the queue it replaces, and with a million queued it was what ran a 768 MB heap out
 * (bench/run scale --store postgresql: the PostgreSQL driver holding all 494,000 rows at once, 320
 * MB, plus a status object per row). So: only the columns placement needs, read a few thousand rows
 * at a time (the driver otherwise fetches the whole result first), and the owners, names and
 * requirements, which a backlog repeats (one user's array job), shared instead of one copy per job.
 */
public final class QueuedJobs {
    /** Rows the driver fetches at a time. */
    static final int FETCH_ROWS = 5_000;

    /** Distinct values shared per column at most: job names can all differ, and then sharing saves nothing. */
    private static final int SHARED_AT_MOST = 10_000;

    private QueuedJobs() {}

    public static List<PendingJob> all(Connection c) throws SQLException {
        List<PendingJob> out = new ArrayList<>();
        Shared<String> owners = new Shared<>();
        Shared<String> names = new Shared<>();
        Shared<Map<String, String>> requirements = new Shared<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id, owner, priority, cpu_millis, memory_bytes, name, requires, runtime_seconds, disk_bytes, "
                        + "network, gpus FROM jobs WHERE state = ?")) {
            ps.setFetchSize(FETCH_ROWS);
            ps.setString(1, JobState.QUEUED.name());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(JobStatus.pending(
                            rs.getLong(1),
                            owners.of(rs.getString(2), s -> s),
                            rs.getInt(3),
                            rs.getInt(4),
                            rs.getLong(5),
                            names.of(rs.getString(6), s -> s),
                            requirements.of(rs.getString(7), StoredJson::readLabels),
                            Columns.getLong(rs, 8),
                            Columns.getLong(rs, 9),
                            rs.getString(10),
                            rs.getInt(11)));
                }
            }
        }
        return out;
    }

    /** One value for each distinct stored text, up to {@link #SHARED_AT_MOST}; past that, a copy each. */
    private static final class Shared<T> {
        private final Map<String, T> seen = new HashMap<>();

        T of(String stored, Function<String, T> read) {
            if (stored == null) return read.apply(null);
            T known = seen.get(stored);
            if (known != null) return known;
            T value = read.apply(stored);
            if (seen.size() < SHARED_AT_MOST) seen.put(stored, value);
            return value;
        }
    }
}
