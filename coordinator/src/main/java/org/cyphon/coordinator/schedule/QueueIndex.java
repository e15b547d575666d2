package org.cyphon.coordinator.schedule;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.cyphon.core.schedule.PendingJob;

/**
 * The queued jobs, in memory: per submitter, in placement order (priority, then age). The store
 * stays the truth: this index is rebuilt from it, and an entry that is no longer queued there is
 * dropped when the scheduler tries it. Used by the scheduling thread only.
 */
final class QueueIndex {
    private final Map<String, NavigableSet<PendingJob>> byOwner = new HashMap<>();
    private final Map<Long, PendingJob> byId = new HashMap<>();

    void add(PendingJob job) {
        PendingJob old = byId.put(job.id(), job);
        if (old != null) ownerQueue(old.owner()).remove(old);
        ownerQueue(job.owner()).add(job);
    }

    void remove(long id) {
        PendingJob old = byId.remove(id);
        if (old == null) return;
        NavigableSet<PendingJob> q = byOwner.get(old.owner());
        q.remove(old);
        if (q.isEmpty()) byOwner.remove(old.owner());
    }

    void replaceAll(Collection<PendingJob> jobs) {
        byOwner.clear();
        byId.clear();
        jobs.forEach(this::add);
    }

    int size() {
        return byId.size();
    }

    PendingJob get(long id) {
        return byId.get(id);
    }

    Set<String> owners() {
        return byOwner.keySet();
    }

    /** Per owner, how many jobs wait. */
    Map<String, Integer> sizesByOwner() {
        Map<String, Integer> out = new HashMap<>();
        byOwner.forEach((o, q) -> out.put(o, q.size()));
        return out;
    }

    private NavigableSet<PendingJob> ownerQueue(String owner) {
        return byOwner.computeIfAbsent(owner, o -> new TreeSet<>(PendingJob.QUEUE_ORDER));
    }

    /**
     * The jobs placement should see this pass: submitters in {@code ownerOrder} (fair share: least
     * recent usage first), each one's jobs in priority order, which is the order placement takes
     * them in. Left out: jobs bigger than {@code bound} allows on any single machine, jobs whose
     * required labels no offer carries ({@code carried}), and {@code held} ones (waiting for a
     * preemption they caused). None of those could be placed by this pass whatever else happens,
     * so leaving them out changes no decision, and keeps a queue of unplaceable jobs from starving
     * the window. The window ends at {@code limit} jobs, or once its jobs ask for twice the CPU
     * free ({@code bound.totalCpu}: the rest could not start now anyway; twice, for fragmentation),
     * or after {@code scanLimit} entries looked at.
     *
     * @return the window, and whether it was cut short (more jobs might be placed in another pass)
     */
    Window window(
            Comparator<String> ownerOrder,
            MachineLoad.Bound bound,
            Predicate<Map<String, String>> carried,
            Set<Long> held,
            int limit,
            int scanLimit) {
        List<PendingJob> out = new ArrayList<>(Math.min(limit, byId.size()));
        if (bound.maxCpu() <= 0) return new Window(out, false);
        List<String> owners = new ArrayList<>(byOwner.keySet());
        owners.sort(ownerOrder);
        long budget = 2 * bound.totalCpu();
        long asked = 0;
        int scanned = 0;
        Map<Map<String, String>, Boolean> carriedCache = new HashMap<>();
        for (String owner : owners) {
            for (PendingJob j : byOwner.get(owner)) {
                if (out.size() >= limit || scanned++ >= scanLimit || asked >= budget) return new Window(out, true);
                if (j.cpuMillis() > bound.maxCpu()
                        || j.memoryBytes() > bound.maxMemory()
                        || j.gpus() > bound.maxGpus()
                        || held.contains(j.id())) continue;
                if (!j.requires().isEmpty() && !carriedCache.computeIfAbsent(j.requires(), carried::test)) continue;
                out.add(j);
                asked += j.cpuMillis();
            }
        }
        return new Window(out, false);
    }

    record Window(List<PendingJob> jobs, boolean cut) {}
}
