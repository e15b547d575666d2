package org.cyphon.core.protocol;

import org.cyphon.core.job.AttemptRunState;

/**
 * An attempt an agent holds, as it reports it in each heartbeat; {@code state}: running | suspended
 * ({@link AttemptRunState}).
 *
 * @param cpuSecondsSinceCheckpoint CPU time used since the state of the attempt's last stored
 *                                  checkpoint (or since its start), or null when the agent does not
 *                                  say. The coordinator keeps the latest figure: if the attempt's
 *                                  lease then runs out, that is the work counted as lost.
 */
public record AttemptStatus(
        long jobId, int attempt, long fencingToken, AttemptRunState state, Double cpuSecondsSinceCheckpoint) {

    /** A status without CPU accounting (what agents before checkpoints sent). */
    public AttemptStatus(long jobId, int attempt, long fencingToken, AttemptRunState state) {
        this(jobId, attempt, fencingToken, state, null);
    }
}
