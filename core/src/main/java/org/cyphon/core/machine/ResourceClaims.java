package org.cyphon.core.machine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cyphon.core.protocol.MeasuredResources;

/**
 * Where what a machine advertises (the cpus and memory of its heartbeats, its agent's labels)
 * contradicts what its agent measured at enrollment (CPUs the kernel gave it, MemTotal, the labels
 * it detected). Advertising less than measured is fine (an admin keeps some for the owner); more
 * is a contradiction, as is a detected label ({@code os}, {@code arch}, {@code gpu}) advertised with
 * another value or advertised when nothing was detected.
 *
 * <p>What it catches: a config that promises what the machine does not have, and a forged
 * enrollment that claims much and measures little or nothing. A forger who fakes the measurement
 * too is not caught here: join secrets and {@code join.approve} keep those out.
 */
public final class ResourceClaims {
    /** The labels an agent detects itself, so the only ones a measurement can contradict. */
    static final Set<String> DETECTED = Set.of("os", "arch", "gpu");

    private ResourceClaims() {}

    /** Each contradiction as a short phrase; empty when none. */
    public static List<String> contradictions(
            MeasuredResources measured, double cpus, long memoryBytes, Map<String, String> agentLabels) {
        List<String> out = new ArrayList<>();
        if (measured == null) {
            out.add("measured nothing at enrollment");
            return out;
        }
        // Rounding of a fractional cpus setting is not a claim; a whole CPU more is.
        if (cpus > measured.cpus() + 0.001)
            out.add("advertises " + number(cpus) + " cpus, measured " + number(measured.cpus()));
        // MemTotal moves a little between boots (kernel reservations); 1% more is not a claim.
        if (memoryBytes > measured.memoryBytes() * 1.01)
            out.add("advertises " + gib(memoryBytes) + " memory, measured " + gib(measured.memoryBytes()));
        Map<String, String> labels = agentLabels == null ? Map.of() : agentLabels;
        for (String key : DETECTED.stream().sorted().toList()) {
            String said = labels.get(key);
            String seen = measured.labels().get(key);
            if (said == null || said.equals(seen)) continue;
            out.add("advertises " + key + "=" + said + ", measured " + (seen == null ? "no " + key : key + "=" + seen));
        }
        return out;
    }

    private static String number(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : String.format(java.util.Locale.ROOT, "%.2f", d);
    }

    private static String gib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f GiB", bytes / (1024.0 * 1024 * 1024));
    }
}
