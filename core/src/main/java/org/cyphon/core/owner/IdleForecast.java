package org.cyphon.core.owner;

import java.time.Duration;
import java.time.Instant;

/**
 * P(the owner stays away for at least T more | now, idle for d so far), from a desk's
 * {@link UsageProfile} and any {@link Absence}. What placement ranks desks by, what the
 * checkpoint interval and the desk-hours schedule are chosen from.
 *
 * <p>Two models, blended by evidence:
 * <ul>
 *   <li>the <b>length model</b>: the learned lengths of idle periods that began in the same part
 *       of the week as this one, conditioned on having lasted d already: S(d+T)/S(d). It knows
 *       that a period which survived the coffee break is probably lunch or a meeting;</li>
 *   <li>the <b>calendar model</b>: the owner comes back at each hour of the week with that hour's
 *       learned arrival rate, so P = exp(−∫ rate). It knows nobody comes in on Sunday night, and
 *       it is what remains when the length model has little evidence (few periods of this kind,
 *       or d beyond what was ever seen).</li>
 * </ul>
 * The length model weighs n / (n + 3), n being the decayed number of learned periods of this kind
 * that were still going at d.
 *
 * <p>Absences: a declared one until U makes the owner certainly away until U and from U on follows
 * the calendar model (a vacation's end says nothing about the usual lengths); a detected one
 * drops the length model (this period is already unusual) and quarters the calendar rates.
 *
 * <p>Cheap: {@link #of} does constant work; the first {@link #stayAway} integrates the calendar
 * rates hour by hour over 14 days once, and every later call interpolates (a binary search over
 * ~340 knots). Immutable and safe to share.
 */
public final class IdleForecast {
    private static final Duration MAX = Duration.ofDays(14);
    private static final long MAX_SECONDS = MAX.toSeconds();
    private static final long WEEK_SECONDS = 7 * 86_400;
    /** How much rarer the owner's return is once an absence was detected: it is a vacation, not a night. */
    static final double DETECTED_RATE_FACTOR = 0.25;

    private final UsageProfile profile;
    private final Instant now;
    private final Duration idleFor;
    private final Absence absence;
    /** Seconds from now during which the owner is certainly away (a declared absence); 0 otherwise. */
    private final long certainSeconds;

    private final boolean endless;
    private final double rateFactor;
    private final double idleSeconds;
    private final IdleSurvival lengths;
    private final double lengthWeight;
    private final double survivalSoFar;

    private Calendar calendar;
    private volatile double expectedSeconds = -1;

    private IdleForecast(UsageProfile profile, Instant now, Duration idleFor, Absence absence) {
        this.profile = profile;
        this.now = now;
        this.idleFor = idleFor;
        this.absence = absence;
        this.idleSeconds = Math.max(0, idleFor.toMillis() / 1000.0);
        boolean declared = absence != null && absence.kind() == Absence.Kind.DECLARED && absence.covers(now);
        boolean detected = absence != null && absence.kind() == Absence.Kind.DETECTED && absence.covers(now);
        this.endless = declared && absence.until() == null;
        this.certainSeconds = declared && absence.until() != null
                ? Math.max(0, Duration.between(now, absence.until()).toSeconds())
                : 0;
        this.rateFactor = detected ? DETECTED_RATE_FACTOR : 1;
        if (declared || detected) {
            lengths = null;
            lengthWeight = 0;
            survivalSoFar = 1;
        } else {
            int bucket = profile.startBucket(now.minus(idleFor));
            IdleSurvival s = profile.idleSurvival(bucket);
            double sd = s.survival(idleSeconds);
            double evidence = s.atRisk(idleSeconds) * profile.bucketWeight(bucket);
            lengths = s;
            survivalSoFar = sd;
            lengthWeight = sd <= 1e-12 ? 0 : evidence / (evidence + UsageProfile.LENGTH_MODEL_PRIOR_PERIODS);
        }
    }

    /**
     * @param idleFor how long the owner has been away already; zero when present now
     * @param absence a declared or detected absence, or null
     */
    public static IdleForecast of(UsageProfile profile, Instant now, Duration idleFor, Absence absence) {
        if (profile == null || now == null)
            throw new IllegalArgumentException("a forecast needs a profile and an instant");
        return new IdleForecast(
                profile, now, idleFor == null || idleFor.isNegative() ? Duration.ZERO : idleFor, absence);
    }

