package org.cyphon.core.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The one way work leaves a desk against its will: it was asked to checkpoint and exit, and
 * {@code vacate_grace} later whatever is left is killed. Shared by every policy, so "kill" never
 * comes before the grace period (unless a custom {@code kill} expression says so).
 */
final class VacateGrace {
    private VacateGrace() {}

    static Decision decide(PolicySettings s, Instant now, AttemptFacts leaving) {
        Duration waited = ThresholdPolicy.between(leaving.since(), now);
        String grace = ThresholdPolicy.fmt(s.vacateGrace());
        if (waited.compareTo(s.vacateGrace()) >= 0) {
            return new Decision(
                    Action.KILL,
                    List.of("asked to checkpoint and leave " + ThresholdPolicy.fmt(waited) + " ago (vacate_grace = "
                            + grace + "): kill"),
                    null,
                    null);
        }
        return new Decision(
                Action.CHECKPOINT_AND_VACATE,
                List.of("waiting for the attempt to checkpoint and exit: " + ThresholdPolicy.fmt(waited) + " of "
                        + grace + " grace"),
                null,
                null);
    }

    /** When the grace period of a leaving attempt ends. */
    static Instant endsAt(PolicySettings s, AttemptFacts leaving) {
        return leaving.since().plus(s.vacateGrace());
    }
}
