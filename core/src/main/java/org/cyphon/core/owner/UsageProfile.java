package org.cyphon.core.owner;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A desk's track record, learned online from {@link PresenceInterval}s with exponential
 * forgetting (evidence decays with elapsed time, by {@link ProfileSettings#halfLife()}, not with
 * the number of observations). It holds:
 * <ul>
 *   <li>for each of the 168 local hours of the week, how much of it the owner was present, how much
 *       away, and how often the owner came back during it (the arrival rate while away);</li>
 *   <li>the lengths of idle (AWAY) periods, by the 6-hour part of the week they began in (28
 *       buckets: Friday evening's absences are not Tuesday evening's), in log-spaced bins from a
 *       minute to thirty days (see {@link IdleLengthBins}).</li>
 * </ul>
 *
 * <p>How intervals form idle periods: consecutive AWAY intervals are one period (agents report in
 * pieces); a PRESENT interval right after ends it (an observed length). OFF teaches nothing about
 * presence and does not count as the owner's return: it cuts the period short as <em>censored</em>
 * (lasted at least this long, end unknown), because a desk that is off runs nothing and we cannot
 * see whether the owner came back meanwhile. A gap of more than five minutes between intervals is
 * treated like OFF. Intervals are expected in time order; the part of one that overlaps time
 * already learned is ignored, so re-sent reports do not count twice.
 *
 * <p>Immutable: {@link #observe} returns the updated profile, so the coordinator, the simulator
 * and tests share it without locks. Cheap: an observation copies a few hundred doubles, and the
 * curves forecasts need are derived once per profile instance, on first use.
 *
 * <p>Hour of week 0 is Monday 00:00–01:00 local time.
 */
public final class UsageProfile {
    public static final int HOURS_PER_WEEK = WeekHours.HOURS_PER_WEEK;
    /** Idle periods are bucketed by the 6-hour part of the week they began in. */
    public static final int START_BUCKETS = HOURS_PER_WEEK / 6;

    private static final long GAP_TOLERANCE_SECONDS = 300;
    private static final long NONE = Long.MIN_VALUE;
    /** Beyond this, an ongoing absence is judged unusual (see {@link #detectedAbsence}). */
    private static final double UNUSUAL_SURVIVAL = 0.05;
    /** Pseudo-hours of away time at the week's average arrival rate, so an hour never seen is not taken as "never comes back". */
    private static final double ARRIVAL_PRIOR_HOURS = 0.25;
    /** The arrival rate assumed for a desk with no history at all: about once per four hours away. */
    private static final double DEFAULT_ARRIVALS_PER_HOUR = 0.25;

    private static final double DEFAULT_PRIOR_HOURS = 4;
    /** Evidence (decayed idle periods at risk) at which the bucket's length model and the hour-of-week model weigh the same. */
    static final double LENGTH_MODEL_PRIOR_PERIODS = 3;

    private final ProfileSettings settings;
    private final WeekHours week;
    private final double halfLifeSeconds;
    // Hour-of-week evidence, decayed to asOf.
    private final double[] presentMass;
    private final double[] observedMass;
    private final double[] arrivals;
    private final Instant asOf;
    // Idle-period lengths: [bucket] -> [bin], each bucket decayed to its own bucketAsOf (epoch seconds),
    // so that learning one period copies and decays one bucket only.
    private final double[][] ended;
    private final double[][] censored;
    private final long[] bucketAsOf;
    private final Instant awaySince;

    // Derived on first use: the rates through a volatile field, the survivals are immutable objects with
    // final fields, so a racy publication is safe (at worst two threads compute the same thing).
    private volatile double[] arrivalRates;
    private volatile double[] weekHazard;
    private final IdleSurvival[] survivals = new IdleSurvival[START_BUCKETS];

    private UsageProfile(
            ProfileSettings settings,
            double[] presentMass,
            double[] observedMass,
            double[] arrivals,
            Instant asOf,
            double[][] ended,
            double[][] censored,
            long[] bucketAsOf,
            Instant awaySince) {
        this.settings = settings;
        this.week = new WeekHours(settings.zone());
        this.halfLifeSeconds = settings.halfLife().toMillis() / 1000.0;
        this.presentMass = presentMass;
        this.observedMass = observedMass;
        this.arrivals = arrivals;
        this.asOf = asOf;
        this.ended = ended;
        this.censored = censored;
        this.bucketAsOf = bucketAsOf;
        this.awaySince = awaySince;
    }

    public static UsageProfile empty(ProfileSettings settings) {
        Objects.requireNonNull(settings, "settings");
        if (settings.halfLife().isNegative() || settings.halfLife().isZero())
            throw new IllegalArgumentException("profile half-life must be positive, not " + settings.halfLife());
        double[][] e = new double[START_BUCKETS][];
        double[][] c = new double[START_BUCKETS][];
        double[] zero = new double[IdleLengthBins.COUNT];
        Arrays.fill(e, zero);
        Arrays.fill(c, zero);
        long[] at = new long[START_BUCKETS];
        Arrays.fill(at, NONE);
        return new UsageProfile(
                settings,
                new double[HOURS_PER_WEEK],
                new double[HOURS_PER_WEEK],
                new double[HOURS_PER_WEEK],
                null,
                e,
                c,
                at,
                null);
    }

    public ProfileSettings settings() {
        return settings;
    }

    /** The end of the latest interval learned; null before the first. */
    public Instant learnedUntil() {
        return asOf;
    }

    /** When the idle period still going at {@link #learnedUntil()} began; null when the owner was last seen present or the desk off. */
    public Instant awaySince() {
        return awaySince;
    }

    /** The profile after also learning this interval. */
    public UsageProfile observe(PresenceInterval interval) {
        long start = interval.start().getEpochSecond();
        long end = interval.end().getEpochSecond();
        long last = asOf == null ? NONE : asOf.getEpochSecond();
        if (last != NONE) {
            if (end <= last) return this;
            start = Math.max(start, last);
        }
        if (end <= start) return this;

        double decay = last == NONE ? 1 : decayOver(end - last);
        double[] p = scaled(presentMass, decay);
        double[] o = scaled(observedMass, decay);
        double[] a = scaled(arrivals, decay);
        double[][] e = ended;
        double[][] c = censored;
        long[] at = bucketAsOf;
        Instant since = awaySince;

        boolean gap = last != NONE && start - last > GAP_TOLERANCE_SECONDS;
        if (since != null && (gap || interval.state() == OwnerState.OFF)) {
            // The period's end was not seen: it lasted at least until the last report.
            e = e.clone();
            c = c.clone();
            at = at.clone();
            learnPeriod(e, c, at, bucketOf(since.getEpochSecond()), last, last - since.getEpochSecond(), false);
            since = null;
        }
        switch (interval.state()) {
            case AWAY -> {
                if (since == null) since = Instant.ofEpochSecond(start);
                addHours(o, null, start, end);
            }
            case PRESENT -> {
                if (since != null) {
                    // The owner came back: one observed idle period, and one arrival in this hour of the week.
                    if (e == ended) {
                        e = e.clone();
                        c = c.clone();
                        at = at.clone();
                    }
                    learnPeriod(
                            e, c, at, bucketOf(since.getEpochSecond()), start, start - since.getEpochSecond(), true);
                    a[week.hourOfWeek(start)] += decayOver(end - start);
                    since = null;
                }
                addHours(o, p, start, end);
            }
            case OFF -> {}
        }
        return new UsageProfile(settings, p, o, a, Instant.ofEpochSecond(end), e, c, at, since);
    }

    /**
     * Adds one idle period of {@code lengthSeconds}, learned at {@code when}, to bucket {@code b}
     * of the (already copied) outer arrays: both of the bucket's rows are copied and decayed to the
     * bucket's new time; the period weighs 1 at that time, less if it is older than the bucket.
     */
    private void learnPeriod(
            double[][] e, double[][] c, long[] at, int b, long when, long lengthSeconds, boolean endSeen) {
        long rowAt = at[b];
        long newAt = rowAt == NONE ? when : Math.max(when, rowAt);
        double rowDecay = rowAt == NONE ? 1 : decayOver(newAt - rowAt);
        e[b] = scaled(e[b], rowDecay);
        c[b] = scaled(c[b], rowDecay);
        (endSeen ? e[b] : c[b])[IdleLengthBins.of(lengthSeconds)] += decayOver(newAt - when);
        at[b] = newAt;
    }

    private void addHours(double[] observed, double[] present, long from, long to) {
        week.walk(from, to, (hour, a, b) -> {
            // Weighted as of the interval's end, the profile's new "now".
            double hours = (b - a) / 3600.0 * decayOver(to - (a + b) / 2.0);
            observed[hour] += hours;
            if (present != null) present[hour] += hours;
        });
    }

    private double decayOver(double seconds) {
        return seconds <= 0 ? 1 : Math.pow(0.5, seconds / halfLifeSeconds);
    }

    private static double[] scaled(double[] values, double factor) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) out[i] = values[i] * factor;
        return out;
    }

    /** P(owner present) during this hour of the week; 0.5 where nothing was seen. */
    public double presentProbability(int hourOfWeek) {
        double o = observedMass[hourOfWeek];
        return (presentMass[hourOfWeek] + 0.5) / (o + 1.0);
    }

    public double presentProbability(Instant at) {
        return presentProbability(hourOfWeek(at));
    }

    /** How much evidence backs this hour's probability, in hours (decayed). */
    public double evidenceHours(int hourOfWeek) {
        return observedMass[hourOfWeek];
    }

    public int hourOfWeek(Instant at) {
        return week.hourOfWeek(at.getEpochSecond());
    }

    /**
     * How often, per hour away, the owner comes back during this hour of the week: learned
     * arrivals over learned away-hours, with a light prior at the week's average rate so that an
     * hour with little evidence is neither "never" nor "always".
     */
    public double arrivalRate(int hourOfWeek) {
        return arrivalRates()[hourOfWeek];
    }

    /**
     * Cumulative arrival rates over the week: entry {@code h} is the expected number of arrivals
     * from Monday 00:00 local to the start of hour of week {@code h} (169 entries; the last is the
     * whole week). Computed once per profile, for {@link IdleForecast}'s calendar model.
     */
    double[] weekHazard() {
        double[] c = weekHazard;
        if (c != null) return c;
        double[] rates = arrivalRates();
        c = new double[HOURS_PER_WEEK + 1];
        for (int h = 0; h < HOURS_PER_WEEK; h++) c[h + 1] = c[h] + rates[h];
        weekHazard = c;
        return c;
    }

    /** Local seconds since Monday 00:00 of the week {@code epochSecond} falls in. */
    long secondOfWeek(long epochSecond) {
        return week.secondOfWeek(epochSecond);
    }

    double[] arrivalRates() {
        double[] r = arrivalRates;
        if (r != null) return r;
        double totalArrivals = 0, totalAway = 0;
        for (int h = 0; h < HOURS_PER_WEEK; h++) {
            totalArrivals += arrivals[h];
            totalAway += Math.max(0, observedMass[h] - presentMass[h]);
        }
        double average =
                (totalArrivals + DEFAULT_ARRIVALS_PER_HOUR * DEFAULT_PRIOR_HOURS) / (totalAway + DEFAULT_PRIOR_HOURS);
        r = new double[HOURS_PER_WEEK];
        for (int h = 0; h < HOURS_PER_WEEK; h++) {
            double away = Math.max(0, observedMass[h] - presentMass[h]);
            r[h] = (arrivals[h] + average * ARRIVAL_PRIOR_HOURS) / (away + ARRIVAL_PRIOR_HOURS);
        }
        arrivalRates = r;
        return r;
    }

    /** The bucket (6-hour part of the local week, 0 = Monday 00:00–06:00) of an idle period beginning at this instant. */
    public int startBucket(Instant periodStart) {
        return bucketOf(periodStart.getEpochSecond());
    }

    private int bucketOf(long epochSecond) {
        return week.hourOfWeek(epochSecond) / 6;
    }

    /** The learned idle-length survival for periods beginning in this bucket. */
    IdleSurvival idleSurvival(int bucket) {
        IdleSurvival s = survivals[bucket];
        if (s == null) {
            s = new IdleSurvival(ended[bucket], 0, censored[bucket], 0);
            survivals[bucket] = s;
        }
        return s;
    }

    /** What the bucket's decayed counts weigh as of {@link #learnedUntil()}: older buckets weigh less. */
    double bucketWeight(int bucket) {
        long at = bucketAsOf[bucket];
        if (at == NONE || asOf == null) return 0;
        return decayOver(asOf.getEpochSecond() - at);
    }

    /** Idle periods learned for this bucket, decayed to {@link #learnedUntil()}: how much the bucket's length model is worth. */
    public double idlePeriods(int bucket) {
        return idleSurvival(bucket).atRisk(0) * bucketWeight(bucket);
    }

    /**
     * How usual it is for an idle period that began at {@code periodStart} to last {@code length}:
     * the bucket's learned lengths, blended by their evidence with the hour-of-week arrival rates
     * (which know, say, that nobody comes in on Sundays).
     */
    public double usualSurvival(Instant periodStart, Duration length) {
        double d = length.toMillis() / 1000.0;
        int b = startBucket(periodStart);
        IdleSurvival s = idleSurvival(b);
        double evidence = s.atRisk(0) * bucketWeight(b);
        double w = evidence / (evidence + LENGTH_MODEL_PRIOR_PERIODS);
        long from = periodStart.getEpochSecond();
        long to = from + Math.min((long) d, (long) IdleLengthBins.LAST_SECONDS);
        double[] rates = arrivalRates();
        double[] hazard = new double[1];
        week.walk(from, to, (hour, a, z) -> hazard[0] += rates[hour] * (z - a) / 3600.0);
        return w * s.survival(d) + (1 - w) * Math.exp(-hazard[0]);
    }

    /**
     * An ongoing absence taken as a vacation: idle for longer than
     * {@link ProfileSettings#absenceAfter()} and longer than all but 5% of the idle periods usual
     * for when this one began ({@link #usualSurvival}).
     */
    public Optional<Absence> detectedAbsence(Instant now, Duration idleFor) {
        if (idleFor == null || idleFor.compareTo(settings.absenceAfter()) <= 0) return Optional.empty();
        Instant since = now.minus(idleFor);
        if (usualSurvival(since, idleFor) >= UNUSUAL_SURVIVAL) return Optional.empty();
        return Optional.of(new Absence(since, null, Absence.Kind.DETECTED, null));
    }

    /** The state to persist, and to restore with {@link #restore}. */
    public Snapshot snapshot() {
        int bins = IdleLengthBins.COUNT;
        double[] e = new double[START_BUCKETS * bins];
        double[] c = new double[START_BUCKETS * bins];
        for (int b = 0; b < START_BUCKETS; b++) {
            System.arraycopy(ended[b], 0, e, b * bins, bins);
            System.arraycopy(censored[b], 0, c, b * bins, bins);
        }
        return new Snapshot(
                Snapshot.VERSION,
                settings.zone().getId(),
                settings.halfLife().toSeconds(),
                settings.absenceAfter().toSeconds(),
                presentMass.clone(),
                observedMass.clone(),
                asOf,
                arrivals.clone(),
                e,
                c,
                bucketAsOf.clone(),
                awaySince);
    }

    /** The profile a {@link #snapshot()} describes; version-1 snapshots (hour-of-week masses only) restore with no idle lengths. */
    public static UsageProfile restore(Snapshot s) {
        Objects.requireNonNull(s, "snapshot");
        if (s.version() < 1 || s.version() > Snapshot.VERSION)
            throw new IllegalArgumentException("unknown profile snapshot version " + s.version());
        ProfileSettings settings = new ProfileSettings(
                ZoneId.of(s.zone()),
                Duration.ofSeconds(s.halfLifeSeconds()),
                Duration.ofSeconds(s.absenceAfterSeconds()));
        UsageProfile empty = empty(settings);
        double[] p = hourArray(s.presentMass(), "presentMass");
        double[] o = hourArray(s.observedMass(), "observedMass");
        double[] a = s.arrivals() == null ? new double[HOURS_PER_WEEK] : hourArray(s.arrivals(), "arrivals");
        double[][] e = empty.ended;
        double[][] c = empty.censored;
        long[] at = empty.bucketAsOf;
        if (s.idleEnded() != null) {
            int bins = IdleLengthBins.COUNT;
            if (s.idleEnded().length != START_BUCKETS * bins
                    || s.idleCensored() == null
                    || s.idleCensored().length != START_BUCKETS * bins
                    || s.idleAsOf() == null
                    || s.idleAsOf().length != START_BUCKETS)
                throw new IllegalArgumentException(
                        "profile snapshot: idle arrays must hold " + START_BUCKETS + " buckets of " + bins + " bins");
            e = new double[START_BUCKETS][];
            c = new double[START_BUCKETS][];
            for (int b = 0; b < START_BUCKETS; b++) {
                e[b] = Arrays.copyOfRange(s.idleEnded(), b * bins, (b + 1) * bins);
                c[b] = Arrays.copyOfRange(s.idleCensored(), b * bins, (b + 1) * bins);
            }
            at = s.idleAsOf().clone();
        }
        return new UsageProfile(settings, p, o, a, s.asOf(), e, c, at, s.awaySince());
    }

    private static double[] hourArray(double[] values, String name) {
        if (values == null || values.length != HOURS_PER_WEEK)
            throw new IllegalArgumentException("profile snapshot: " + name + " must hold " + HOURS_PER_WEEK + " hours");
        return values.clone();
    }

    /**
     * Everything a profile is, as plain values (the coordinator stores it as JSON). Its fields may
     * grow; {@code version} says which shape it has. Version 2 added {@code arrivals} (per hour of
     * week), the idle-length counts ({@code idleEnded}, {@code idleCensored}: {@value #BUCKETS} buckets
     * × {@value #BINS} bins, bucket-major), each bucket's time ({@code idleAsOf}, epoch seconds,
     * {@link Long#MIN_VALUE} when empty) and the ongoing period's start ({@code awaySince}).
     */
    public record Snapshot(
            int version,
            String zone,
            long halfLifeSeconds,
            long absenceAfterSeconds,
            double[] presentMass,
            double[] observedMass,
            Instant asOf,
            double[] arrivals,
            double[] idleEnded,
            double[] idleCensored,
            long[] idleAsOf,
            Instant awaySince) {
        public static final int VERSION = 2;
        public static final int BUCKETS = START_BUCKETS;
        public static final int BINS = IdleLengthBins.COUNT;

        @Override
        public boolean equals(Object o) {
            return o instanceof Snapshot s
                    && version == s.version
                    && zone.equals(s.zone)
                    && halfLifeSeconds == s.halfLifeSeconds
                    && absenceAfterSeconds == s.absenceAfterSeconds
                    && Arrays.equals(presentMass, s.presentMass)
                    && Arrays.equals(observedMass, s.observedMass)
                    && Objects.equals(asOf, s.asOf)
                    && Arrays.equals(arrivals, s.arrivals)
                    && Arrays.equals(idleEnded, s.idleEnded)
                    && Arrays.equals(idleCensored, s.idleCensored)
                    && Arrays.equals(idleAsOf, s.idleAsOf)
                    && Objects.equals(awaySince, s.awaySince);
        }

        @Override
        public int hashCode() {
            return Objects.hash(
                    version, zone, Arrays.hashCode(presentMass), Arrays.hashCode(idleEnded), asOf, awaySince);
        }

        @Override
        public String toString() {
            return "Snapshot[v" + version + ", " + zone + ", asOf " + asOf + "]";
        }
    }
}
