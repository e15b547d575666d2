package org.cyphon.core.machine;

/**
 * What one machine can take right now: its free CPUs (thousandths) and memory after the attempts it
 * already runs, and whether it accepts new work at all (not drained, online, policy allows starts).
 */
public record Offer(String machine, int freeCpuMillis, long freeMemoryBytes, boolean accepting) {
    public boolean fits(int cpuMillis, long memoryBytes) {
        return accepting && cpuMillis <= freeCpuMillis && memoryBytes <= freeMemoryBytes;
    }

    public Offer minus(int cpuMillis, long memoryBytes) {
        return new Offer(machine, freeCpuMillis - cpuMillis, freeMemoryBytes - memoryBytes, accepting);
    }
}
