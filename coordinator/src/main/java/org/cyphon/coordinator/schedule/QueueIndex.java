package org.cyphon.coordinator.schedule;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import org.cyphon.core.machine.Offer;
import org.cyphon.core.schedule.PendingJob;

/**
 * The queued jobs, in memory, in placement order. The store stays the truth: this index is rebuilt
 * from it, and an entry that is no longer queued there is dropped when the scheduler tries it.
 * Used by the scheduling thread only.
 */
final class QueueIndex {
    private final NavigableSet<PendingJob> ordered = new TreeSet<>(org.cyphon.core.schedule.PlaceByPriorityOnEmptiestMachine.QUEUE_ORDER);
    private final Map<Long, PendingJob> byId = new HashMap<>();

    void add(PendingJob job) {
        PendingJob old = byId.put(job.id(), job);
        if (old != null) ordered.remove(old);
        ordered.add(job);
    }

    void remove(long id) {
        PendingJob old = byId.remove(id);
        if (old != null) ordered.remove(old);
    }

    void replaceAll(Collection<PendingJob> jobs) {
        ordered.clear();
        byId.clear();
        jobs.forEach(this::add);
    }

    int size() {
        return byId.size();
    }

    /**
     * The first {@code limit} jobs, in order, that fit at least one offer. A job that fits no single
     * offer now cannot be placed by this pass whatever else happens (offers only shrink during a
     * pass), so leaving it out changes no decision, and keeps a queue of huge jobs from starving the
     * window. At most {@code scanLimit} entries are looked at.
     */
    List<PendingJob> window(List<Offer> offers, int limit, int scanLimit) {
        int maxCpu = 0;
        long maxMem = 0;
        for (Offer o : offers) {
            if (!o.accepting()) continue;
            maxCpu = Math.max(maxCpu, o.freeCpuMillis());
            maxMem = Math.max(maxMem, o.freeMemoryBytes());
        }
        List<PendingJob> out = new ArrayList<>(Math.min(limit, byId.size()));
        if (maxCpu <= 0) return out;
        int scanned = 0;
        for (PendingJob j : ordered) {
            if (out.size() >= limit || scanned++ >= scanLimit) break;
            if (j.cpuMillis() <= maxCpu && j.memoryBytes() <= maxMem) out.add(j);
        }
        return out;
    }
}
