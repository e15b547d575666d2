package org.cyphon.coordinator.files;

import java.time.Clock;
import java.time.Duration;
import java.util.TreeSet;
import org.cyphon.coordinator.store.Database;
import org.cyphon.coordinator.store.MachineRow;
import org.cyphon.coordinator.store.MachineTable;
import org.cyphon.core.machine.SharedPaths;
import org.cyphon.core.protocol.SharedPathList;

/**
 * {@code GET /files/shared}: the shared storage paths online desks have mounted, as their last
 * heartbeats said. {@code cyphon submit} asks, so that an input already on shared storage is used
 * where it is instead of being sent.
 */
public final class SharedStorageSeen {
    private final Database db;
    private final Clock clock;
    private final Duration lease;

    public SharedStorageSeen(Database db, Clock clock, Duration lease) {
        this.db = db;
        this.clock = clock;
        this.lease = lease;
    }

    public SharedPathList paths() {
        long since = clock.millis() - lease.toMillis();
        TreeSet<String> paths = new TreeSet<>();
        for (MachineRow m : db.transactions().read(MachineTable::all)) {
            if (m.lastContact() < since) continue;
            for (String k : m.agentLabels().keySet()) if (SharedPaths.isPath(k)) paths.add(k);
        }
        return new SharedPathList(java.util.List.copyOf(paths));
    }
}
