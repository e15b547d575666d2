package org.cyphon.core.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Each submitter's recent usage, in CPU-seconds decayed with a half-life (HTCondor's default is
 * 24 h): the less a submitter used lately, the sooner their jobs run. Immutable.
 */
public final class FairShare {
    public static final Duration DEFAULT_HALF_LIFE = Duration.ofHours(24);

    private final Duration halfLife;
    private final Map<String, Usage> usage;

    /** One submitter's decayed usage as of an instant. */
    public record Usage(double cpuSeconds, Instant asOf) {}

    private FairShare(Duration halfLife, Map<String, Usage> usage) {
        this.halfLife = halfLife;
        this.usage = usage;
    }

    public static FairShare empty(Duration halfLife) {
        if (halfLife.isNegative() || halfLife.isZero())
            throw new IllegalArgumentException("fair-share half-life must be positive, not " + halfLife);
        return new FairShare(halfLife, Map.of());
    }

    /** No history: every submitter equal. */
    public static FairShare none() {
        return empty(DEFAULT_HALF_LIFE);
    }

    public static FairShare restore(Duration halfLife, Map<String, Usage> usage) {
        return new FairShare(halfLife, Map.copyOf(usage));
    }

    public Duration halfLife() {
        return halfLife;
    }

    /** The state to persist. */
    public Map<String, Usage> usages() {
        return usage;
    }

    /** The shares after {@code owner} used {@code cpuSeconds} more, ending at {@code at}. */
    public FairShare charge(String owner, double cpuSeconds, Instant at) {
        return chargeAll(List.of(new Charge(owner, cpuSeconds, at)));
    }

    /**
     * The shares after several charges, in order: the same as charging each in turn, with one
     * copy of the usages instead of one per charge (a simulated pass may follow hundreds).
     */
    public FairShare chargeAll(List<Charge> charges) {
        if (charges.isEmpty()) return this;
        Map<String, Usage> next = new TreeMap<>(usage);
        for (Charge c : charges) {
            next.put(c.owner(), new Usage(decayed(next.get(c.owner()), c.at()) + c.cpuSeconds(), c.at()));
        }
        return new FairShare(halfLife, Map.copyOf(next));
    }

    /** {@code owner}'s usage decayed to {@code at}. */
    public double usage(String owner, Instant at) {
        return decayed(usage.get(owner), at);
    }

    private double decayed(Usage u, Instant at) {
        if (u == null) return 0;
        double ageSeconds = Math.max(0, Duration.between(u.asOf(), at).toMillis() / 1000.0);
        return u.cpuSeconds() * Math.pow(0.5, ageSeconds / halfLife.toSeconds());
    }

    /** One submitter's use to charge, for {@link #chargeAll}. */
    public record Charge(String owner, double cpuSeconds, Instant at) {}
}
