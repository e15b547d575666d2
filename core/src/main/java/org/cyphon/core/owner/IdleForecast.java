package org.cyphon.core.owner;

import java.time.Duration;
import java.time.Instant;

/**
 * P(the owner stays away for at least T more | now, idle for d so far), from a desk's
 * {@link UsageProfile} and any {@link Absence}. What placement ranks desks by, what the
 * checkpoint interval and the desk-hours schedule are chosen from.
 */
public final class IdleForecast {
    private static final Duration STEP = Duration.ofMinutes(15);
    private static final Duration MAX = Duration.ofDays(14);

    private final UsageProfile profile;
    private final Instant now;
    private final Duration idleFor;
    private final Absence absence;

    private IdleForecast(UsageProfile profile, Instant now, Duration idleFor, Absence absence) {
        this.profile = profile;
        this.now = now;
        this.idleFor = idleFor;
        this.absence = absence;
    }

    /**
     * @param idleFor how long the owner has been away already; zero when present now
     * @param absence a declared or detected absence, or null
     */
    public static IdleForecast of(UsageProfile profile, Instant now, Duration idleFor, Absence absence) {
        return new IdleForecast(profile, now, idleFor, absence);
    }

    public Instant now() {
        return now;
    }

    /** P(the owner stays away through {@code [now, now + horizon)}); 1 for a zero horizon. */
    public double stayAway(Duration horizon) {
        if (horizon.isNegative() || horizon.isZero()) return 1.0;
        if (absence != null && absence.covers(now) && (absence.until() == null || !now.plus(horizon).isAfter(absence.until()))) return 1.0;
        // Naive placeholder: the owner arrives during each quarter hour with the hour's presence probability.
        double p = 1.0;
        for (Duration t = Duration.ZERO; t.compareTo(horizon) < 0; t = t.plus(STEP)) {
            double present = profile.presentProbability(now.plus(t));
            p *= 1.0 - 0.25 * present;
        }
        return p;
    }

    /** The longest horizon over which the owner stays away with probability at least {@code p}, up to 14 days. */
    public Duration horizonAt(double p) {
        Duration t = Duration.ZERO;
        while (t.compareTo(MAX) < 0 && stayAway(t.plus(STEP)) >= p) t = t.plus(STEP);
        return t;
    }

    /** The expected remaining idle time, up to 14 days: the integral of {@link #stayAway}. */
    public Duration expectedRemaining() {
        double seconds = 0;
        for (Duration t = Duration.ZERO; t.compareTo(MAX) < 0; t = t.plus(STEP)) {
            double s = stayAway(t.plus(STEP));
            seconds += s * STEP.toSeconds();
            if (s < 1e-4) break;
        }
        return Duration.ofSeconds((long) seconds);
    }
}
