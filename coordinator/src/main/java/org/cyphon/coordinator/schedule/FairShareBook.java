package org.cyphon.coordinator.schedule;

import java.time.Duration;
import java.time.Instant;
import org.cyphon.coordinator.store.Database;
import org.cyphon.coordinator.store.FairShareTable;
import org.cyphon.core.schedule.FairShare;

/**
 * The pool's fair-share state: restored from the store at start, charged as attempts end, written
 * back about once a minute and at stop. Charging happens in memory on the scheduling thread, so an
 * attempt end costs no write; a crash forgets at most the last minute's charges, which the
 * half-life would soon have faded anyway. Used by the scheduling thread only, but for
 * {@link #current}, which any thread may read.
 */
final class FairShareBook {
    private final Database db;
    private volatile FairShare shares;
    private boolean dirty;

    FairShareBook(Database db, Duration halfLife) {
        this.db = db;
        this.shares = FairShare.empty(halfLife);
    }

    void restore() {
        shares = FairShare.restore(shares.halfLife(), db.transactions().read(FairShareTable::all));
        dirty = false;
    }

    /**
     * Charges {@code owner} for an ended attempt: the CPU time its agent measured, else cpus x wall
     * time (an attempt lost with its machine reported nothing).
     */
    void charge(String owner, int cpuMillis, long startedAt, long endedAt, Double measuredCpuSeconds) {
        double wall = Math.max(0, endedAt - startedAt) / 1000.0;
        double cpu =
                measuredCpuSeconds != null && measuredCpuSeconds > 0 ? measuredCpuSeconds : cpuMillis / 1000.0 * wall;
        if (cpu <= 0) return;
        shares = shares.charge(owner, cpu, Instant.ofEpochMilli(endedAt));
        dirty = true;
    }

    FairShare current() {
        return shares;
    }

    /** Writes the state if it changed since the last save. */
    void save() {
        if (!dirty) return;
        FairShare s = shares;
        db.transactions().write(c -> {
            FairShareTable.replaceAll(c, s.usages());
            return null;
        });
        dirty = false;
    }
}
