package org.cyphon.coordinator.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link SqlWork} in transactions. Reads run on the caller's thread with a pooled connection.
 * Writes are <em>group-committed</em>: one writer thread takes every write waiting, runs them all
 * in one transaction (each in a savepoint of its own when there are several), commits once, and
 * only then returns to each caller.
 *
 * <p>Why: a durable commit is the expensive part (H2 writes a chunk of the file per commit; on
 * PostgreSQL it is an fsync), and a coordinator under load has many small writes (a report batch,
 * a heartbeat, a submit) at once. One commit for all of them keeps the cost per job low, and with
 * one writer two writes never race, so the compare-and-set writes in the tables do not fail in
 * practice (when one does, that work alone is rolled back to its savepoint and run again).
 * {@link #writePromptly} writes (heartbeats) go ahead of the queue, in batches of their own.
 *
 * <p>Contract for callers: the work must be repeatable (it reads what it needs from the connection
 * and keeps its results in what it returns) and must not call {@code write} itself. An exception
 * it throws rolls back only its own changes and is rethrown to its caller. Effects outside the
 * database (memory, files, waking agents) happen only after {@code write} has returned, i.e.
 * after the commit.
 */
public final class Transactions implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Transactions.class);
    private static final int MAX_TRIES = 25;
    private static final int MAX_BATCH = 1000;
    private static final String SAVEPOINT = "cyphon_work";
    /**
     * How long an ordinary batch may run while prompt writes wait: short enough that a heartbeat
     * waits little more than this for the writer, long enough that a commit (a chunk of the H2
     * file; a WAL flush on PostgreSQL) is still shared by dozens of writes.
     */
    private static final long ORDINARY_BATCH_BUDGET_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final DataSource ds;
    /**
     * Writes waiting for the writer, each kind in the order it came: the writer takes every {@link
     * #writePromptly prompt} one waiting before any ordinary one. First come, first written within
     * each: prompt writes once went in at the front of one deque, so under a steady stream of
     * heartbeats the newest went first and the oldest waited (bench/run scale: a beat p99 of 15 s
     * while its p50 was 0.2 s).
     */
    private final WriteQueue<Pending<?>> queue = new WriteQueue<>(MAX_BATCH);

    private final Thread writer;
    /** Where {@link #writeLater} futures complete: never on the writer. */
    private final ExecutorService completions = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("cyphon-after-commit-", 0).factory());

    private volatile boolean open = true;
    /** What the writer has done (written by it alone, read by /metrics): is the store the pool's ceiling? */
    private final AtomicLong busyNanos = new AtomicLong();

    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong writesCommitted = new AtomicLong();

    private static final class Pending<T> {
        final SqlWork<T> work;
        final boolean prompt;
        final CompletableFuture<T> done = new CompletableFuture<>();
        T result;
        RuntimeException failure;

        Pending(SqlWork<T> work, boolean prompt) {
            this.work = work;
            this.prompt = prompt;
        }
    }

    Transactions(DataSource ds) {
        this.ds = ds;
        this.writer = new Thread(this::writeLoop, "cyphon-store-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /** Runs the work in a transaction and returns once it is committed (durable). */
    public <T> T write(SqlWork<T> work) {
        return await(enqueue(new Pending<>(work, false)));
    }

    /**
     * Like {@link #write}, without waiting: the future completes once the work is committed, with its
     * result or its failure (the same exceptions {@code write} throws), on a thread of its own, never
     * the writer's, so what the caller chains to it cannot slow the writer down. For a request
     * handler that answers when the commit is done without holding a thread meanwhile: while the
     * pool dispatches, thousands of desks' reports wait for commits at once.
     */
    public <T> CompletableFuture<T> writeLater(SqlWork<T> work) {
        return afterCommit(enqueue(new Pending<>(work, false)));
    }

    /** {@link #writePromptly}, without waiting, as {@link #writeLater}. */
    public <T> CompletableFuture<T> writePromptlyLater(SqlWork<T> work) {
        return afterCommit(enqueue(new Pending<>(work, true)));
    }

    private <T> CompletableFuture<T> afterCommit(Pending<T> p) {
        // A virtual thread per completion: it lives for as long as the caller's continuation runs
        // (building and sending a reply) and keeps no stack while the work waits for the writer.
        return p.done.whenCompleteAsync((result, failure) -> {}, completions);
    }

    /**
     * Like {@link #write}, for a small write whose caller must not wait behind the backlog: it goes
     * ahead of every ordinary write still waiting, in a batch of prompt writes only, committed as
     * soon as the batch being written now is. For heartbeats: while the pool dispatches, the
     * writer's queue holds thousands of reports and assignments (bench/run scale), and a beat
     * behind them all waited seconds to renew a lease that the same wait could let run out. Still
     * durable before it returns; only the order among writes waiting at once changes, which no
     * caller relies on (writes from different threads were never ordered).
     */
    public <T> T writePromptly(SqlWork<T> work) {
        return await(enqueue(new Pending<>(work, true)));
    }

    private <T> Pending<T> enqueue(Pending<T> p) {
        if (Thread.currentThread() == writer) throw new IllegalStateException("write() called from inside a write");
        if (!open) throw new StoreException("the store is closed", null, true);
        queue.add(p, p.prompt);
        return p;
    }

    private <T> T await(Pending<T> p) {
        try {
            while (true) {
                try {
                    return p.done.get(1, TimeUnit.SECONDS);
                } catch (TimeoutException slow) {
                    // A big batch can take longer; only a writer that is gone will never answer.
                    if (!writer.isAlive()) throw new StoreException("the store is closed", null, true);
                }
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new StoreException("write failed: " + e.getCause(), e.getCause(), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for the commit", e, true);
        }
    }

    /** Runs read-only work on the caller's thread (it is committed too, which just ends the snapshot). */
    public <T> T read(SqlWork<T> work) {
        for (int attempt = 1; ; attempt++) {
            try (Connection c = ds.getConnection()) {
                try {
                    T result = work.run(c);
                    c.commit();
                    return result;
                } catch (Throwable e) {
                    rollbackQuietly(c);
                    throw e;
                }
            } catch (SQLException e) {
                if (!isTransient(e) || attempt >= MAX_TRIES)
                    throw new StoreException("database error: " + e.getMessage(), e, isTransient(e));
            }
        }
    }

    /** Writes queued for the writer, not yet taken into a batch. */
    int queued() {
        return queue.size();
    }

    /**
     * Finishes the writes already queued, then stops the writer. Never interrupts it: an interrupt
     * during H2's file I/O closes the file channel under the database.
     */
    @Override
    public void close() {
        open = false;
        try {
            writer.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Pending<?> p : queue.takeAll()) {
            p.done.completeExceptionally(new StoreException("the store is closed", null, true));
        }
        completions.close();
    }

    private void writeLoop() {
        List<Pending<?>> batch = new ArrayList<>();
        while (open || !queue.isEmpty()) {
            try {
                // Prompt writes in a batch of their own, so its commit is quick.
                if (!queue.takeBatch(batch, 50, TimeUnit.MILLISECONDS)) continue;
            } catch (InterruptedException e) {
                continue; // nobody should interrupt us; finish what is queued all the same
            }
            long started = System.nanoTime();
            commitBatch(batch);
            busyNanos.addAndGet(System.nanoTime() - started);
            batch.clear();
        }
    }

    /**
     * The single writer's load since the store opened: the time it spent running and committing
     * batches, its commits, and the writes those held. A writer busy nearly all the time is what
     * limits how fast the pool can dispatch; writes per commit say how much group commit saves.
     */
    public record WriterLoad(double busySeconds, long commits, long writes) {}

    public WriterLoad writerLoad() {
        return new WriterLoad(busyNanos.get() / 1e9, commits.get(), writesCommitted.get());
    }

    private void commitBatch(List<Pending<?>> batch) {
        long started = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            try (Connection c = ds.getConnection()) {
                try {
                    boolean alone = batch.size() == 1;
                    for (int i = 0; i < batch.size(); i++) {
                        runIsolated(c, batch.get(i), alone);
                        if (i + 1 < batch.size() && yieldsToPrompt(batch.get(i), started)) {
                            List<Pending<?>> rest = batch.subList(i + 1, batch.size());
                            queue.putBack(new ArrayList<>(rest));
                            rest.clear();
                        }
                    }
                    c.commit();
                } catch (SQLException | RuntimeException e) {
                    rollbackQuietly(c);
                    throw e;
                }
                commits.incrementAndGet();
                writesCommitted.addAndGet(batch.size());
                for (Pending<?> p : batch) finish(p);
                return;
            } catch (SQLException | RuntimeException e) {
                // The connection or the commit failed: nothing of the batch is committed; run it all again.
                if (attempt >= 3 || !(e instanceof SQLException s && isTransient(s))) {
                    log.warn("a batch of {} write(s) failed: {}", batch.size(), e.toString());
                    StoreException failure = new StoreException("database error: " + e.getMessage(), e, false);
                    for (Pending<?> p : batch) p.done.completeExceptionally(failure);
                    return;
                }
                for (Pending<?> p : batch) {
                    p.result = null;
                    p.failure = null;
                }
            }
        }
    }

    /**
     * Whether an ordinary batch stops here, committing what it ran and leaving the rest first in
     * line: it has run for {@link #ORDINARY_BATCH_BUDGET_NANOS} and a prompt write is waiting. A
     * batch of a thousand reports takes a quarter of a second; a heartbeat waiting for all of it
     * (bench/run scale: 150-250 ms) is a heartbeat its desk may time out on.
     */
    private boolean yieldsToPrompt(Pending<?> ran, long started) {
        return !ran.prompt && System.nanoTime() - started > ORDINARY_BATCH_BUDGET_NANOS && queue.promptWaiting();
    }

    /**
     * Runs one work, retrying it after a lost race. With other works in the same transaction it
     * runs in a savepoint, so a failure undoes only its own changes; alone it needs none (a
     * savepoint is a statement of its own), and a failure rolls back the whole transaction.
     */
    private static <T> void runIsolated(Connection c, Pending<T> p, boolean alone) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            // One name for every savepoint: the statement text stays the same, so the database
            // keeps it parsed; a savepoint set again under the same name is the one rolled back to.
            Savepoint sp = alone ? null : c.setSavepoint(SAVEPOINT);
            try {
                p.result = p.work.run(c);
                p.failure = null;
                return;
            } catch (ConcurrentChangeException e) {
                undo(c, sp);
                if (attempt >= MAX_TRIES) {
                    p.failure = new StoreException("the store is busy (" + e.getMessage() + "); try again", e, true);
                    return;
                }
            } catch (SQLException e) {
                undo(c, sp);
                if (!isTransient(e) || attempt >= MAX_TRIES) {
                    p.failure = new StoreException("database error: " + e.getMessage(), e, isTransient(e));
                    return;
                }
            } catch (RuntimeException e) {
                undo(c, sp);
                p.failure = e;
                return;
            }
        }
    }

    private static void undo(Connection c, Savepoint sp) throws SQLException {
        if (sp == null) c.rollback();
        else c.rollback(sp);
    }

    private static <T> void finish(Pending<T> p) {
        if (p.failure != null) p.done.completeExceptionally(p.failure);
        else p.done.complete(p.result);
    }

    /** Deadlock, serialization failure, lock timeout, or H2's "concurrent update". */
    static boolean isTransient(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                String state = s.getSQLState();
                if (state != null && (state.startsWith("40") || state.equals("HYT00") || state.equals("55P03")))
                    return true;
                int code = s.getErrorCode();
                if (code == 50200 || code == 40001 || code == 90131) return true;
            }
        }
        return false;
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            log.warn("rollback failed: {}", e.toString());
        }
    }
}
