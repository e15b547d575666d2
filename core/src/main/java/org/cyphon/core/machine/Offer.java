package org.cyphon.core.machine;

import java.util.Map;

/**
 * What one machine can take right now: its free CPUs (thousandths) and memory after the attempts it
 * already runs, whether it accepts new work at all (not drained, online, policy allows starts), and
 * the labels jobs may require (os, arch, gpu, and any an admin sets).
 */
public record Offer(
        String machine, int freeCpuMillis, long freeMemoryBytes, boolean accepting, Map<String, String> labels) {
    public Offer {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    public Offer(String machine, int freeCpuMillis, long freeMemoryBytes, boolean accepting) {
        this(machine, freeCpuMillis, freeMemoryBytes, accepting, Map.of());
    }

    public boolean fits(int cpuMillis, long memoryBytes) {
        return accepting && cpuMillis <= freeCpuMillis && memoryBytes <= freeMemoryBytes;
    }

    /** Every required label is present with the required value. */
    public boolean carries(Map<String, String> required) {
        for (var e : required.entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) return false;
        }
        return true;
    }

    public Offer minus(int cpuMillis, long memoryBytes) {
        return new Offer(machine, freeCpuMillis - cpuMillis, freeMemoryBytes - memoryBytes, accepting, labels);
    }
}
