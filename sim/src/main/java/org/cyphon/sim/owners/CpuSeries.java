package org.cyphon.sim.owners;

import java.util.List;
import java.util.Map;

/**
 * Per-host CPU utilisation in percent, one value per {@link #SLOT_MS} from time 0, several days
 * end to end. NaN where a host was not in that day's file (the host is then taken as off).
 */
public record CpuSeries(Map<String, float[]> byHost, int slots, List<String> files) {
    public static final long SLOT_MS = 5 * 60_000L;

    public CpuSeries {
        // Sorted by host name: desks are built in this order, and iteration order must not vary between runs.
        byHost = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(byHost));
        files = List.copyOf(files);
    }

    public long lengthMs() {
        return slots * SLOT_MS;
    }
}
