package org.cyphon.coordinator.store;

import java.util.Set;
import org.cyphon.core.job.JobState;

/**
 * What {@code GET /jobs} asked for; null or empty means "any". {@code limit} newest jobs are returned,
 * among those with ids below {@code before} when it is set: the next page of a listing, found by the
 * primary key's index however deep it goes (keyset paging; an offset would count every row it skips).
 */
public record JobFilter(Set<JobState> states, String owner, String name, String machine, int limit, Long before) {
    /** A filter over the newest jobs. */
    public JobFilter(Set<JobState> states, String owner, String name, String machine, int limit) {
        this(states, owner, name, machine, limit, null);
    }
}
