package org.cyphon.core.schedule;

import java.util.ArrayList;
import java.util.List;

/**
 * Cyphon's placement. Pure and deterministic.
 * <ol>
 *   <li>Order: the submitter with the least decayed recent usage ({@link FairShare}) goes next,
 *       with their highest-priority, then oldest, job; each placed job charges its submitter its
 *       expected CPU-seconds, so submitters interleave ({@link SubmitterTurns}).</li>
 *   <li>Match: an accepting desk with the CPUs, memory and GPUs free, a job slot free
 *       ({@code max_jobs}), the disk its {@code --disk} asks for free, a network namespace of its own
 *       for a {@code --network none} job, that carries every required label.</li>
 *   <li>Rank: the desk most likely to stay idle for the job's remaining expected runtime (a
 *       runtime neither given nor learned counts as {@link RuntimeBuckets#UNKNOWN_RUNTIME 1 h});
 *       ties: most free CPU, most free memory, name ({@link DeskRanking}).</li>
 *   <li>Preempt: jobs left unplaced may checkpoint-and-vacate lower-priority checkpointable attempts
 *       of their own submitter, at most {@code maxPreemptions} per pass ({@link CheckpointPreemptions}).</li>
 * </ol>
 * A job that fits nowhere is skipped so jobs behind it can still run (backfill).
 */
public final class PlaceByFairShareAndIdleFit implements Placement {
    public static final int DEFAULT_MAX_PREEMPTIONS = 16;

    private final int maxPreemptions;

    public PlaceByFairShareAndIdleFit() {
        this(DEFAULT_MAX_PREEMPTIONS);
    }

    /** @param maxPreemptions at most this many checkpoint-and-vacate requests per pass; 0 turns preemption off */
    public PlaceByFairShareAndIdleFit(int maxPreemptions) {
        if (maxPreemptions < 0)
            throw new IllegalArgumentException("maxPreemptions must not be negative, not " + maxPreemptions);
        this.maxPreemptions = maxPreemptions;
    }

    @Override
    public Plan place(PlacementInput in) {
        if (in.queue().isEmpty()) return Plan.EMPTY;
        DeskRanking desks = new DeskRanking(in.offers(), in.forecasts());
        SubmitterTurns turns = new SubmitterTurns(in.queue(), in.shares(), in.now());
        List<Assignment> out = new ArrayList<>();
        List<PendingJob> unplaced = new ArrayList<>();
        for (PendingJob job = turns.next(); job != null; job = turns.next()) {
            DeskRanking.Desk d = desks.best(job);
            if (d == null) {
                unplaced.add(job);
                turns.skipped();
                continue;
            }
            out.add(new Assignment(job.id(), d.name()));
            desks.take(d, job);
            turns.placed(job);
        }
        return new Plan(out, CheckpointPreemptions.choose(unplaced, in.running(), desks, maxPreemptions));
    }
}
