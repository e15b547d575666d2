package org.cyphon.core.machine;

import java.util.Map;

/**
 * What one machine can take right now: its free CPUs (thousandths) and memory after the attempts it
 * already runs, whether it accepts new work at all (not drained, online, policy allows starts), the
 * labels jobs may require (os, arch, gpu, and any an admin sets), and its GPUs no attempt holds.
 */
public record Offer(
        String machine,
        int freeCpuMillis,
        long freeMemoryBytes,
        boolean accepting,
        Map<String, String> labels,
        int freeGpus) {
    public Offer {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        if (freeGpus < 0) freeGpus = 0;
    }

    /** An offer without GPUs. */
    public Offer(
            String machine, int freeCpuMillis, long freeMemoryBytes, boolean accepting, Map<String, String> labels) {
        this(machine, freeCpuMillis, freeMemoryBytes, accepting, labels, 0);
    }

    public Offer(String machine, int freeCpuMillis, long freeMemoryBytes, boolean accepting) {
        this(machine, freeCpuMillis, freeMemoryBytes, accepting, Map.of());
    }

    public boolean fits(int cpuMillis, long memoryBytes) {
        return fits(cpuMillis, memoryBytes, 0);
    }

    public boolean fits(int cpuMillis, long memoryBytes, int gpus) {
        return accepting && cpuMillis <= freeCpuMillis && memoryBytes <= freeMemoryBytes && gpus <= freeGpus;
    }

    /** Every required label is present with the required value. */
    public boolean carries(Map<String, String> required) {
        for (var e : required.entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) return false;
        }
        return true;
    }

    public Offer minus(int cpuMillis, long memoryBytes) {
        return minus(cpuMillis, memoryBytes, 0);
    }

    public Offer minus(int cpuMillis, long memoryBytes, int gpus) {
        return new Offer(
                machine, freeCpuMillis - cpuMillis, freeMemoryBytes - memoryBytes, accepting, labels, freeGpus - gpus);
    }
}
