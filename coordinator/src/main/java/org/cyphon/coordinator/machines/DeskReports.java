package org.cyphon.coordinator.machines;

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

    public void record(String machine, DeskView desk) {
        if (desk != null) latest.put(machine, desk);
    }

    /** Null when the machine never reported its desk (an older agent, or none since start). */
    public DeskView of(String machine) {
        return latest.get(machine);
    }
}
