package org.cyphon.core.protocol;

import org.cyphon.core.job.AttemptOutcome;

/**
 * How an attempt ended. {@code outcome} (see {@link AttemptOutcome}): {@code exited} (the process
 * exited; see exitCode/signal), {@code failed_to_start} (could not be launched: counts as a lost
 * attempt), {@code killed} (stopped because the coordinator asked: cancel, hold, stale),
 * {@code vacated} (left the machine on purpose; the job is queued again without using an attempt).
 * The coordinator refuses {@code lost}, its own verdict, and any other value with a 400 naming the
 * field.
 *
 * <p>An {@code exited} report whose exit code is the job's checkpoint exit code, from an attempt
 * that stored a checkpoint, requeues the job from that checkpoint instead of completing it.
 *
 * @param cpuSecondsSinceCheckpoint CPU time the attempt used after the state its last stored
 *                                  checkpoint holds (all of {@code cpuSeconds} when it stored none):
 *                                  the work a vacate throws away. Null from agents that do not
 *                                  know; the coordinator then counts all of {@code cpuSeconds}.
 */
public record AttemptReport(
        long jobId,
        int attempt,
        long fencingToken,
        AttemptOutcome outcome,
        Integer exitCode,
        Integer signal,
        double cpuSeconds,
        String message,
        Double cpuSecondsSinceCheckpoint) {

    /** A report without checkpoint accounting (what agents before checkpoints sent). */
    public AttemptReport(
            long jobId,
            int attempt,
            long fencingToken,
            AttemptOutcome outcome,
            Integer exitCode,
            Integer signal,
            double cpuSeconds,
            String message) {
        this(jobId, attempt, fencingToken, outcome, exitCode, signal, cpuSeconds, message, null);
    }
}
