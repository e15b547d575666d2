package org.cyphon.core.policy;

import java.time.Duration;
import java.time.Instant;

/**
 * What the policy knows of one attempt on this desk.
 *
 * @param state          where it is now
 * @param since          when it entered that state (frozen at, vacating since)
 * @param ranFor         how long it has run in total, frozen time excluded, as of the decision's now
 * @param checkpointable the job writes checkpoints when signalled, so it can leave without losing work
 * @param remaining      its expected remaining run time, null when unknown
 * @param usesGpu        it uses the GPU (GPU work yields to a present owner and to the owner's GPU use)
 */
public record AttemptFacts(
        AttemptState state,
        Instant since,
        Duration ranFor,
        boolean checkpointable,
        Duration remaining,
        boolean usesGpu) {

    public AttemptFacts {
        if (ranFor.isNegative()) throw new IllegalArgumentException("ranFor must not be negative");
    }

    public boolean running() {
        return state == AttemptState.RUNNING || state == AttemptState.LINGERING;
    }

    /** The same attempt {@code elapsed} later with no change of state: it ran longer if it runs. */
    AttemptFacts after(Duration elapsed) {
        if (!running() || elapsed.isZero()) return this;
        Duration left = remaining == null ? null : remaining.minus(elapsed);
        if (left != null && left.isNegative()) left = Duration.ZERO;
        return new AttemptFacts(state, since, ranFor.plus(elapsed), checkpointable, left, usesGpu);
    }
}
