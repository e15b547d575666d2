package org.cyphon.coordinator.store;

import java.util.Set;
import org.cyphon.core.job.JobState;

/** What {@code GET /jobs} asked for; null or empty means "any". {@code limit} newest jobs are returned. */
public record JobFilter(Set<JobState> states, String owner, String name, String machine, int limit) {}
