package org.cyphon.coordinator.machines;

import java.time.Instant;
import org.cyphon.coordinator.lifecycle.MachinePresence;
import org.cyphon.coordinator.store.AttemptTable;
import org.cyphon.coordinator.store.MachineRow;
import org.cyphon.coordinator.store.StoredJson;
import org.cyphon.core.protocol.MachineView;

/**
 * Store rows to the wire's {@link MachineView}: state is pending (waiting for an admin's approval),
 * asleep (its agent put it to sleep; silent, but neither offline nor lost), offline (silent for a
 * lease), drained, or online; with the flags where what it advertises
 * contradicts what its agent measured ({@link org.cyphon.core.machine.ResourceClaims}).
 */
final class MachineViews {
    private static final AttemptTable.Usage IDLE = new AttemptTable.Usage(0, 0, 0, 0);

    private MachineViews() {}

    static MachineView of(
            MachineRow m,
            AttemptTable.Usage usage,
            long now,
            long leaseMillis,
            org.cyphon.core.protocol.DeskView desk,
            org.cyphon.core.protocol.DeskVmView vm,
            org.cyphon.core.protocol.PowerView power) {
        AttemptTable.Usage u = usage == null ? IDLE : usage;
        boolean online = MachinePresence.online(m.lastContact(), now, leaseMillis);
        String state = m.pending()
                ? "pending"
                : m.asleep() ? "asleep" : !online ? "offline" : m.drained() ? "drained" : "online";
        return new MachineView(
                m.name(),
                state,
                m.drained(),
                m.cpuMillis() / 1000.0,
                m.memoryBytes(),
                Math.max(0, m.cpuMillis() - u.cpuMillis()) / 1000.0,
                Math.max(0, m.memoryBytes() - u.memoryBytes()),
                u.attempts(),
                m.sandbox(),
                m.sandboxNote(),
                Instant.ofEpochMilli(m.enrolledAt()),
                m.lastHeartbeat() == null ? null : Instant.ofEpochMilli(m.lastHeartbeat()),
                m.criu(),
                desk,
                vm,
                m.labels(),
                m.adminLabels(),
                null, // owner, absence and profile: the track record (ProfileViews) adds them
                null,
                null,
                org.cyphon.core.machine.ResourceClaims.contradictions(
                        measured(m.measured()), m.cpuMillis() / 1000.0, m.memoryBytes(), m.agentLabels()),
                m.joinedWith(),
                m.maxJobs(),
                m.diskFreeBytes(),
                StoredJson.readWalls(m.wallsJson()),
                power,
                m.gpus(),
                Math.max(0, m.gpus().size() - u.gpus()));
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private static org.cyphon.core.protocol.MeasuredResources measured(String json) {
        if (json == null) return null;
        try {
            return JSON.readValue(json, org.cyphon.core.protocol.MeasuredResources.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(
                    "stored measurement is not MeasuredResources JSON: " + e.getOriginalMessage(), e);
        }
    }
}
