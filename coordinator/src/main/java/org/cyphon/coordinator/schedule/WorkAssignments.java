package org.cyphon.coordinator.schedule;

import org.cyphon.coordinator.store.AttemptRow;
import org.cyphon.coordinator.store.JobRow;
import org.cyphon.core.protocol.WorkAssignment;

/** What an agent is handed to start an attempt. */
public final class WorkAssignments {
    private WorkAssignments() {}

    /** @param hasCheckpoint the coordinator holds a checkpoint of the job, to restore before the attempt starts */
    public static WorkAssignment of(JobRow job, AttemptRow attempt, boolean hasCheckpoint) {
        return new WorkAssignment(job.status().id(), attempt.attemptNo(), attempt.fencingToken(), job.name(),
                job.status().owner(), job.command(), job.env(), job.index(), attempt.cpuMillis() / 1000.0,
                attempt.memoryBytes(), job.runtimeSeconds(), job.checkpointEverySeconds(), job.status().checkpointExitCode(),
                hasCheckpoint);
    }
}
