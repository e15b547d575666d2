package org.cyphon.coordinator.jobs;

import java.util.ArrayList;
import java.util.List;
import org.cyphon.coordinator.lifecycle.JobLog;
import org.cyphon.coordinator.lifecycle.Step;
import org.cyphon.coordinator.metrics.CoordinatorMetrics;
import org.cyphon.coordinator.schedule.Fact;
import org.cyphon.coordinator.schedule.SchedulingLoop;
import org.cyphon.coordinator.store.AttemptRow;
import org.cyphon.coordinator.store.EventRow;
import org.cyphon.core.job.AttemptOutcome;
import org.cyphon.core.job.JobState;

/**
 * What a write must do once its transaction has committed: log the state changes, count them,
 * and tell the scheduler. Collected inside the transaction's work (which may run more than once,
 * so it is made fresh on each run) and done by {@link #run} after the commit.
 */
public final class AfterCommit {
    private final List<EventRow> events = new ArrayList<>();
    private final List<Fact> facts = new ArrayList<>();
    private final List<Runnable> quietEnds = new ArrayList<>();

    /** A job changed: its events, and if it went back to the queue, that the scheduler should know. */
    public void step(Step s) {
        events.addAll(s.events());
        if (s.status().state() == JobState.QUEUED)
            facts.add(new Fact.JobQueued(s.status().pending()));
        if (s.status().state() == JobState.CANCELLED || s.status().state() == JobState.HELD) {
            facts.add(new Fact.JobLeftQueue(s.status().id()));
        }
    }

    public void events(List<EventRow> more) {
        events.addAll(more);
    }

    public void fact(Fact f) {
        facts.add(f);
    }

    /** A live attempt ended: its resources are free; log it when it changed no job. */
    public void attemptEnded(AttemptRow a, AttemptOutcome outcome, String why, boolean changedJob) {
        attemptEnded(a, outcome, why, changedJob, null, false);
    }

    /**
     * @param cpuSeconds the CPU time the agent measured (charged to the submitter's fair share), or null
     * @param completed  the job completed with this attempt (its run time teaches the expected runtime)
     */
    public void attemptEnded(
            AttemptRow a,
            AttemptOutcome outcome,
            String why,
            boolean changedJob,
            Double cpuSeconds,
            boolean completed) {
        facts.add(new Fact.AttemptEnded(a.fencingToken(), outcome, cpuSeconds, completed));
        if (!changedJob) quietEnds.add(() -> JobLog.attemptEnded(a.jobId(), a.attemptNo(), a.machine(), outcome, why));
    }

    public void run(SchedulingLoop loop, CoordinatorMetrics metrics) {
        JobLog.committed(events);
        quietEnds.forEach(Runnable::run);
        for (EventRow e : events) {
            switch (e.type()) {
                case "exited" -> metrics.completed();
                case "failed" -> metrics.failed();
                case "lost" -> metrics.lost();
                default -> {}
            }
        }
        loop.tell(facts);
    }
}
