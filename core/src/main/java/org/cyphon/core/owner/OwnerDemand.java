package org.cyphon.core.owner;

import java.time.Instant;
import java.util.Locale;

/**
 * What the owner asks of the machine right now, from the latest {@link LoadSeen}: CPUs in use
 * outside Cyphon's jobs and the kernel's pressure stall percentages (negative: no PSI).
 * {@link #UNKNOWN} when no load sensor reported (or it went silent).
 */
public record OwnerDemand(
        String source,
        Instant at,
        double ownerCpus,
        double cores,
        double cpuPressure,
        double memoryPressure,
        double ioPressure) {

    public static final OwnerDemand UNKNOWN = new OwnerDemand(null, null, 0, 0, -1, -1, -1);

    public static OwnerDemand of(LoadSeen s) {
        return new OwnerDemand(
                s.source(), s.at(), s.ownerCpus(), s.cores(), s.cpuPressure(), s.memoryPressure(), s.ioPressure());
    }

    public boolean known() {
        return at != null;
    }

    /** Owner CPUs as a fraction of all cores (0 when cores are unknown). */
    public double cpuFraction() {
        return cores > 0 ? ownerCpus / cores : 0;
    }

    /** One sentence for {@code cyphon machine}: "owner uses 1.7 of 4 CPUs; pressure cpu 3%, memory 0%, io 1%". */
    public String describe() {
        if (!known()) return "owner CPU use unknown (no load sensor)";
        StringBuilder b = new StringBuilder("owner uses ")
                .append(number(ownerCpus))
                .append(" of ")
                .append(number(cores))
                .append(" CPUs");
        if (cpuPressure < 0 && memoryPressure < 0 && ioPressure < 0)
            return b.append(" (no pressure stall information)").toString();
        return b.append("; pressure cpu ")
                .append(percent(cpuPressure))
                .append(", memory ")
                .append(percent(memoryPressure))
                .append(", io ")
                .append(percent(ioPressure))
                .toString();
    }

    static String number(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String percent(double v) {
        return v < 0 ? "n/a" : number(v) + "%";
    }
}
