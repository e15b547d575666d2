package org.cyphon.core.owner;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.Arrays;

/**
 * A desk's track record: for each hour of the week, how likely the owner is present; and how long
 * the owner's absences last, by the time of day they begin. Learned online from
 * {@link PresenceInterval}s with exponential forgetting. Immutable: {@link #observe} returns the
 * updated profile, so the coordinator, the simulator and tests share it without locks.
 *
 * <p>Hour of week 0 is Monday 00:00–01:00 local time.
 */
public final class UsageProfile {
    public static final int HOURS_PER_WEEK = 168;

    private final ProfileSettings settings;
    private final double[] presentMass;
    private final double[] observedMass;
    private final Instant asOf;

    private UsageProfile(ProfileSettings settings, double[] presentMass, double[] observedMass, Instant asOf) {
        this.settings = settings;
        this.presentMass = presentMass;
        this.observedMass = observedMass;
        this.asOf = asOf;
    }

    public static UsageProfile empty(ProfileSettings settings) {
        return new UsageProfile(settings, new double[HOURS_PER_WEEK], new double[HOURS_PER_WEEK], null);
    }

    public ProfileSettings settings() {
        return settings;
    }

    /** The end of the latest interval learned; null before the first. */
    public Instant learnedUntil() {
        return asOf;
    }

    /** The profile after also learning this interval. OFF intervals teach nothing about presence. */
    public UsageProfile observe(PresenceInterval interval) {
        if (interval.state() == OwnerState.OFF || interval.length().isZero()) return this;
        double[] p = presentMass.clone();
        double[] o = observedMass.clone();
        Instant t = interval.start();
        while (t.isBefore(interval.end())) {
            ZonedDateTime z = t.atZone(settings.zone());
            Instant hourEnd = z.withMinute(0).withSecond(0).withNano(0).plusHours(1).toInstant();
            Instant end = hourEnd.isBefore(interval.end()) ? hourEnd : interval.end();
            double hours = Duration.between(t, end).toMillis() / 3_600_000.0;
            int h = hourOfWeek(t);
            o[h] += hours;
            if (interval.state() == OwnerState.PRESENT) p[h] += hours;
            t = end;
        }
        Instant newAsOf = asOf == null || interval.end().isAfter(asOf) ? interval.end() : asOf;
        return new UsageProfile(settings, p, o, newAsOf);
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
        ZonedDateTime z = at.atZone(settings.zone());
        return (z.getDayOfWeek().getValue() - 1) * 24 + z.getHour();
    }

    /** The state to persist, and to restore with {@link #restore}. */
    public Snapshot snapshot() {
        return new Snapshot(1, settings.zone().getId(), settings.halfLife().toSeconds(), settings.absenceAfter().toSeconds(),
                presentMass.clone(), observedMass.clone(), asOf);
    }

    public static UsageProfile restore(Snapshot s) {
        ProfileSettings settings = new ProfileSettings(java.time.ZoneId.of(s.zone()), Duration.ofSeconds(s.halfLifeSeconds()),
                Duration.ofSeconds(s.absenceAfterSeconds()));
        return new UsageProfile(settings, s.presentMass().clone(), s.observedMass().clone(), s.asOf());
    }

    /**
     * Everything a profile is, as plain values (the coordinator stores it as JSON). Its fields may
     * grow; {@code version} says which shape it has.
     */
    public record Snapshot(int version, String zone, long halfLifeSeconds, long absenceAfterSeconds,
                           double[] presentMass, double[] observedMass, Instant asOf) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Snapshot s && version == s.version && zone.equals(s.zone) && halfLifeSeconds == s.halfLifeSeconds
                    && absenceAfterSeconds == s.absenceAfterSeconds && Arrays.equals(presentMass, s.presentMass)
                    && Arrays.equals(observedMass, s.observedMass) && java.util.Objects.equals(asOf, s.asOf);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(version, zone, Arrays.hashCode(presentMass), asOf);
        }

        @Override
        public String toString() {
            return "Snapshot[v" + version + ", " + zone + ", asOf " + asOf + "]";
        }
    }
}
