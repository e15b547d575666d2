package org.cyphon.core.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Finds {@code reconsiderAt}: the first of some candidate instants at which a decision, taken again
 * with no new signal, comes out different. Policies list every instant where one of their inputs
 * could flip (a superset is fine); this keeps the first that changes the outcome, so the agent
 * wakes only when something will happen.
 */
final class NextChange {
    /** Farther than a weekly window's next change; beyond it the agent simply waits for signals. */
    static final Duration HORIZON = Duration.ofDays(8);

    private NextChange() {}

    /** @return the earliest candidate after {@code now} (within the horizon) where {@code changesAt} holds; null if none */
    static Instant find(Instant now, List<Instant> candidates, Predicate<Instant> changesAt) {
        Instant limit = now.plus(HORIZON);
        TreeSet<Instant> ordered = new TreeSet<>();
        for (Instant c : candidates) if (c != null && c.isAfter(now) && !c.isAfter(limit)) ordered.add(c);
        for (Instant t : ordered) if (changesAt.test(t)) return t;
        return null;
    }
}
