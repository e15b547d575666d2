package org.cyphon.coordinator.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refreshes PostgreSQL's planner statistics of the {@code jobs} table's states soon after bulk
 * changes to it, on a thread of its own; on H2 it does nothing.
 *
 * <p>Why: PostgreSQL plans each query from statistics that autovacuum refreshes only after its
 * nap (a minute by default, longer on a busy server). Until then, a million jobs just submitted
 * are unknown to the planner, and the listing {@code cyphon q} sends ({@link JobTable#list}: the
 * newest jobs of a state, {@code jobs_by_state} order) is planned for a hundred rows: a bitmap scan
 * of every queued job, then a sort of them all (660 ms for a million, EXPLAIN ANALYZE, against
 * 0.4 ms reading the newest thousand in index order once the statistics say a million). A hold or
 * cancel of a whole queue in one request moves the states as suddenly, and is told here too.
 *
 * <p>What: {@code ANALYZE jobs (state)} from a sample of {@value #SAMPLE_TARGET} x 300 rows: the
 * row count and the share of each state, which is what these plans turn on. It takes ~20 ms at a
 * million jobs (the default sample of 30,000 rows and every column: ~150 ms, which a bulk submit
 * would pay every few of its requests), reads and writes go on meanwhile, and it runs after the
 * commit, never in a request. Autovacuum still analyzes the whole table as before: a column's
 * ANALYZE leaves the table's count of changes for it.
 *
 * <p>When: once the jobs changed since the last refresh reach a tenth of the rows it counted
 * (autovacuum's own rule), at least {@value #MIN_CHANGES} (a plan misjudged for fewer costs
 * milliseconds) and at most {@value #MAX_CHANGES} (a state grown by that much unseen makes a
 * listing read all of them, ~70 ms). One at a time; changes made while it runs count toward the
 * next. Changes not made in bulk (assignments, reports) are left to autovacuum: they change the
 * table a job at a time, at a rate it keeps up with.
 */
public final class PlannerStatistics implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PlannerStatistics.class);
    /** The fewest changed jobs that start an ANALYZE. */
    public static final int MIN_CHANGES = 10_000;

    static final int MAX_CHANGES = 100_000;
    /** PostgreSQL's statistics target for the refresh: samples 300 times this many rows. */
    static final int SAMPLE_TARGET = 10;

    private final DataSource ds;
    private final ExecutorService thread;
    /** Jobs inserted or changed since the last refresh began. */
    private final AtomicLong changes = new AtomicLong();
    /** The rows the last ANALYZE counted (PostgreSQL's {@code pg_class.reltuples}); 0 before any. */
    private volatile long analyzedRows;

    private final AtomicBoolean running = new AtomicBoolean();

    private PlannerStatistics(DataSource ds, long analyzedRows) {
        this.ds = ds;
        this.analyzedRows = analyzedRows;
        this.thread = ds == null
                ? null
                : Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "cyphon-planner-statistics");
                    t.setDaemon(true);
                    return t;
                });
    }

    /** For the store at {@code ds}: refreshes PostgreSQL's statistics, nothing for H2 (its own plans do not need it). */
    static PlannerStatistics of(Dialect dialect, DataSource ds) throws SQLException {
        if (dialect != Dialect.POSTGRESQL) return new PlannerStatistics(null, 0);
        try (Connection c = ds.getConnection()) {
            long rows = analyzedRows(c);
            c.commit();
            return new PlannerStatistics(ds, rows);
        }
    }

    /**
     * {@code n} jobs were inserted or changed, committed: starts a refresh when enough have
     * changed since the last one. Returns at once.
     */
    public void jobsChanged(long n) {
        if (thread == null || n <= 0) return;
        changes.addAndGet(n);
        startIfDue();
    }

    /** How many jobs changed start a refresh. */
    long threshold() {
        return Math.clamp(analyzedRows / 10, MIN_CHANGES, MAX_CHANGES);
    }

    private void startIfDue() {
        if (changes.get() >= threshold() && running.compareAndSet(false, true)) {
            try {
                thread.execute(this::analyzeWhileDue);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                running.set(false); // closing: nothing more to refresh
            }
        }
    }

    private void analyzeWhileDue() {
        try {
            for (long due = changes.get(); due >= threshold(); due = changes.get()) {
                // Changes from here on may be missed by the sample: they count toward the next one.
                changes.addAndGet(-due);
                analyze();
            }
        } finally {
            running.set(false);
        }
        startIfDue(); // changes that came after the last check, while this one still ran
    }

    private void analyze() {
        long start = System.nanoTime();
        try (Connection c = ds.getConnection()) {
            try (Statement st = c.createStatement()) {
                st.execute("SET LOCAL default_statistics_target = " + SAMPLE_TARGET); // until the commit
                st.execute("ANALYZE jobs (state)");
            }
            analyzedRows = analyzedRows(c);
            c.commit();
            log.debug(
                    "ANALYZE jobs (state): {} rows, {} ms",
                    analyzedRows,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        } catch (SQLException | RuntimeException e) {
            // Autovacuum still refreshes them later: a failure here costs only speed until then.
            log.warn(
                    "could not refresh the database's statistics of the jobs' states (ANALYZE jobs (state)): {}",
                    e.toString());
        }
    }

    private static long analyzedRows(Connection c) throws SQLException {
        try (PreparedStatement ps =
                        c.prepareStatement("SELECT reltuples FROM pg_class WHERE oid = to_regclass('jobs')");
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Math.max(0, (long) rs.getDouble(1)) : 0; // -1: never analyzed
        }
    }

    /** Lets a refresh under way finish (the pool closes after this); none starts after. */
    @Override
    public void close() {
        if (thread == null) return;
        thread.shutdown();
        try {
            if (!thread.awaitTermination(10, TimeUnit.SECONDS)) log.warn("ANALYZE jobs (state) still runs after 10 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
