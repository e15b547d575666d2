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

/** SQL for the {@code attempts} table; batch reads and writes only. */
public final class AttemptTable {
    private static final String COLUMNS = "fencing_token, job_id, attempt_no, machine, cpu_millis, memory_bytes, started_at, "
            + "lease_expires_at, acknowledged, ended_at, outcome, reported, exit_code, signal_no, cpu_seconds, message, "
            + "stdout_truncated, stderr_truncated, cpu_since_checkpoint";

    private AttemptTable() {}

    /** Per-machine totals of the live attempts. */
    public record Usage(int cpuMillis, long memoryBytes, int attempts) {}

    /**
     * A lease renewal, compare-and-set on the expiry that was read.
     *
     * @param cpuSinceCheckpoint the agent's latest figure, or null to keep the one stored
     */
    public record Renewal(long fencingToken, long readExpiry, long newExpiry, Double cpuSinceCheckpoint) {}

    public static void insert(Connection c, List<AttemptRow> rows) throws SQLException {
        if (rows.isEmpty()) return;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO attempts (" + COLUMNS + ") VALUES "
                + "(?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, FALSE, NULL, NULL, NULL, NULL, FALSE, FALSE, NULL)")) {
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
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    public static AttemptRow byToken(Connection c, long token) throws SQLException {
        return byTokens(c, List.of(token)).get(token);
    }

    public static Map<Long, AttemptRow> byTokens(Connection c, Collection<Long> tokens) throws SQLException {
        Map<Long, AttemptRow> out = new HashMap<>();
        for (List<Long> chunk : Placeholders.chunks(tokens)) {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM attempts WHERE fencing_token IN (" + Placeholders.of(chunk.size()) + ")")) {
                for (int i = 0; i < chunk.size(); i++) ps.setLong(i + 1, chunk.get(i));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        AttemptRow a = read(rs);
                        out.put(a.fencingToken(), a);
                    }
                }
            }
        }
        return out;
    }

    public static List<AttemptRow> byJob(Connection c, long jobId) throws SQLException {
        return query(c, "SELECT " + COLUMNS + " FROM attempts WHERE job_id = ? ORDER BY attempt_no", jobId);
    }

    /** Attempt {@code attemptNo} of the job, or null. */
    public static AttemptRow byJobAttempt(Connection c, long jobId, int attemptNo) throws SQLException {
        List<AttemptRow> r = query(c, "SELECT " + COLUMNS + " FROM attempts WHERE job_id = ? AND attempt_no = ?", jobId, attemptNo);
        return r.isEmpty() ? null : r.get(0);
    }

    /** Live attempts whose lease ran out at or before {@code now}, the oldest first. */
    public static List<AttemptRow> expired(Connection c, long now, int limit) throws SQLException {
        return query(c, "SELECT " + COLUMNS + " FROM attempts WHERE lease_expires_at <= ? ORDER BY lease_expires_at FETCH FIRST ? ROWS ONLY", now, limit);
    }

    public static List<AttemptRow> live(Connection c) throws SQLException {
        return query(c, "SELECT " + COLUMNS + " FROM attempts WHERE lease_expires_at IS NOT NULL");
    }

    public static List<AttemptRow> liveOn(Connection c, String machine) throws SQLException {
        return query(c, "SELECT " + COLUMNS + " FROM attempts WHERE machine = ? AND lease_expires_at IS NOT NULL", machine);
    }

    public static Map<String, Usage> liveUsageByMachine(Connection c) throws SQLException {
        Map<String, Usage> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT machine, SUM(cpu_millis), SUM(memory_bytes), COUNT(*) FROM attempts "
                + "WHERE lease_expires_at IS NOT NULL GROUP BY machine");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.put(rs.getString(1), new Usage((int) rs.getLong(2), rs.getLong(3), (int) rs.getLong(4)));
        }
        return out;
    }

    /** @return per renewal 1 if written, 0 if the attempt's lease changed meanwhile (ended or expired) */
    public static int[] renew(Connection c, List<Renewal> renewals) throws SQLException {
        if (renewals.isEmpty()) return new int[0];
        try (PreparedStatement ps = c.prepareStatement("UPDATE attempts SET lease_expires_at = ?, acknowledged = TRUE, "
                + "cpu_since_checkpoint = COALESCE(?, cpu_since_checkpoint) WHERE fencing_token = ? AND lease_expires_at = ?")) {
            for (Renewal r : renewals) {
                ps.setLong(1, r.newExpiry());
                Columns.setDouble(ps, 2, r.cpuSinceCheckpoint());
                ps.setLong(3, r.fencingToken());
                ps.setLong(4, r.readExpiry());
                ps.addBatch();
            }
            return counts(ps.executeBatch());
        }
    }

    /**
     * Ends live attempts, compare-and-set on the lease expiry that was read; throws (so the
     * transaction is retried on fresh rows) if an attempt was renewed or ended meanwhile.
     */
    public static void endAll(Connection c, List<AttemptEnd> ends) throws SQLException {
        if (ends.isEmpty()) return;
        try (PreparedStatement ps = c.prepareStatement("UPDATE attempts SET lease_expires_at = NULL, ended_at = ?, outcome = ?, "
                + "reported = ?, exit_code = ?, signal_no = ?, cpu_seconds = ?, message = ? "
                + "WHERE fencing_token = ? AND lease_expires_at = ?")) {
            for (AttemptEnd e : ends) {
                ps.setLong(1, e.endedAt());
                ps.setString(2, e.outcome());
                ps.setBoolean(3, e.reported());
                Columns.setInt(ps, 4, e.exitCode());
                Columns.setInt(ps, 5, e.signal());
                Columns.setDouble(ps, 6, e.cpuSeconds());
                Columns.setString(ps, 7, Columns.clip(e.message()));
                ps.setLong(8, e.fencingToken());
                ps.setLong(9, e.readExpiry());
                ps.addBatch();
            }
            int[] counts = counts(ps.executeBatch());
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] != 1) throw new ConcurrentChangeException("attempt " + ends.get(i).fencingToken() + " changed meanwhile");
            }
        }
    }

    /** Gives every live attempt a fresh lease: at start-up, after a time when no agent could reach us. */
    public static int extendAllLive(Connection c, long newExpiry) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE attempts SET lease_expires_at = ? WHERE lease_expires_at IS NOT NULL")) {
            ps.setLong(1, newExpiry);
            return ps.executeUpdate();
        }
    }

    public static void markTruncated(Connection c, long token, String stream) throws SQLException {
        String column = stream.equals("stderr") ? "stderr_truncated" : "stdout_truncated";
        try (PreparedStatement ps = c.prepareStatement("UPDATE attempts SET " + column + " = TRUE WHERE fencing_token = ?")) {
            ps.setLong(1, token);
            ps.executeUpdate();
        }
    }

    private static List<AttemptRow> query(Connection c, String sql, Object... args) throws SQLException {
        List<AttemptRow> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(read(rs));
            }
        }
        return out;
    }

    private static int[] counts(int[] counts) {
        for (int i = 0; i < counts.length; i++) if (counts[i] < 0) counts[i] = 1; // SUCCESS_NO_INFO
        return counts;
    }

    private static AttemptRow read(ResultSet rs) throws SQLException {
        return new AttemptRow(
                rs.getLong("fencing_token"),
                rs.getLong("job_id"),
                rs.getInt("attempt_no"),
                rs.getString("machine"),
                rs.getInt("cpu_millis"),
                rs.getLong("memory_bytes"),
                rs.getLong("started_at"),
                Columns.getLong(rs, "lease_expires_at"),
                rs.getBoolean("acknowledged"),
                Columns.getLong(rs, "ended_at"),
                rs.getString("outcome"),
                rs.getBoolean("reported"),
                Columns.getInt(rs, "exit_code"),
                Columns.getInt(rs, "signal_no"),
                Columns.getDouble(rs, "cpu_seconds"),
                rs.getString("message"),
                rs.getBoolean("stdout_truncated"),
                rs.getBoolean("stderr_truncated"),
                Columns.getDouble(rs, "cpu_since_checkpoint"));
    }
}
