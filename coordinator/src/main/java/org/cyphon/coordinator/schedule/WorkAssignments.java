package org.cyphon.coordinator.schedule;

import org.cyphon.coordinator.store.AttemptRow;
import org.cyphon.coordinator.store.JobRow;
import org.cyphon.core.protocol.WorkAssignment;

/** What an agent is handed to start an attempt. */
public final class WorkAssignments {
    private WorkAssignments() {}

    public static WorkAssignment of(JobRow job, AttemptRow attempt) {
        return new WorkAssignment(job.status().id(), attempt.attemptNo(), attempt.fencingToken(), job.name(),
                job.status().owner(), job.command(), job.env(), job.index(), attempt.cpuMillis() / 1000.0,
                attempt.memoryBytes(), job.runtimeSeconds());
    }
}
