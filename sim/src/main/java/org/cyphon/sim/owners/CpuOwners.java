package org.cyphon.sim.owners;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cyphon.core.owner.OwnerState;

/**
 * Owner traces from CPU series: as the presence source itself ({@code --owners cpu:FILE}), or as
 * the owner's demand laid over another presence source ({@code --owner-cpu cpu:FILE}).
 *
 * <p>As the presence source: in each 5-minute slot the owner is present when the host's
 * utilisation is at or above the threshold (default 10 %), and then demands that utilisation times
 * the desk's cores; below it the owner is away (and demands nothing: the harvest may use it all).
 * A slot where the host is missing from that day's file is {@code off}.
 */
public final class CpuOwners {
    private CpuOwners() {}

    public static OwnerTrace presence(
            CpuSeries series, double thresholdPercent, int cores, int maxMachines, Instant origin) {
        List<DeskTrace> desks = new ArrayList<>();
        for (Map.Entry<String, float[]> e : series.byHost().entrySet()) {
            if (maxMachines > 0 && desks.size() >= maxMachines) break;
            DeskTraceBuilder b = new DeskTraceBuilder(e.getKey());
            float[] v = e.getValue();
            for (int i = 0; i < v.length; i++) {
                long s = i * CpuSeries.SLOT_MS;
                long end = s + CpuSeries.SLOT_MS;
                if (Float.isNaN(v[i])) b.add(s, end, OwnerState.OFF, 0f, "");
                else if (v[i] >= thresholdPercent) b.add(s, end, OwnerState.PRESENT, v[i] / 100f * cores, "");
                else b.add(s, end, OwnerState.AWAY, 0f, "");
            }
            if (!b.isEmpty()) desks.add(b.build(ZoneOffset.UTC));
        }
        String rule = "present while the host's 5-minute CPU utilisation is at least " + fmt(thresholdPercent)
                + "%, demanding that share of the cores; away below it; off where the host is missing";
        return new OwnerTrace(origin, series.lengthMs(), desks, "cpu:" + String.join(",", series.files()), rule);
    }

    /**
     * The same presence, with the owner's demand while present taken from the series: desk i gets
     * the i-th host (by name, cycling through the hosts when there are more desks), and the series
     * repeats when the presence trace is longer. NaN slots leave the stated default in place.
     */
    public static OwnerTrace withDemand(OwnerTrace presence, CpuSeries series, int defaultCores) {
        List<float[]> hosts = new ArrayList<>(series.byHost().values());
        List<DeskTrace> out = new ArrayList<>();
        int i = 0;
        for (DeskTrace d : presence.desks()) {
            float[] v = hosts.get(i++ % hosts.size());
            int cores = d.cores() > 0 ? d.cores() : defaultCores;
            DeskTraceBuilder b = new DeskTraceBuilder(d.name()).cores(d.cores()).zone(d.zone());
            for (int k = 0; k < d.segments(); k++) {
                if (d.state()[k] != OwnerState.PRESENT) {
                    b.add(d.startMs()[k], d.endMs()[k], d.state()[k], d.ownerCpus()[k], "");
                    continue;
                }
                long t = d.startMs()[k];
                while (t < d.endMs()[k]) {
                    long slot = Math.floorDiv(t, CpuSeries.SLOT_MS);
                    long slotEnd = Math.min((slot + 1) * CpuSeries.SLOT_MS, d.endMs()[k]);
                    float u = v[(int) Math.floorMod(slot, (long) v.length)];
                    b.add(t, slotEnd, OwnerState.PRESENT, Float.isNaN(u) ? d.ownerCpus()[k] : u / 100f * cores, "");
                    t = slotEnd;
                }
            }
            out.add(b.build(d.zone()));
        }
        return new OwnerTrace(
                presence.origin(),
                presence.horizonMs(),
                out,
                presence.source() + " with owner CPU from cpu:" + String.join(",", series.files()),
                presence.presenceRule());
    }

    static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
