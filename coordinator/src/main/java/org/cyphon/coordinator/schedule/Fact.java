package org.cyphon.coordinator.schedule;

import org.cyphon.core.schedule.PendingJob;

/**
 * Something that changed in the store and that the scheduler's in-memory view must learn. Told to
 * {@link SchedulingLoop#tell} only after the change is committed; applied on the scheduling thread.
 * Facts only speed things up: the view is rebuilt from the store at start and periodically, and
 * every assignment is checked against the store, so a late or repeated fact does no harm.
 */
public sealed interface Fact {
    /** A job became QUEUED (submitted, released, requeued). */
    record JobQueued(PendingJob job) implements Fact {}

    /** A job stopped being QUEUED other than by the scheduler (cancelled, held). */
    record JobLeftQueue(long jobId) implements Fact {}

    /** A live attempt ended: its resources are free again. */
    record AttemptEnded(long fencingToken) implements Fact {}

    /** A machine enrolled or beat, declaring its resources. */
    record MachineSeen(String name, int cpuMillis, long memoryBytes, long at, boolean accepting) implements Fact {}

    record MachineDrained(String name, boolean drained) implements Fact {}
}
