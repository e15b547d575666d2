package org.cyphon.core.schedule;

import java.util.List;

/** What one placement pass decided: jobs to start, attempts to checkpoint and vacate for them. */
public record Plan(List<Assignment> assignments, List<Preemption> preemptions) {
    public Plan {
        assignments = List.copyOf(assignments);
        preemptions = List.copyOf(preemptions);
    }

    public static final Plan EMPTY = new Plan(List.of(), List.of());
}
