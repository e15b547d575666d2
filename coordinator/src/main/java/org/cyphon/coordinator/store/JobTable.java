package org.cyphon.coordinator.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.cyphon.core.job.JobSpecs;
import org.cyphon.core.job.JobState;

/**
 * SQL for the {@code jobs} table. Every multi-row read is one query per {@value Placeholders#CHUNK}
 * ids and every multi-row write one JDBC batch, so no caller does a query per job.
 */
public final class JobTable {
    static final String STATUS_COLUMNS = "id, owner, state, version, priority, cpu_millis, memory_bytes, max_attempts, "
            + "attempt_count, lost_count, current_token, machine, queued_at, started_at, run_ended_at, finished_at, "
            + "exit_code, cpu_seconds, reason, checkpoint_exit_code, lost_cpu_seconds, name, runtime_seconds, requires, "
            + "disk_bytes, network, gpus";
    static final String ROW_COLUMNS =
            STATUS_COLUMNS + ", command, env, job_index, submitted_at, checkpoint_every_seconds, secret_env, files";

    private static final String INSERT = "INSERT INTO jobs (id, name, owner, state, version, command, env, cpu_millis, "
            + "memory_bytes, runtime_seconds, priority, job_index, max_attempts, attempt_count, lost_count, submitted_at, queued_at, "
            + "checkpoint_every_seconds, checkpoint_exit_code, lost_cpu_seconds, requires, secret_env, reason, files, "
            + "disk_bytes, network, gpus) VALUES (?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?)";
    private static final String UPDATE = "UPDATE jobs SET state = ?, version = ?, attempt_count = ?, lost_count = ?, "
            + "current_token = ?, machine = ?, queued_at = ?, started_at = ?, run_ended_at = ?, finished_at = ?, "
            + "exit_code = ?, cpu_seconds = ?, reason = ?, lost_cpu_seconds = ? WHERE id = ? AND version = ?";

    private JobTable() {}

    /**
     * A submitted job before it has an id: the store inserts it QUEUED.
     *
     * @param secretEnv its secret variables in clear: sealed for its id by {@link #insert}'s sealer,
     *                  never stored as they are
     * @param filesJson its files ({@code JobFiles} as JSON), or null when it has none
     * @param diskBytes its {@code --disk}; null: not asked
     * @param network   {@code "host"} or {@code "none"}
     */
    public record NewJob(
            String name,
            String owner,
            String commandJson,
            String envJson,
            int cpuMillis,
            long memoryBytes,
            Long runtimeSeconds,
            int priority,
            int index,
            int maxAttempts,
            Long checkpointEverySeconds,
            int checkpointExitCode,
            String requiresJson,
            Map<String, String> secretEnv,
            String filesJson,
            Long diskBytes,
            String network,
            int gpus) {

        /** A job without files or GPUs. */
        public NewJob(
                String name,
                String owner,
                String commandJson,
                String envJson,
                int cpuMillis,
                long memoryBytes,
                Long runtimeSeconds,
                int priority,
                int index,
                int maxAttempts,
                Long checkpointEverySeconds,
                int checkpointExitCode,
                String requiresJson,
                Map<String, String> secretEnv) {
            this(
                    name,
                    owner,
                    commandJson,
                    envJson,
                    cpuMillis,
                    memoryBytes,
                    runtimeSeconds,
                    priority,
                    index,
                    maxAttempts,
                    checkpointEverySeconds,
                    checkpointExitCode,
                    requiresJson,
                    secretEnv,
                    null,
                    null,
                    null,
                    0);
        }
    }

    /** Seals a job's secret variables once its id is known (the id is part of what seals them). */
    public interface SecretSealer {
        Map<String, String> seal(long jobId, Map<String, String> secretEnv);
    }

    /** Inserts the jobs with the given ids (same order), all QUEUED at {@code now}. */
    public static void insert(Connection c, long[] ids, List<NewJob> jobs, long now, SecretSealer sealer)
            throws SQLException {
        insert(c, ids, jobs, now, sealer, JobState.QUEUED, null);
    }

