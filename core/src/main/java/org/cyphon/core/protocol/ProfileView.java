package org.cyphon.core.protocol;

import java.time.Instant;
import java.util.List;

/**
 * A desk's learned track record ({@code MachineView.profile}, only from {@code GET /machines/{name}}).
 *
 * @param zone              the time zone its hours of the week are in
 * @param presentProbability 168 values, hour of the week 0 = Monday 00:00-01:00 local: P(owner present)
 * @param evidenceHours     168 values: how many (decayed) hours of observation back each probability
 * @param learnedUntil      the end of the latest interval learned; null before the first
 * @param state             what the desk is in now: {@code present}, {@code away}, {@code off}, or null (never seen)
 * @param stateSince        since when
 * @param forecast          the owner's expected absence from now; null while nothing is known
 */
public record ProfileView(
        String zone,
        List<Double> presentProbability,
        List<Double> evidenceHours,
        Instant learnedUntil,
        String state,
        Instant stateSince,
        ForecastView forecast) {

    /**
     * P(the owner stays away at least 1 h, 3 h, 8 h from now), the expected remaining idle time, and
     * when the owner is likely back (the horizon the owner stays away with probability 0.5; null when present).
     */
    public record ForecastView(
            Instant at,
            long idleSeconds,
            double awayAtLeast1h,
            double awayAtLeast3h,
            double awayAtLeast8h,
            long expectedRemainingSeconds,
            Instant ownerExpectedBy) {}
}
