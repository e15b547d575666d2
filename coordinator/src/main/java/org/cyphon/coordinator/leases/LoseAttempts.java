package org.cyphon.coordinator.leases;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.cyphon.coordinator.jobs.AfterCommit;
import org.cyphon.coordinator.jobs.DependentJobs;
import org.cyphon.coordinator.lifecycle.LostCpu;
import org.cyphon.coordinator.lifecycle.NextJobStatus;
import org.cyphon.coordinator.lifecycle.Step;
import org.cyphon.coordinator.store.AttemptEnd;
import org.cyphon.coordinator.store.AttemptRow;
import org.cyphon.coordinator.store.AttemptTable;
import org.cyphon.coordinator.store.EventRow;
import org.cyphon.coordinator.store.EventTable;
import org.cyphon.coordinator.store.JobStatus;
import org.cyphon.coordinator.store.JobTable;
import org.cyphon.core.job.AttemptOutcome;

/**
 * Ends live attempts that the coordinator gives up on (lease ran out, machine re-enrolled), inside
 * the caller's transaction. For a job whose current attempt it was, core's ATTEMPT_LOST decides:
 * queued again, or failed when its attempts are used up. An attempt whose job had already moved on
 * (cancelled, held, stale) just ends.
 *
 * <p>What the attempt had computed since its job's last checkpoint is added to the job's lost CPU
 * time ({@link LostCpu#abandoned}), since no report will ever say.
 */
public final class LoseAttempts {
    private LoseAttempts() {}

    /** @param leaseMillis the lease length, to tell when an attempt's agent was last heard from */
    public static void inTransaction(
            Connection c, List<AttemptRow> attempts, String why, long now, long leaseMillis, AfterCommit after)
            throws SQLException {
        if (attempts.isEmpty()) return;
        Map<Long, JobStatus> jobs = JobTable.statuses(
                c, attempts.stream().map(AttemptRow::jobId).distinct().toList());
        Map<Long, JobStatus> changed = new HashMap<>();
        List<AttemptEnd> ends = new ArrayList<>(attempts.size());
        List<Step> steps = new ArrayList<>();
        for (AttemptRow a : attempts) {
            if (!a.live()) continue;
            ends.add(new AttemptEnd(a, now, AttemptOutcome.LOST, false, null, null, null, why));
            JobStatus j = changed.getOrDefault(a.jobId(), jobs.get(a.jobId()));
            boolean current = j != null
                    && Objects.equals(j.currentToken(), a.fencingToken())
                    && j.state().hasLiveAttempt();
            if (current) {
                Step step = NextJobStatus.lost(j, a, why, LostCpu.abandoned(a, leaseMillis), now);
                changed.put(j.id(), step.status());
                steps.add(step);
            }
            after.attemptEnded(a, AttemptOutcome.LOST, why, current);
        }
        AttemptTable.endAll(c, ends);
        JobTable.updateAll(c, changed.values());
        List<EventRow> events = new ArrayList<>();
        for (Step s : steps) {
            events.addAll(s.events());
            after.step(s);
        }
        EventTable.insert(c, events);
        DependentJobs.afterChanges(c, changed.values(), now, after);
    }
}
