package org.cyphon.core.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.cyphon.core.owner.LoadHistory;
import org.cyphon.core.owner.LoadSeen;
import org.cyphon.core.owner.OwnerDemand;
import org.cyphon.core.owner.Presence;

/**
 * Whether the owner's demand contends with the desk's jobs, judged against the policy's limits
 * ({@code owner_cpu_max} and the pressure limits), and for how long: the hysteresis that keeps a
 * ten-second CPU spike from freezing everything. Computed from the load history, so a policy
 * needs no memory of its own.
 *
 * @param known      a load sensor reports (unknown load never contends)
 * @param over       the latest sample is at or above a limit
 * @param overSince  start of the current run of samples at or above a limit; null when not over
 * @param calmSince  start of the current run below every limit; null when over or unknown
 * @param why        one sentence: which limit is crossed, or the demand and that it is low
 */
record OwnerContention(boolean known, boolean over, Instant overSince, Instant calmSince, String why) {

    /** "Calm forever" when no load sensor reports: long enough for any threshold, small enough for arithmetic. */
    static final Duration FOREVER = Duration.ofDays(365L * 100);

    static OwnerContention of(PolicySettings s, Presence p, MachineFacts m) {
        OwnerDemand demand = p.demand();
        LoadHistory history = p.load();
        LoadSeen latest = history.latest();
        if (!demand.known() || latest == null) {
            return new OwnerContention(false, false, null, null, demand.describe());
        }
        String crossed = crossed(s, latest, m);
        if (crossed != null) {
            return new OwnerContention(true, true, history.heldSince(x -> crossed(s, x, m) != null), null, crossed);
        }
        Instant calm = history.heldSince(x -> crossed(s, x, m) == null);
        return new OwnerContention(true, false, null, calm, demand.describe() + " (below the limits)");
    }

    /** How long the owner has contended as of {@code now}; zero when not. */
    Duration overFor(Instant now) {
        return over ? between(overSince, now) : Duration.ZERO;
    }

    /** How long the owner has stayed below every limit as of {@code now}; forever when load is unknown. */
    Duration calmFor(Instant now) {
        if (!known) return FOREVER;
        return calmSince == null ? Duration.ZERO : between(calmSince, now);
    }

    /** The limit the sample crosses, as a sentence; null when it crosses none. */
    static String crossed(PolicySettings s, LoadSeen sample, MachineFacts m) {
        double cores = sample.cores() > 0 ? sample.cores() : m.cores();
        double cpuLimit = s.ownerCpuMax().cpus(cores, m.jobCpus());
        if (sample.ownerCpus() >= cpuLimit) {
            return "owner uses " + num(sample.ownerCpus()) + " of " + num(cores) + " CPUs, at or above " + num(cpuLimit)
                    + " (owner_cpu_max = " + s.ownerCpuMax() + ")";
        }
        if (atOrAbove(sample.cpuPressure(), s.cpuPressureMax()))
            return pressure("CPU", sample.cpuPressure(), s.cpuPressureMax());
        if (atOrAbove(sample.memoryPressure(), s.memoryPressureMax()))
            return pressure("memory", sample.memoryPressure(), s.memoryPressureMax());
        if (atOrAbove(sample.ioPressure(), s.ioPressureMax()))
            return pressure("I/O", sample.ioPressure(), s.ioPressureMax());
        return null;
    }

    private static boolean atOrAbove(double pressure, Double limit) {
        return limit != null && pressure >= 0 && pressure >= limit;
    }

    private static String pressure(String what, double value, Double limit) {
        return what + " pressure " + num(value) + "%, at or above " + num(limit) + "%";
    }

    private static Duration between(Instant from, Instant to) {
        return to.isAfter(from) ? Duration.between(from, to) : Duration.ZERO;
    }

    static String num(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
