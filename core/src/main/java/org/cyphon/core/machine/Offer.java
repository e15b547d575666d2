package org.cyphon.core.machine;

import java.util.Map;

/**
 * What one machine can take right now: its free CPUs (thousandths) and memory after the attempts it
 * already runs, whether it accepts new work at all (not drained, online, policy allows starts), the
 * labels jobs may require (os, arch, gpu, and any an admin sets), and its GPUs no attempt holds.
 *
 * @param freeSlots     how many more jobs it may run at once ({@code max_jobs} less its live
 *                      attempts); {@link #UNLIMITED_SLOTS} when its agent does not say
 * @param freeDiskBytes disk free for jobs' work directories, less what the {@code --disk} requests
 *                      of its live attempts reserve; {@link #UNKNOWN_DISK} when its agent does not say
 * @param ownNetwork    it can give a {@code --network none} job a network namespace of its own
 * @param freeGpus      its GPUs no live attempt holds
 */
public record Offer(
        String machine,
        int freeCpuMillis,
        long freeMemoryBytes,
        boolean accepting,
        Map<String, String> labels,
        int freeSlots,
        long freeDiskBytes,
        boolean ownNetwork,
        int freeGpus) {
    /** An agent that does not report {@code max_jobs}: only CPU and memory limit it. */
    public static final int UNLIMITED_SLOTS = Integer.MAX_VALUE;
    /** An agent that does not report its free disk: no disk request is refused for it. */
    public static final long UNKNOWN_DISK = Long.MAX_VALUE;

    public Offer {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        if (freeGpus < 0) freeGpus = 0;
    }

    /** An offer with this many free GPUs that says nothing of job slots or disk. */
    public Offer(
            String machine,
            int freeCpuMillis,
            long freeMemoryBytes,
            boolean accepting,
            Map<String, String> labels,
            int freeGpus) {
        this(machine, freeCpuMillis, freeMemoryBytes, accepting, labels, UNLIMITED_SLOTS, UNKNOWN_DISK, true, freeGpus);
    }

    /** An offer of a desk that can build every wall, with this many job slots and this much disk. */
    public Offer(
            String machine,
            int freeCpuMillis,
            long freeMemoryBytes,
            boolean accepting,
            Map<String, String> labels,
            int freeSlots,
            long freeDiskBytes) {
        this(machine, freeCpuMillis, freeMemoryBytes, accepting, labels, freeSlots, freeDiskBytes, true, 0);
    }

    /** An offer without GPUs that says nothing of job slots or disk. */
    public Offer(
            String machine, int freeCpuMillis, long freeMemoryBytes, boolean accepting, Map<String, String> labels) {
        this(machine, freeCpuMillis, freeMemoryBytes, accepting, labels, UNLIMITED_SLOTS, UNKNOWN_DISK);
    }

    public Offer(String machine, int freeCpuMillis, long freeMemoryBytes, boolean accepting) {
        this(machine, freeCpuMillis, freeMemoryBytes, accepting, Map.of());
    }

    public boolean fits(int cpuMillis, long memoryBytes) {
        return fits(cpuMillis, memoryBytes, 0);
    }

    public boolean fits(int cpuMillis, long memoryBytes, int gpus) {
        return accepting
                && cpuMillis <= freeCpuMillis
                && memoryBytes <= freeMemoryBytes
                && freeSlots > 0
                && gpus <= freeGpus;
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
                machine,
                freeCpuMillis - cpuMillis,
                freeMemoryBytes - memoryBytes,
                accepting,
                labels,
                freeSlots == UNLIMITED_SLOTS ? UNLIMITED_SLOTS : freeSlots - 1,
                freeDiskBytes,
                ownNetwork,
                freeGpus - gpus);
    }
}
