package org.cyphon.coordinator.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cyphon.core.job.AttemptOutcome;

/**
 * SQL for attempts, kept in two tables (schema V3): {@code live_attempts}, one narrow row per attempt
 * that holds a lease, and {@code attempts}, the history of ended ones. An attempt is inserted live
 * when it is assigned and moved to the history when it ends, in the same transaction as its end.
 *
 * <p>Why two tables: the live rows are the ones written over and over (assigned, renewed by every
 * heartbeat, ended), and there are only as many as the pool runs at once. So they need no index but
 * their key: finding expired leases scans them, which costs less than keeping an index on the lease
 * current through every renewal. The history, which grows with every job, gets one insert per
 * attempt (and, rarely, a truncation mark from an output upload that arrives after the end).
 *
 * <p>Callers see one {@link AttemptRow}, live or ended, whichever table it came from. Batch reads and
 * writes only.
 */
public final class AttemptTable {
    private static final String LIVE_COLUMNS = "fencing_token, job_id, attempt_no, machine, cpu_millis, memory_bytes, "
            + "started_at, lease_expires_at, acknowledged, stdout_truncated, stderr_truncated, cpu_since_checkpoint, gpus";
    private static final String ENDED_COLUMNS = "fencing_token, job_id, attempt_no, machine, cpu_millis, memory_bytes, "
            + "started_at, acknowledged, ended_at, outcome, reported, exit_code, signal_no, cpu_seconds, message, "
            + "stdout_truncated, stderr_truncated, cpu_since_checkpoint, gpus";
    private static final String SELECT_LIVE = "SELECT " + LIVE_COLUMNS + " FROM live_attempts";
    private static final String SELECT_ENDED = "SELECT " + ENDED_COLUMNS + " FROM attempts";

    private AttemptTable() {}

    /** Per-machine totals of the live attempts. */
    public record Usage(int cpuMillis, long memoryBytes, int attempts, int gpus) {}

    /**
     * A lease renewal, compare-and-set on the expiry that was read.
     *
     * @param cpuSinceCheckpoint the agent's latest figure, or null to keep the one stored
     */
    public record Renewal(long fencingToken, long readExpiry, long newExpiry, Double cpuSinceCheckpoint) {}

