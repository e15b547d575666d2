package org.cyphon.coordinator.schedule;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.cyphon.coordinator.lifecycle.NextJobStatus;
import org.cyphon.coordinator.lifecycle.Step;
import org.cyphon.coordinator.store.AttemptRow;
import org.cyphon.coordinator.store.AttemptTable;
import org.cyphon.coordinator.store.CheckpointTable;
import org.cyphon.coordinator.store.Database;
import org.cyphon.coordinator.store.EventRow;
import org.cyphon.coordinator.store.EventTable;
import org.cyphon.coordinator.store.JobRow;
import org.cyphon.coordinator.store.JobStatus;
import org.cyphon.coordinator.store.JobTable;
import org.cyphon.core.job.JobState;
import org.cyphon.core.protocol.WorkAssignment;
import org.cyphon.core.schedule.Assignment;

/**
 * Writes placement's assignments as attempts, in chunks of {@link #CHUNK} jobs, each a write of
 * its own (the writer commits several together, or one alone): per job, QUEUED -> RUNNING
 * (core's ASSIGN) compare-and-set on its version, a new fencing token from the sequence, and a
 * lease of {@code now + lease}. A job that is no longer queued in the store (cancelled or held
 * meanwhile) is skipped, not an error. A few statements per chunk whatever its size; the jobs are
 * read before, outside the writer, which only writes.
 */
final class AssignQueuedJobs {
    /** An attempt written, with what to hand the agent. */
    record Started(AttemptRow attempt, WorkAssignment work, long queuedAt, JobRow job) {}

    /**
     * @param notQueued jobs the scheduler thought queued but the store did not (as read before the write)
     * @param failure   why a chunk was not written (the others were: their attempts exist and
     *                  must reach their agents before the caller throws it), or null
     */
    record Result(List<Started> started, List<Long> notQueued, List<EventRow> events, RuntimeException failure) {}

    /** Jobs per write; see {@link #write}. */
    static final int CHUNK = 256;

    private final Database db;

    AssignQueuedJobs(Database db) {
        this.db = db;
    }

    /**
     * @param epoch          the leader's epoch the pass was planned in ({@link org.cyphon.coordinator.ha.Leadership#fence})
     * @param autoCheckpoint for jobs that left their checkpoint interval to Cyphon
     *                       ({@code --checkpoint-every auto}): the interval to ask for on a machine
     */
    Result write(
            List<Assignment> plan,
            long now,
            long leaseMillis,
            org.cyphon.coordinator.ha.Leadership leadership,
            long epoch,
            Function<String, Duration> autoCheckpoint) {
        List<Assignment> sorted = new ArrayList<>(plan);
        sorted.sort(Comparator.comparingLong(Assignment::jobId)); // the lock order every writer uses
        List<Long> ids = sorted.stream().map(Assignment::jobId).toList();
        // Read the jobs here, outside the single writer: their specs never change, and their status
        // is written back compare-and-set on the version read, so a job changed since is simply
        // not assigned by this pass (the next one reads it again).
        Map<Long, JobRow> rows = db.transactions().read(c -> JobTable.rows(c, ids));
        List<Long> notQueued = new ArrayList<>();
        List<Assignment> candidates = new ArrayList<>(sorted.size());
        List<Long> retried = new ArrayList<>();
        for (Assignment a : sorted) {
            JobRow row = rows.get(a.jobId());
            if (row == null || row.status().state() != JobState.QUEUED) {
                notQueued.add(a.jobId());
                continue;
            }
            candidates.add(a);
            // Only an attempt of the job can have stored a checkpoint: a first attempt has none to restore.
            if (row.status().attemptCount() > 0) retried.add(a.jobId());
        }
        if (candidates.isEmpty()) return new Result(List.of(), notQueued, List.of(), null);
        // In chunks, each a write of its own, all queued at once: the writer commits them together
        // when nothing else waits, and lets a heartbeat in between two of them when one does (a
        // pass of 4,096 jobs is a quarter of a second of the writer's time).
        Set<Long> retriedJobs = new HashSet<>(retried);
        List<CompletableFuture<Result>> chunks = new ArrayList<>();
        for (int from = 0; from < candidates.size(); from += CHUNK) {
            List<Assignment> chunk = candidates.subList(from, Math.min(candidates.size(), from + CHUNK));
            chunks.add(db.transactions()
                    .writeLater(c -> writeChunk(
                            c, chunk, rows, retriedJobs, now, leaseMillis, leadership, epoch, autoCheckpoint)));
        }
        List<Started> started = new ArrayList<>(candidates.size());
        List<EventRow> events = new ArrayList<>(candidates.size());
        RuntimeException failure = null;
        for (CompletableFuture<Result> chunk : chunks) {
            try {
                Result r = chunk.join();
                started.addAll(r.started());
                events.addAll(r.events());
            } catch (CompletionException e) {
                if (failure == null)
                    failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            }
        }
        return new Result(started, notQueued, events, failure);
    }

    private Result writeChunk(
            Connection c,
            List<Assignment> candidates,
            Map<Long, JobRow> rows,
            Set<Long> retriedJobs,
            long now,
            long leaseMillis,
            org.cyphon.coordinator.ha.Leadership leadership,
            long epoch,
            Function<String, Duration> autoCheckpoint)
            throws SQLException {
        leadership.fence(c, epoch); // a coordinator that lost the lead meanwhile writes nothing
        long[] tokens = db.dialect().nextValues(c, "fencing_tokens", candidates.size());
        // Only the job's current attempt may store a checkpoint, and its last one has ended: this stays true.
        List<Long> retried = new ArrayList<>();
        for (Assignment a : candidates) if (retriedJobs.contains(a.jobId())) retried.add(a.jobId());
        Set<Long> withCheckpoint = retried.isEmpty()
                ? Set.of()
                : CheckpointTable.byJobs(c, retried).keySet();
        List<JobStatus> updates = new ArrayList<>(candidates.size());
        List<Step> steps = new ArrayList<>(candidates.size());
        List<Started> started = new ArrayList<>(candidates.size());
        for (int i = 0; i < candidates.size(); i++) {
            Assignment a = candidates.get(i);
            JobRow row = rows.get(a.jobId());
            JobStatus j = row.status();
            Step step = NextJobStatus.assign(j, tokens[i], a.machine(), now);
            AttemptRow attempt = AttemptRow.started(
                    tokens[i],
                    j.id(),
                    step.status().attemptCount(),
                    a.machine(),
                    j.cpuMillis(),
                    j.memoryBytes(),
                    now,
                    now + leaseMillis,
                    j.gpus());
            updates.add(step.status());
            steps.add(step);
            Duration every = WorkAssignments.isAuto(row) ? autoCheckpoint.apply(a.machine()) : null;
            started.add(new Started(
                    attempt,
                    WorkAssignments.of(row, attempt, withCheckpoint.contains(j.id()), every),
                    j.queuedAt() == null ? now : j.queuedAt(),
                    row));
        }
        int[] written = JobTable.update(c, updates);
        List<Started> assigned = new ArrayList<>(started.size());
        List<AttemptRow> attempts = new ArrayList<>(started.size());
        List<EventRow> events = new ArrayList<>(started.size());
        for (int i = 0; i < written.length; i++) {
            if (written[i] != 1) continue; // changed since read: the next pass reads it again
            assigned.add(started.get(i));
            attempts.add(started.get(i).attempt());
            events.addAll(steps.get(i).events());
        }
        AttemptTable.insert(c, attempts);
        EventTable.insert(c, events);
        return new Result(assigned, List.of(), events, null);
    }
}