    /**
     * Inserts the jobs with the given ids (same order), all in {@code state} (QUEUED, or WAITING or
     * HELD for jobs with dependencies) with that reason.
     */
    public static void insert(
            Connection c, long[] ids, List<NewJob> jobs, long now, SecretSealer sealer, JobState state, String reason)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            for (int i = 0; i < jobs.size(); i++) {
                NewJob j = jobs.get(i);
                ps.setLong(1, ids[i]);
                ps.setString(2, j.name());
                ps.setString(3, j.owner());
                ps.setString(4, state.name());
                ps.setString(5, j.commandJson());
                ps.setString(6, j.envJson());
                ps.setInt(7, j.cpuMillis());
                ps.setLong(8, j.memoryBytes());
                Columns.setLong(ps, 9, j.runtimeSeconds());
                ps.setInt(10, j.priority());
                ps.setInt(11, j.index());
                ps.setInt(12, j.maxAttempts());
                ps.setLong(13, now);
                ps.setLong(14, now);
                Columns.setLong(ps, 15, j.checkpointEverySeconds());
                ps.setInt(16, j.checkpointExitCode());
                Columns.setString(ps, 17, j.requiresJson());
                Columns.setString(
                        ps,
                        18,
                        j.secretEnv().isEmpty() ? null : StoredJson.sealedSecrets(sealer.seal(ids[i], j.secretEnv())));
                Columns.setString(ps, 19, reason);
                Columns.setString(ps, 20, j.filesJson());
                Columns.setLong(ps, 21, j.diskBytes());
                Columns.setString(ps, 22, j.network());
                ps.setInt(23, j.gpus());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    public static JobStatus status(Connection c, long id) throws SQLException {
        return statuses(c, List.of(id)).get(id);
    }

    public static Map<Long, JobStatus> statuses(Connection c, Collection<Long> ids) throws SQLException {
        Map<Long, JobStatus> out = new HashMap<>();
        SelectByKeys.select(
                c,
                "SELECT " + STATUS_COLUMNS + " FROM jobs",
                "id",
                ids,
                JobTable::readStatus,
                JobStatus::id,
                s -> out.put(s.id(), s));
        return out;
    }

    public static JobRow row(Connection c, long id) throws SQLException {
        return rows(c, List.of(id)).get(id);
    }

    /**
     * The job, from the jobs table or, when it finished long ago, the archive ({@link JobArchive});
     * null when neither has it. For reading only: nothing changes an archived job.
     */
    public static JobRow rowIncludingArchive(Connection c, long id) throws SQLException {
        JobRow r = row(c, id);
        if (r != null) return r;
        try (PreparedStatement ps = c.prepareStatement("SELECT " + ROW_COLUMNS + " FROM jobs_archive WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? readRow(rs) : null;
            }
        }
    }

    /** Like {@link #rowIncludingArchive}, its status only. */
    public static JobStatus statusIncludingArchive(Connection c, long id) throws SQLException {
        JobRow r = rowIncludingArchive(c, id);
        return r == null ? null : r.status();
    }

    public static Map<Long, JobRow> rows(Connection c, Collection<Long> ids) throws SQLException {
        Map<Long, JobRow> out = new HashMap<>();
        SelectByKeys.select(
                c,
                "SELECT " + ROW_COLUMNS + " FROM jobs",
                "id",
                ids,
                JobTable::readRow,
                r -> r.status().id(),
                r -> out.put(r.status().id(), r));
        return out;
    }

    /**
     * Writes each changed status compare-and-set on the version it was read with.
     *
     * @return per status (in the order given) 1 if written, 0 if the row had changed meanwhile
     */
    public static int[] update(Connection c, List<JobStatus> changed) throws SQLException {
        if (changed.isEmpty()) return new int[0];
        try (PreparedStatement ps = c.prepareStatement(UPDATE)) {
            for (JobStatus s : changed) {
                ps.setString(1, s.state().name());
                ps.setInt(2, s.version() + 1);
                ps.setInt(3, s.attemptCount());
                ps.setInt(4, s.lostCount());
                Columns.setLong(ps, 5, s.currentToken());
                Columns.setString(ps, 6, s.machine());
                Columns.setLong(ps, 7, s.queuedAt());
                Columns.setLong(ps, 8, s.startedAt());
                Columns.setLong(ps, 9, s.runEndedAt());
                Columns.setLong(ps, 10, s.finishedAt());
                Columns.setInt(ps, 11, s.exitCode());
                Columns.setDouble(ps, 12, s.cpuSeconds());
                Columns.setString(ps, 13, s.reason());
                ps.setDouble(14, s.lostCpuSeconds());
                ps.setLong(15, s.id());
                ps.setInt(16, s.version());
                ps.addBatch();
            }
            int[] counts = ps.executeBatch();
            for (int i = 0; i < counts.length; i++) if (counts[i] < 0) counts[i] = 1; // SUCCESS_NO_INFO
            return counts;
        }
    }

    /** Like {@link #update} but all or nothing: a lost race throws, so the transaction is retried. Writes in id order. */
    public static void updateAll(Connection c, Collection<JobStatus> changed) throws SQLException {
        List<JobStatus> sorted = new ArrayList<>(changed);
        sorted.sort(Comparator.comparingLong(JobStatus::id)); // one lock order for every writer
        int[] counts = update(c, sorted);
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] != 1)
                throw new ConcurrentChangeException("job " + sorted.get(i).id() + " changed meanwhile");
        }
    }

    /**
     * Counts by state stop here: {@link #countByState} reports a state with more matching jobs as
     * this many ("at least"). Why: an exact count reads one index entry per job, and a queue of a
     * million would make every {@code cyphon q} read a million; a count up to this costs what a
     * listing of this many would.
     */
    public static final long COUNT_CAP = 100_000;

    /**
     * The {@code limit} newest jobs matching the filter, oldest first.
     *
     * <p>One query per state (every state when the filter names none), each reading
     * {@code jobs_by_state} (state, id descending) from its newest entry, then merged: a single
     * query over several states, or over the primary key in descending order, makes H2 2.2 read
     * every matching job and sort them (half a second and more for a queue of a million).
     * PostgreSQL reads each state's newest jobs in index order only when its statistics know how
     * many there are; after bulk changes {@link PlannerStatistics} sees that they do.
     */
    public static List<JobRow> list(Connection c, JobFilter f) throws SQLException {
        List<JobRow> out = new ArrayList<>();
        java.util.Collection<JobState> states =
                f.states() == null || f.states().isEmpty() ? List.of(JobState.values()) : f.states();
        // A merge of the per-state cursors, newest first: no more rows are read than are listed.
        List<PreparedStatement> statements = new ArrayList<>();
        List<ResultSet> cursors = new ArrayList<>();
        try {
            for (JobState state : new java.util.LinkedHashSet<>(states)) {
                List<Object> args = new ArrayList<>();
                String where = where(f, state, args);
                if (f.before() != null) { // keyset paging (the dashboard's older pages): no OFFSET
                    where += " AND id < ?";
                    args.add(f.before());
                }
                String sql = "SELECT " + ROW_COLUMNS + " FROM jobs" + where
                        + " ORDER BY state, id DESC FETCH FIRST ? ROWS ONLY";
                args.add(f.limit());
                PreparedStatement ps = prepare(c, sql, args);
                statements.add(ps);
                ResultSet rs = ps.executeQuery();
                if (rs.next()) cursors.add(rs);
                else rs.close();
            }
            while (out.size() < f.limit() && !cursors.isEmpty()) {
                ResultSet newest = cursors.get(0);
                for (ResultSet rs : cursors) if (rs.getLong(1) > newest.getLong(1)) newest = rs;
                out.add(readRow(newest));
                if (!newest.next()) {
                    newest.close();
                    cursors.remove(newest);
                }
            }
        } finally {
            for (ResultSet rs : cursors) rs.close();
            for (PreparedStatement ps : statements) ps.close();
        }
        Collections.reverse(out);
        return out;
    }

    /**
     * How many jobs match the filter (its limit aside), by state, each counted up to
     * {@link #COUNT_CAP}: a state at the cap has at least that many. States with none are left out.
     */
    public static Map<JobState, Long> countByState(Connection c, JobFilter f) throws SQLException {
        Map<JobState, Long> out = new java.util.EnumMap<>(JobState.class);
        java.util.Collection<JobState> states =
                f.states() == null || f.states().isEmpty() ? List.of(JobState.values()) : f.states();
        for (JobState state : new java.util.LinkedHashSet<>(states)) {
            List<Object> args = new ArrayList<>();
            String sql = "SELECT COUNT(*) FROM (SELECT 1 FROM jobs" + where(f, state, args) + " FETCH FIRST "
                    + COUNT_CAP + " ROWS ONLY) counted";
            try (PreparedStatement ps = prepare(c, sql, args);
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                long n = rs.getLong(1);
                if (n > 0) out.put(state, n);
            }
        }
        return out;
    }

    /** Every job matching the filter (its limit aside), in id order: what a filtered cancel, hold or release changes. */
    public static List<JobStatus> matching(Connection c, JobFilter f) throws SQLException {
        List<Object> args = new ArrayList<>();
        String sql = "SELECT " + STATUS_COLUMNS + " FROM jobs" + where(f, null, args) + " ORDER BY id";
        List<JobStatus> out = new ArrayList<>();
        try (PreparedStatement ps = prepare(c, sql, args);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.add(readStatus(rs));
        }
        return out;
    }

    /** The filter as a WHERE clause; {@code onlyState}, when given, instead of the filter's states. */
    private static String where(JobFilter f, JobState onlyState, List<Object> args) {
        StringBuilder sql = new StringBuilder(" WHERE 1 = 1");
        if (onlyState != null) {
            sql.append(" AND state = ?");
            args.add(onlyState.name());
        } else if (f.states() != null && !f.states().isEmpty()) {
            sql.append(" AND state IN (")
                    .append(Placeholders.of(f.states().size()))
                    .append(')');
            for (JobState s : f.states()) args.add(s.name());
        }
        if (f.owner() != null) {
            sql.append(" AND owner = ?");
            args.add(f.owner());
        }
        if (f.name() != null) {
            sql.append(" AND name = ?");
            args.add(f.name());
        }
        if (f.machine() != null) {
            sql.append(" AND machine = ?");
            args.add(f.machine());
        }
        return sql.toString();
    }

    private static PreparedStatement prepare(Connection c, String sql, List<Object> args) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        try {
            for (int i = 0; i < args.size(); i++) ps.setObject(i + 1, args.get(i));
            return ps;
        } catch (SQLException e) {
            ps.close();
            throw e;
        }
    }

    /** Reads the {@link #STATUS_COLUMNS}, which a query selects first, in their order. */
    static JobStatus readStatus(ResultSet rs) throws SQLException {
        return new JobStatus(
                rs.getLong(1), // id
                rs.getString(2), // owner
                JobState.valueOf(rs.getString(3)), // state
                rs.getInt(4), // version
                rs.getInt(5), // priority
                rs.getInt(6), // cpu_millis
                rs.getLong(7), // memory_bytes
                rs.getInt(8), // max_attempts
                rs.getInt(9), // attempt_count
                rs.getInt(10), // lost_count
                Columns.getLong(rs, 11), // current_token
                rs.getString(12), // machine
                Columns.getLong(rs, 13), // queued_at
                Columns.getLong(rs, 14), // started_at
                Columns.getLong(rs, 15), // run_ended_at
                Columns.getLong(rs, 16), // finished_at
                Columns.getInt(rs, 17), // exit_code
                Columns.getDouble(rs, 18), // cpu_seconds
                rs.getString(19), // reason
                // Jobs submitted before checkpoints existed have none stored: the default applies.
                Objects.requireNonNullElse(
                        Columns.getInt(rs, 20), JobSpecs.DEFAULT_CHECKPOINT_EXIT_CODE), // checkpoint_exit_code
                rs.getDouble(21), // lost_cpu_seconds
                rs.getString(22), // name
                Columns.getLong(rs, 23), // runtime_seconds
                StoredJson.readLabels(rs.getString(24)), // requires
                Columns.getLong(rs, 25), // disk_bytes
                rs.getString(26), // network
                rs.getInt(27)); // gpus
    }

    /** Reads the {@link #ROW_COLUMNS}: the status's by position, the rest by name. */
    static JobRow readRow(ResultSet rs) throws SQLException {
        JobStatus status = readStatus(rs);
        return new JobRow(
                status,
                status.name(),
                StoredJson.readCommand(rs.getString("command")),
                StoredJson.readEnv(rs.getString("env")),
                status.runtimeSeconds(),
                rs.getInt("job_index"),
                rs.getLong("submitted_at"),
                Columns.getLong(rs, "checkpoint_every_seconds"),
                StoredJson.readSealedSecrets(rs.getString("secret_env")),
                StoredJson.readFiles(rs.getString("files")));
    }
}
