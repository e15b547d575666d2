package org.cyphon.sim.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.cyphon.core.schedule.FairShare;
import org.cyphon.core.schedule.PendingJob;
import org.cyphon.core.schedule.RuntimeEstimates;

/**
 * The jobs waiting to run, per submitter, oldest first. A placement pass is shown only the jobs
 * it could reach: submitters in order of least recent usage (core's {@link FairShare}, the same
 * order placement itself applies first), each with its oldest jobs, up to twice the free CPUs in
 * all (at least 16). Placement then decides among them; with thousands of queued jobs this keeps a
 * pass proportional to the free room rather than to the queue.
 */
final class PendingQueue {
    private static final Comparator<QueuedJob> OLDEST = Comparator.comparingLong(j -> j.seq);

    private final Map<String, TreeSet<QueuedJob>> byUser = new TreeMap<>();
    private final Map<Long, QueuedJob> bySeq = new HashMap<>();

    void add(QueuedJob j) {
        byUser.computeIfAbsent(j.user, u -> new TreeSet<>(OLDEST)).add(j);
        bySeq.put(j.seq, j);
    }

    QueuedJob take(long seq) {
        QueuedJob j = bySeq.remove(seq);
        if (j == null) return null;
        TreeSet<QueuedJob> s = byUser.get(j.user);
        s.remove(j);
        if (s.isEmpty()) byUser.remove(j.user);
        return j;
    }

    int size() {
        return bySeq.size();
    }

    boolean isEmpty() {
        return bySeq.isEmpty();
    }

    List<PendingJob> candidates(FairShare shares, Instant now, int freeCpus, RuntimeEstimates estimates) {
        int cap = Math.max(16, 2 * freeCpus);
        List<String> users = new ArrayList<>(byUser.keySet());
        Map<String, Double> usage = new HashMap<>();
        for (String u : users) usage.put(u, shares.usage(u, now));
        users.sort(Comparator.<String>comparingDouble(usage::get).thenComparing(Comparator.naturalOrder()));
        List<PendingJob> out = new ArrayList<>();
        for (String u : users) {
            int taken = 0;
            for (QueuedJob j : byUser.get(u)) {
                if (out.size() >= cap || taken >= Math.max(1, freeCpus)) break;
                out.add(view(j, estimates));
                taken++;
            }
            if (out.size() >= cap) break;
        }
        return out;
    }

    static PendingJob view(QueuedJob j, RuntimeEstimates estimates) {
        Duration expected = j.requestedS > 0
                ? Duration.ofMillis(Math.round(j.requestedS * 1000))
                : estimates.estimate(j.user, j.name);
        return new PendingJob(
                j.seq,
                j.user,
                0,
                j.cpus * 1000,
                0,
                j.name,
                Map.of(),
                expected,
                Duration.ofMillis(Math.round(j.savedS * 1000)));
    }

    List<QueuedJob> all() {
        return new ArrayList<>(bySeq.values());
    }
}
