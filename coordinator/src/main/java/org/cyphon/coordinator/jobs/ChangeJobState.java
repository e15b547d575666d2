package org.cyphon.coordinator.jobs;

import java.time.Clock;
import java.util.List;
import org.cyphon.coordinator.api.ApiError;
import org.cyphon.coordinator.auth.Principal;
import org.cyphon.coordinator.lifecycle.NextJobStatus;
import org.cyphon.coordinator.lifecycle.Step;
import org.cyphon.coordinator.metrics.CoordinatorMetrics;
import org.cyphon.coordinator.schedule.SchedulingLoop;
import org.cyphon.coordinator.schedule.WorkMailboxes;
import org.cyphon.coordinator.store.Database;
import org.cyphon.coordinator.store.EventTable;
import org.cyphon.coordinator.store.JobStatus;
import org.cyphon.coordinator.store.JobTable;
import org.cyphon.core.job.IllegalTransitionException;
import org.cyphon.core.protocol.JobView;

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
        record Changed(JobStatus before, AfterCommit after) {}
        Changed ch = db.transactions().write(c -> {
            JobStatus j = JobTable.status(c, id);
            if (j == null) throw ReadJobs.noSuchJob(id);
            if (!caller.mayChangeJobOf(j.owner())) {
                throw new ApiError(
                        403,
                        "job " + id + " belongs to '" + j.owner() + "'; only its owner or an admin may change it",
                        null);
            }
            Step step = switch (action) {
                case CANCEL -> NextJobStatus.cancel(j, caller.name(), now);
                case HOLD -> NextJobStatus.hold(j, caller.name(), now);
                case RELEASE -> NextJobStatus.release(j, caller.name(), now);
            };
            JobTable.updateAll(c, List.of(step.status()));
            EventTable.insert(c, step.events());
            AfterCommit after = new AfterCommit();
            after.step(step);
            return new Changed(j, after);
        });
        JobStatus before = ch.before();
        if (action != Action.RELEASE && before.state().hasLiveAttempt() && before.currentToken() != null) {
            mailboxes.withdraw(before.machine(), before.currentToken());
        }
        ch.after().run(loop, metrics);
        return read.show(caller, id);
    }
}
