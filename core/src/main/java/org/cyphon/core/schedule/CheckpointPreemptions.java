package org.cyphon.core.schedule;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which running attempts to checkpoint and vacate so that higher-priority jobs can run, when a
 * pass could not place them on free capacity.
 *
 * <p>Rules, and why:
 * <ul>
 *   <li>Only within one submitter: priorities order a submitter's own jobs; between submitters
 *       fair share decides, over time, by who gets the next free desk. Letting one submitter's
 *       priority evict another's work would let anyone jump the fair-share order by raising a number.</li>
 *   <li>Only checkpointable attempts: the victim saves its work and requeues, losing nothing but
 *       the checkpoint's time. Uncheckpointable work is never preempted.</li>
 *   <li>Strictly higher priority; the lowest-priority, then newest, victim first; one victim per
 *       job, on an accepting desk that carries the job's labels and, once the victim leaves, has
 *       room for the job (CPU, memory and disk; the victim's slot becomes the job's). The job itself is placed by a later pass, when the capacity is free.</li>
 *   <li>At most {@code limit} per pass, so a burst of urgent jobs cannot vacate the whole pool at once.</li>
 * </ul>
 */
final class CheckpointPreemptions {
    private static final int MAX_CANDIDATES_PER_JOB = 64;
    private static final Comparator<RunningAttempt> VICTIM_ORDER = Comparator.comparingInt(RunningAttempt::priority)
            .thenComparing(Comparator.comparingLong(RunningAttempt::jobId).reversed());

    private CheckpointPreemptions() {}

    static List<Preemption> choose(
            List<PendingJob> unplaced, List<RunningAttempt> running, DeskRanking desks, int limit) {
        if (limit <= 0 || unplaced.isEmpty() || running.isEmpty()) return List.of();
        Map<String, List<RunningAttempt>> byOwner = new HashMap<>();
        for (RunningAttempt r : running) {
            if (r.checkpointable())
                byOwner.computeIfAbsent(String.valueOf(r.owner()), k -> new ArrayList<>())
                        .add(r);
        }
        if (byOwner.isEmpty()) return List.of();
        byOwner.values().forEach(l -> l.sort(VICTIM_ORDER));

        List<Preemption> out = new ArrayList<>();
        Set<Long> taken = new HashSet<>();
        for (PendingJob job : unplaced) {
            List<RunningAttempt> candidates = byOwner.get(String.valueOf(job.owner()));
            if (candidates == null) continue;
            int looked = 0;
            for (RunningAttempt v : candidates) {
                if (v.priority() >= job.priority() || looked++ >= MAX_CANDIDATES_PER_JOB) break;
                if (taken.contains(v.jobId())) continue;
                DeskRanking.Desk d = desks.desk(v.machine());
                if (d == null || !d.offer.accepting() || !d.offer.carries(job.requires())) continue;
                if (job.ownNetwork() && !d.offer.ownNetwork()) continue;
                if (d.freeCpu + v.cpuMillis() < job.cpuMillis()
                        || d.freeMemory + v.memoryBytes() < job.memoryBytes()
                        || d.freeDisk + v.diskBytes() < job.diskBytes()
                        || d.freeGpus + v.gpus() < job.gpus()) continue;
                taken.add(v.jobId());
                out.add(new Preemption(
                        v.jobId(),
                        v.fencingToken(),
                        v.machine(),
                        job.id(),
                        "checkpoint and vacate for job " + job.id() + " of " + job.owner() + " at priority "
                                + job.priority() + " (this one has " + v.priority() + ")"));
                break;
            }
            if (out.size() >= limit) break;
        }
        return out;
    }
}
