package org.cyphon.coordinator.store;

import java.util.Map;
import org.cyphon.core.machine.Labels;

/**
 * A machine as enrolled and last heard from. Times are epoch milliseconds.
 *
 * @param criu whether CRIU works there ("available" or "unavailable: WHY"), null if never said
 * @param agentLabels what its agent last said it is (os, arch, gpu, agent.toml's [labels])
 * @param adminLabels what admins set; these override the agent's
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
        String criu,
        Map<String, String> agentLabels,
        Map<String, String> adminLabels) {

    public MachineRow {
        agentLabels = agentLabels == null ? Map.of() : agentLabels;
        adminLabels = adminLabels == null ? Map.of() : adminLabels;
    }

    /** The labels jobs can require of it. */
    public Map<String, String> labels() {
        return Labels.merge(agentLabels, adminLabels);
    }

    /** The last time the machine's agent spoke to us (enrolling counts). */
    public long lastContact() {
        return lastHeartbeat == null ? enrolledAt : Math.max(enrolledAt, lastHeartbeat);
    }
}
