package org.cyphon.coordinator.jobs;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cyphon.coordinator.api.ApiError;
import org.cyphon.coordinator.auth.Principal;
import org.cyphon.coordinator.lifecycle.NextJobStatus;
import org.cyphon.coordinator.lifecycle.Step;
import org.cyphon.coordinator.metrics.CoordinatorMetrics;
import org.cyphon.coordinator.schedule.SchedulingLoop;
import org.cyphon.coordinator.schedule.WorkMailboxes;
import org.cyphon.coordinator.store.Database;
import org.cyphon.coordinator.store.EventRow;
import org.cyphon.coordinator.store.EventTable;
import org.cyphon.coordinator.store.JobFilter;
import org.cyphon.coordinator.store.JobStatus;
import org.cyphon.coordinator.store.JobTable;
import org.cyphon.core.job.IllegalTransitionException;
import org.cyphon.core.job.JobDependencies;
import org.cyphon.core.job.JobState;
import org.cyphon.core.protocol.JobView;
import org.cyphon.core.protocol.JobsChanged;

/**
 * {@code POST /jobs/{id}/cancel|hold|release}, by the job's owner or an admin. The state changes at
 * once; a live attempt is then told to stop in its machine's next heartbeat reply (and taken back
 * if its agent has not fetched it yet).
 */
public final class ChangeJobState {
    /** What the caller asked for. */
    public enum Action {
        CANCEL,
        HOLD,
        RELEASE
    }

    private final Database db;
    private final Clock clock;
    private final SchedulingLoop loop;
    private final WorkMailboxes mailboxes;
    private final CoordinatorMetrics metrics;
    private final ReadJobs read;

    public ChangeJobState(
            Database db,
            Clock clock,
            SchedulingLoop loop,
            WorkMailboxes mailboxes,
            CoordinatorMetrics metrics,
            ReadJobs read) {
        this.db = db;
        this.clock = clock;
        this.loop = loop;
        this.mailboxes = mailboxes;
        this.metrics = metrics;
        this.read = read;
    }

    /**
     * @throws ApiError 404 no such job, 403 not the caller's job
     * @throws IllegalTransitionException (409) when the action is not legal in the job's state
     */
    public JobView apply(Principal caller, long id, Action action) {
        long now = clock.millis();
        Changed ch = db.transactions().write(c -> {
            JobStatus j = JobTable.status(c, id);
            if (j == null) throw ReadJobs.noSuchJob(id);
            if (!caller.mayChangeJobOf(j.owner())) {
                throw new ApiError(
                        403,
                        "job " + id + " belongs to '" + j.owner() + "'; only its owner or an admin may change it",
                        null);
            }
            return change(c, List.of(j), caller, action, now, true);
        });
        ch.afterCommit(this);
        return read.show(caller, id);
    }

    /**
     * The action on every job the filter matches (its limit aside), in one transaction: jobs in a
     * state where the action does nothing are counted, not refused. Users change their own jobs
     * only: a filter without an owner means the caller's.
     *
     * @throws ApiError 403 a user naming another user's jobs
     */
    public JobsChanged applyAll(Principal caller, JobFilter filter, Action action) {
        String owner = filter.owner() == null ? caller.name() : filter.owner();
        if (!caller.mayChangeJobOf(owner))
            throw new ApiError(403, "only '" + owner + "' or an admin may change the jobs of '" + owner + "'", "owner");
        JobFilter f = new JobFilter(filter.states(), owner, filter.name(), filter.machine(), Integer.MAX_VALUE);
        long now = clock.millis();
        Changed ch = db.transactions().write(c -> change(c, JobTable.matching(c, f), caller, action, now, false));
        ch.afterCommit(this);
        return new JobsChanged(action.name().toLowerCase(java.util.Locale.ROOT), ch.changed(), ch.unchanged());
    }

    /** What a change wrote: the jobs as they were, and what to do once committed. */
    private record Changed(List<JobStatus> stopped, int changed, int unchanged, AfterCommit after) {
        void afterCommit(ChangeJobState self) {
            for (JobStatus before : stopped) {
                if (before.state().hasLiveAttempt() && before.currentToken() != null)
                    self.mailboxes.withdraw(before.machine(), before.currentToken());
            }
            after.run(self.loop, self.metrics);
            // A hold or cancel of a whole queue moves a million jobs to another state at once.
            self.db.plannerStatistics().jobsChanged(changed);
        }
    }

    /** @param strict throw on a job where the action is not legal; else skip and count it */
    private static Changed change(
            Connection c, List<JobStatus> jobs, Principal caller, Action action, long now, boolean strict)
            throws SQLException {
        Map<Long, JobDependencies.Verdict> deps = action == Action.RELEASE
                ? DependentJobs.judge(
                        c,
                        jobs.stream()
                                .filter(j -> j.state() == JobState.HELD)
                                .map(JobStatus::id)
                                .toList())
                : Map.of();
        List<JobStatus> before = new ArrayList<>();
        List<JobStatus> writes = new ArrayList<>();
        List<EventRow> events = new ArrayList<>();
        AfterCommit after = new AfterCommit();
        int unchanged = 0;
        for (JobStatus j : jobs) {
            Step step;
            try {
                step = switch (action) {
                    case CANCEL -> NextJobStatus.cancel(j, caller.name(), now);
                    case HOLD -> NextJobStatus.hold(j, caller.name(), now);
                    case RELEASE -> {
                        JobDependencies.Verdict v = deps.get(j.id());
                        // Released with dependencies still running: wait for them. Released after one
                        // failed: the person asked to run it anyway.
                        yield v != null && v.outcome() == JobDependencies.Outcome.WAIT
                                ? NextJobStatus.releaseToWait(j, caller.name(), now)
                                : NextJobStatus.release(j, caller.name(), now);
                    }
                };
            } catch (IllegalTransitionException e) {
                if (strict) throw e;
                unchanged++;
                continue;
            }
            // Stopping a live attempt is the action's doing, not a state the action moves from: only
            // cancel and hold withdraw it (a release never finds one).
            if (action != Action.RELEASE) before.add(j);
            writes.add(step.status());
            events.addAll(step.events());
            after.step(step);
        }
        JobTable.updateAll(c, writes);
        EventTable.insert(c, events);
        DependentJobs.afterChanges(c, writes, now, after);
        return new Changed(before, writes.size(), unchanged, after);
    }
}
