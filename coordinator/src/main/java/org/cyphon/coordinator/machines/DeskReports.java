package org.cyphon.coordinator.machines;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.cyphon.core.protocol.DeskView;

/**
 * The latest {@link DeskView} each agent sent with its heartbeat, for {@code cyphon machine NAME}.
 * Kept in memory only: it is a live reading, replaced every few seconds, and a restarted
 * coordinator has it again after one heartbeat.
 */
public final class DeskReports {
    private final Map<String, DeskView> latest = new ConcurrentHashMap<>();
    private final Map<String, org.cyphon.core.protocol.DeskVmView> vms = new ConcurrentHashMap<>();

    public void record(String machine, DeskView desk) {
        // The slow yields are recorded in the store; the live reading keeps the rest.
        if (desk != null)
            latest.put(
                    machine, desk.ownerVisible().isEmpty() ? desk : desk.withOwnerSince(desk.ownerSince(), List.of()));
    }

    /** The machine's desk VM as its agent last read it; null (forgotten) when its agent reports none. */
    public void recordVm(String machine, org.cyphon.core.protocol.DeskVmView vm) {
        if (vm == null) vms.remove(machine);
        else vms.put(machine, vm);
    }

    /** Null when the machine has no desk VM, as far as its agent said since this coordinator started. */
    public org.cyphon.core.protocol.DeskVmView vmOf(String machine) {
        return vms.get(machine);
    }

    /** Null when the machine never reported its desk (an older agent, or none since start). */
    public DeskView of(String machine) {
        return latest.get(machine);
    }
}
