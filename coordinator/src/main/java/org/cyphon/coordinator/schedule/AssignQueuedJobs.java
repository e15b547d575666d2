package org.cyphon.coordinator.schedule;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * Writes placement's assignments as attempts, all in one transaction: per job, QUEUED -> RUNNING
 * (core's ASSIGN) compare-and-set on its version, a new fencing token from the sequence, and a
 * lease of {@code now + lease}. A job that is no longer queued in the store (cancelled or held
 * meanwhile) is skipped, not an error. A few statements whatever the number of jobs; the jobs'
 * specs are read before, outside the writer, since they never change.
 */
final class AssignQueuedJobs {
    /** An attempt written, with what to hand the agent. */
    record Started(AttemptRow attempt, WorkAssignment work, long queuedAt) {}

    /** @param notQueued jobs the scheduler thought queued but the store did not */
    record Result(List<Started> started, List<Long> notQueued, List<EventRow> events) {}

    private final Database db;

    AssignQueuedJobs(Database db) {
        this.db = db;
    }

    Result write(List<Assignment> plan, long now, long leaseMillis) {
        List<Assignment> sorted = new ArrayList<>(plan);
        sorted.sort(Comparator.comparingLong(Assignment::jobId)); // the lock order every writer uses
        List<Long> ids = sorted.stream().map(Assignment::jobId).toList();
        // A job's spec never changes: read it (and parse its JSON) here, outside the single writer.
        Map<Long, JobRow> specs = db.transactions().read(c -> JobTable.rows(c, ids));
        return db.transactions().write(c -> {
            Map<Long, JobStatus> statuses = JobTable.statuses(c, ids);
            long[] tokens = db.dialect().nextValues(c, "fencing_tokens", sorted.size());
            // Only the job's current attempt may store a checkpoint, and its last one has ended: this stays true.
            Set<Long> withCheckpoint = CheckpointTable.byJobs(c, ids).keySet();
            List<Long> notQueued = new ArrayList<>();
            List<JobStatus> updates = new ArrayList<>();
            List<Step> steps = new ArrayList<>();
            List<Started> candidates = new ArrayList<>();
            for (int i = 0; i < sorted.size(); i++) {
                Assignment a = sorted.get(i);
                JobRow row = specs.get(a.jobId());
                JobStatus j = statuses.get(a.jobId());
                if (row == null || j == null || j.state() != JobState.QUEUED) {
                    notQueued.add(a.jobId());
                    continue;
                }
                Step step = NextJobStatus.assign(j, tokens[i], a.machine(), now);
                AttemptRow attempt = AttemptRow.started(tokens[i], j.id(), step.status().attemptCount(), a.machine(),
                        j.cpuMillis(), j.memoryBytes(), now, now + leaseMillis);
                updates.add(step.status());
                steps.add(step);
                candidates.add(new Started(attempt, WorkAssignments.of(row, attempt, withCheckpoint.contains(j.id())), j.queuedAt() == null ? now : j.queuedAt()));
            }
            int[] written = JobTable.update(c, updates);
            List<Started> started = new ArrayList<>(candidates.size());
            List<AttemptRow> attempts = new ArrayList<>(candidates.size());
            List<EventRow> events = new ArrayList<>(candidates.size());
            for (int i = 0; i < written.length; i++) {
                if (written[i] != 1) {
                    notQueued.add(updates.get(i).id()); // changed since read: the next pass sees the truth
                    continue;
                }
                started.add(candidates.get(i));
                attempts.add(candidates.get(i).attempt());
                events.addAll(steps.get(i).events());
            }
            AttemptTable.insert(c, attempts);
            EventTable.insert(c, events);
            return new Result(started, notQueued, events);
        });
    }
}