    /** As {@link #of(UsageProfile, Instant, Duration, Absence)}, with the absence the profile detects, if any. */
    public static IdleForecast of(UsageProfile profile, Instant now, Duration idleFor) {
        Duration d = idleFor == null || idleFor.isNegative() ? Duration.ZERO : idleFor;
        return of(profile, now, d, profile.detectedAbsence(now, d).orElse(null));
    }

    public Instant now() {
        return now;
    }

    public Duration idleFor() {
        return idleFor;
    }

    /** The absence this forecast accounts for; null when none. */
    public Absence absence() {
        return absence;
    }

    /** P(the owner stays away through {@code [now, now + horizon)}); 1 for a zero horizon. */
    public double stayAway(Duration horizon) {
        if (horizon.isNegative() || horizon.isZero()) return 1.0;
        return stayAwaySeconds(horizon.toMillis() / 1000.0);
    }

    /** {@link #stayAway} for a horizon in seconds. */
    public double stayAwaySeconds(double horizon) {
        if (horizon <= 0 || endless || horizon <= certainSeconds) return 1.0;
        double calendarP = Math.exp(-calendar().hazard(horizon - certainSeconds) * rateFactor);
        if (lengthWeight == 0) return calendarP;
        double lengthP = lengths.survival(idleSeconds + horizon) / survivalSoFar;
        return lengthWeight * Math.min(1, lengthP) + (1 - lengthWeight) * calendarP;
    }

    /** The longest horizon over which the owner stays away with probability at least {@code p}, up to 14 days (to the minute). */
    public Duration horizonAt(double p) {
        if (stayAwaySeconds(MAX_SECONDS) >= p) return MAX;
        long lo = 0, hi = MAX_SECONDS; // stayAway(lo) >= p > stayAway(hi); stayAway never rises with the horizon
        while (hi - lo > 60) {
            long mid = (lo + hi) >>> 1;
            if (stayAwaySeconds(mid) >= p) lo = mid;
            else hi = mid;
        }
        return Duration.ofSeconds(lo - lo % 60);
    }

    /** The expected remaining idle time, up to 14 days: the integral of {@link #stayAway}. */
    public Duration expectedRemaining() {
        double e = expectedSeconds;
        if (e < 0) {
            // Trapezoids: 5-minute steps for the first two hours, where short breaks end; 15-minute steps after.
            e = 0;
            double t = 0, s = 1;
            while (t < MAX_SECONDS) {
                double step = t < 7200 ? 300 : 900;
                double next = stayAwaySeconds(t + step);
                e += (s + next) / 2 * step;
                t += step;
                s = next;
                if (s < 1e-5) break;
            }
            expectedSeconds = e;
        }
        return Duration.ofSeconds((long) e);
    }

    private Calendar calendar() {
        Calendar c = calendar;
        if (c == null) {
            c = new Calendar(profile, now.getEpochSecond() + certainSeconds);
            calendar = c;
        }
        return c;
    }

    /**
     * The calendar model's cumulative arrival hazard from {@code from}: the profile's weekly
     * cumulative arrival rates ({@link UsageProfile#weekHazard()}, computed once per profile) read
     * from the local second of the week {@code from} falls on, repeating week after week.
     *
     * <p>Why not walk the hours from {@code from}: placement builds a forecast for every open desk
     * on every pass (the simulator: a thousand desks, tens of thousands of passes), and walking 336
     * hours each time was most of the simulator's time. The price: the zone's offset at {@code from}
     * holds for the whole horizon, so across a daylight-saving change the calendar is off by the
     * change (an hour) — well inside what an hour-of-week profile can tell apart anyway.
     */
    private static final class Calendar {
        private static final double WEEK = WEEK_SECONDS;
        private final double[] cumulative;
        private final double start;
        private final double startHazard;

        Calendar(UsageProfile profile, long from) {
            cumulative = profile.weekHazard();
            start = profile.secondOfWeek(from);
            startHazard = at(start);
        }

        /** Cumulative hazard over the first {@code seconds}. */
        double hazard(double seconds) {
            return at(start + seconds) - startHazard;
        }

        /** Cumulative hazard from Monday 00:00 local of the first week to {@code x} seconds later. */
        private double at(double x) {
            double weeks = Math.floor(x / WEEK);
            double within = x - weeks * WEEK;
            int hour = Math.min(UsageProfile.HOURS_PER_WEEK - 1, (int) (within / 3600));
            double fraction = (within - hour * 3600.0) / 3600.0;
            return weeks * cumulative[UsageProfile.HOURS_PER_WEEK]
                    + cumulative[hour]
                    + (cumulative[hour + 1] - cumulative[hour]) * fraction;
        }
    }
}