    /** Inserts new live attempts (as {@link AttemptRow#started} makes them). */
    public static void insert(Connection c, List<AttemptRow> rows) throws SQLException {
        if (rows.isEmpty()) return;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO live_attempts (" + LIVE_COLUMNS + ") "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (AttemptRow a : rows) {
                ps.setLong(1, a.fencingToken());
                ps.setLong(2, a.jobId());
                ps.setInt(3, a.attemptNo());
                ps.setString(4, a.machine());
                ps.setInt(5, a.cpuMillis());
                ps.setLong(6, a.memoryBytes());
                ps.setLong(7, a.startedAt());
                ps.setLong(8, a.leaseExpiresAt());
                ps.setBoolean(9, a.acknowledged());
                ps.setBoolean(10, a.stdoutTruncated());
                ps.setBoolean(11, a.stderrTruncated());
                Columns.setDouble(ps, 12, a.cpuSinceCheckpoint());
                ps.setInt(13, a.gpus());
                ps.addBatch();
            }
            Batches.run(ps, rows.size());
        }
    }

    public static AttemptRow byToken(Connection c, long token) throws SQLException {
        return byTokens(c, List.of(token)).get(token);
    }

    /** The attempts with these tokens, live or ended (looked for in that order); unknown tokens are left out. */
    public static Map<Long, AttemptRow> byTokens(Connection c, Collection<Long> tokens) throws SQLException {
        Map<Long, AttemptRow> out = new HashMap<>();
        if (tokens.isEmpty()) return out;
        queryByTokens(c, SELECT_LIVE, tokens, true, out);
        if (out.size() < tokens.size()) {
            List<Long> rest =
                    tokens.stream().filter(t -> !out.containsKey(t)).distinct().toList();
            if (!rest.isEmpty()) queryByTokens(c, SELECT_ENDED, rest, false, out);
        }
        return out;
    }

    /** Every attempt of the job, by attempt number. */
    public static List<AttemptRow> byJob(Connection c, long jobId) throws SQLException {
        // Live rows first: an attempt that ends between the two queries is then seen in one table
        // or both (the ended row wins), never in neither; byTokens and byJobAttempt look in the same order.
        Map<Long, AttemptRow> byToken = new HashMap<>();
        for (AttemptRow a : query(c, SELECT_LIVE + " WHERE job_id = ?", true, jobId)) byToken.put(a.fencingToken(), a);
        for (AttemptRow a : query(c, SELECT_ENDED + " WHERE job_id = ?", false, jobId))
            byToken.put(a.fencingToken(), a);
        List<AttemptRow> out = new ArrayList<>(byToken.values());
        out.sort(Comparator.comparingInt(AttemptRow::attemptNo));
        return out;
    }

    /** The ended attempts of a job moved to the archive ({@link JobArchive}), by attempt number. */
    public static List<AttemptRow> archivedOf(Connection c, long jobId) throws SQLException {
        return query(
                c,
                "SELECT " + ENDED_COLUMNS + " FROM attempts_archive WHERE job_id = ? ORDER BY attempt_no",
                false,
                jobId);
    }

    /** Attempt {@code attemptNo} of the job, or null. */
    public static AttemptRow byJobAttempt(Connection c, long jobId, int attemptNo) throws SQLException {
        List<AttemptRow> r = query(c, SELECT_LIVE + " WHERE job_id = ? AND attempt_no = ?", true, jobId, attemptNo);
        if (r.isEmpty()) r = query(c, SELECT_ENDED + " WHERE job_id = ? AND attempt_no = ?", false, jobId, attemptNo);
        if (r.isEmpty()) // a job finished long ago is in the archive (JobArchive)
        r = query(
                c,
                "SELECT " + ENDED_COLUMNS + " FROM attempts_archive WHERE job_id = ? AND attempt_no = ?",
                false,
                jobId,
                attemptNo);
        return r.isEmpty() ? null : r.get(0);
    }

    /** Live attempts whose lease ran out at or before {@code now}, the oldest first. */
    public static List<AttemptRow> expired(Connection c, long now, int limit) throws SQLException {
        return query(
                c,
                SELECT_LIVE + " WHERE lease_expires_at <= ? ORDER BY lease_expires_at FETCH FIRST ? ROWS ONLY",
                true,
                now,
                limit);
    }

    public static List<AttemptRow> live(Connection c) throws SQLException {
        return query(c, SELECT_LIVE, true);
    }

    public static List<AttemptRow> liveOn(Connection c, String machine) throws SQLException {
        return query(c, SELECT_LIVE + " WHERE machine = ?", true, machine);
    }

    public static Map<String, Usage> liveUsageByMachine(Connection c) throws SQLException {
        Map<String, Usage> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                        "SELECT machine, SUM(cpu_millis), SUM(memory_bytes), COUNT(*), SUM(gpus) FROM live_attempts GROUP BY machine");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next())
                out.put(rs.getString(1), new Usage((int) rs.getLong(2), rs.getLong(3), (int) rs.getLong(4), (int)
                        rs.getLong(5)));
        }
        return out;
    }

    /** @return per renewal 1 if written, 0 if the attempt's lease changed meanwhile (ended or expired) */
    public static int[] renew(Connection c, List<Renewal> renewals) throws SQLException {
        if (renewals.isEmpty()) return new int[0];
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE live_attempts SET lease_expires_at = ?, acknowledged = TRUE, "
                        + "cpu_since_checkpoint = COALESCE(?, cpu_since_checkpoint) WHERE fencing_token = ? AND lease_expires_at = ?")) {
            for (Renewal r : renewals) {
                ps.setLong(1, r.newExpiry());
                Columns.setDouble(ps, 2, r.cpuSinceCheckpoint());
                ps.setLong(3, r.fencingToken());
                ps.setLong(4, r.readExpiry());
                ps.addBatch();
            }
            return Batches.run(ps, renewals.size());
        }
    }

    /** Marks live attempts as held by their agent (a heartbeat listed them); an attempt gone meanwhile is skipped. */
    public static void acknowledge(Connection c, List<Long> fencingTokens) throws SQLException {
        if (fencingTokens.isEmpty()) return;
        try (PreparedStatement ps =
                c.prepareStatement("UPDATE live_attempts SET acknowledged = TRUE WHERE fencing_token = ?")) {
            for (long token : fencingTokens) {
                ps.setLong(1, token);
                ps.addBatch();
            }
            Batches.run(ps, fencingTokens.size());
        }
    }

    /**
     * Ends live attempts: each leaves {@code live_attempts}, compare-and-set on the lease expiry that
     * was read, and joins the history as it ended. Throws (so the transaction is retried on fresh
     * rows) if an attempt was renewed or ended meanwhile.
     */
    public static void endAll(Connection c, List<AttemptEnd> ends) throws SQLException {
        if (ends.isEmpty()) return;
        try (PreparedStatement ps =
                c.prepareStatement("DELETE FROM live_attempts WHERE fencing_token = ? AND lease_expires_at = ?")) {
            for (AttemptEnd e : ends) {
                ps.setLong(1, e.fencingToken());
                ps.setLong(2, e.readExpiry());
                ps.addBatch();
            }
            int[] counts = Batches.run(ps, ends.size());
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] != 1)
                    throw new ConcurrentChangeException("attempt " + ends.get(i).fencingToken() + " changed meanwhile");
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO attempts (" + ENDED_COLUMNS + ") "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (AttemptEnd e : ends) {
                AttemptRow a = e.attempt();
                ps.setLong(1, a.fencingToken());
                ps.setLong(2, a.jobId());
                ps.setInt(3, a.attemptNo());
                ps.setString(4, a.machine());
                ps.setInt(5, a.cpuMillis());
                ps.setLong(6, a.memoryBytes());
                ps.setLong(7, a.startedAt());
                ps.setBoolean(8, a.acknowledged());
                ps.setLong(9, e.endedAt());
                ps.setString(10, e.outcome().wireName());
                ps.setBoolean(11, e.reported());
                Columns.setInt(ps, 12, e.exitCode());
                Columns.setInt(ps, 13, e.signal());
                Columns.setDouble(ps, 14, e.cpuSeconds());
                Columns.setString(ps, 15, Columns.clip(e.message()));
                ps.setBoolean(16, a.stdoutTruncated());
                ps.setBoolean(17, a.stderrTruncated());
                Columns.setDouble(ps, 18, a.cpuSinceCheckpoint());
                ps.setInt(19, a.gpus());
                ps.addBatch();
            }
            Batches.run(ps, ends.size());
        }
    }

    /** Gives every live attempt a fresh lease: at start-up, after a time when no agent could reach us. */
    public static int extendAllLive(Connection c, long newExpiry) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE live_attempts SET lease_expires_at = ?")) {
            ps.setLong(1, newExpiry);
            return ps.executeUpdate();
        }
    }

    /**
     * Records that the attempt's output stream was cut at the size limit (its last upload may come after its end).
     *
     * @return whether this call marked it (false: it was marked already, or there is no such attempt)
     */
    public static boolean markTruncated(Connection c, long token, String stream) throws SQLException {
        String column = stream.equals("stderr") ? "stderr_truncated" : "stdout_truncated";
        for (String table : List.of("live_attempts", "attempts")) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET " + column
                    + " = TRUE WHERE fencing_token = ? AND " + column + " = FALSE")) {
                ps.setLong(1, token);
                if (ps.executeUpdate() > 0) return true;
            }
        }
        return false;
    }

    private static void queryByTokens(
            Connection c, String select, Collection<Long> tokens, boolean live, Map<Long, AttemptRow> out)
            throws SQLException {
        SelectByKeys.select(
                c,
                select,
                "fencing_token",
                tokens,
                live ? AttemptTable::readLive : AttemptTable::readEnded,
                AttemptRow::fencingToken,
                a -> out.put(a.fencingToken(), a));
    }

    private static List<AttemptRow> query(Connection c, String sql, boolean live, Object... args) throws SQLException {
        List<AttemptRow> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(live ? readLive(rs) : readEnded(rs));
            }
        }
        return out;
    }

    /** Reads the {@link #LIVE_COLUMNS} in their order. */
    private static AttemptRow readLive(ResultSet rs) throws SQLException {
        return new AttemptRow(
                rs.getLong(1), // fencing_token
                rs.getLong(2), // job_id
                rs.getInt(3), // attempt_no
                rs.getString(4), // machine
                rs.getInt(5), // cpu_millis
                rs.getLong(6), // memory_bytes
                rs.getLong(7), // started_at
                rs.getLong(8), // lease_expires_at
                rs.getBoolean(9), // acknowledged
                null,
                null,
                false,
                null,
                null,
                null,
                null, // not ended: no end time, outcome, report, exit, signal, CPU, message
                rs.getBoolean(10), // stdout_truncated
                rs.getBoolean(11), // stderr_truncated
                Columns.getDouble(rs, 12), // cpu_since_checkpoint
                rs.getInt(13)); // gpus
    }

    /** Reads the {@link #ENDED_COLUMNS} in their order. */
    private static AttemptRow readEnded(ResultSet rs) throws SQLException {
        return new AttemptRow(
                rs.getLong(1), // fencing_token
                rs.getLong(2), // job_id
                rs.getInt(3), // attempt_no
                rs.getString(4), // machine
                rs.getInt(5), // cpu_millis
                rs.getLong(6), // memory_bytes
                rs.getLong(7), // started_at
                null,
                rs.getBoolean(8), // acknowledged
                Columns.getLong(rs, 9), // ended_at
                outcome(rs.getString(10)), // outcome
                rs.getBoolean(11), // reported
                Columns.getInt(rs, 12), // exit_code
                Columns.getInt(rs, 13), // signal_no
                Columns.getDouble(rs, 14), // cpu_seconds
                rs.getString(15), // message
                rs.getBoolean(16), // stdout_truncated
                rs.getBoolean(17), // stderr_truncated
                Columns.getDouble(rs, 18), // cpu_since_checkpoint
                rs.getInt(19)); // gpus
    }

    /** The stored outcome (its wire name); null while the attempt is live. */
    private static AttemptOutcome outcome(String stored) {
        return stored == null ? null : AttemptOutcome.fromWire(stored);
    }
}
