package org.cyphon.core.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;

/**
 * The order in which one pass considers queued jobs: the submitter with the least decayed usage
 * goes next, with their highest-priority, then oldest, job. Each placed job charges its
 * submitter the CPU-seconds it is expected to use (CPUs × remaining runtime, {@link
 * RuntimeBuckets#UNKNOWN_RUNTIME} when unknown), so submitters interleave within a pass instead of
 * the lightest one taking every free desk. A job that cannot be placed costs nothing, and its
 * submitter's next job is tried right away (backfill). O(Q log S) for Q jobs of S submitters.
 */
final class SubmitterTurns {
    private static final class Turn {
        final String owner;
        final ArrayDeque<PendingJob> jobs;
        double usage;

        Turn(String owner, List<PendingJob> jobs, double usage) {
            this.owner = owner;
            this.jobs = new ArrayDeque<>(jobs);
            this.usage = usage;
        }
    }

    private final PriorityQueue<Turn> turns =
            new PriorityQueue<>(Comparator.<Turn>comparingDouble(t -> t.usage).thenComparing(t -> t.owner));
    private Turn current;

    SubmitterTurns(List<PendingJob> queue, FairShare shares, Instant now) {
        Map<String, List<PendingJob>> byOwner = new TreeMap<>();
        for (PendingJob j : queue)
            byOwner.computeIfAbsent(String.valueOf(j.owner()), k -> new ArrayList<>())
                    .add(j);
        for (var e : byOwner.entrySet()) {
            List<PendingJob> jobs = e.getValue();
            jobs.sort(PendingJob.QUEUE_ORDER);
            turns.add(new Turn(e.getKey(), jobs, shares.usage(e.getKey(), now)));
        }
    }

    /** The next job to consider; null when none is left. Call {@link #placed} or {@link #skipped} after each. */
    PendingJob next() {
        current = turns.poll();
        return current == null ? null : current.jobs.poll();
    }

    void placed(PendingJob job) {
        current.usage += expectedCpuSeconds(job);
        requeue();
    }

    void skipped() {
        requeue();
    }

    private void requeue() {
        if (!current.jobs.isEmpty()) turns.add(current);
        current = null;
    }

    static double expectedCpuSeconds(PendingJob job) {
        Duration runtime = job.remaining() == null ? RuntimeBuckets.UNKNOWN_RUNTIME : job.remaining();
        return job.cpuMillis() / 1000.0 * runtime.toSeconds();
    }
}
