package org.cyphon.coordinator.store;

/**
 * A machine as enrolled and last heard from. Times are epoch milliseconds.
 *
 * @param criu whether CRIU works there ("available" or "unavailable: WHY"), null if never said
 */
public record MachineRow(
        String name,
        int cpuMillis,
        long memoryBytes,
        String sandbox,
        String sandboxNote,
        String agentVersion,
        boolean drained,
        long enrolledAt,
        Long lastHeartbeat,
        String criu) {

    /** The last time the machine's agent spoke to us (enrolling counts). */
    public long lastContact() {
        return lastHeartbeat == null ? enrolledAt : Math.max(enrolledAt, lastHeartbeat);
    }
}
