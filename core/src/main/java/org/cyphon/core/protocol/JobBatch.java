package org.cyphon.core.protocol;

import java.util.List;

/**
 * Several submissions stored all or nothing ({@code POST /api/v1/jobs/batch}), as one HTCondor
 * cluster: instance indexes run on across the submissions (the first job of the second submission
 * follows the last of the first), and {@code {cluster}} in arguments and environment values
 * becomes the id of the batch's first job.
 *
 * @param edges dependencies among the submissions themselves (a DAG, {@code cyphon dag}); null:
 *              none. Every job of an edge's submission runs after every job of the one it names.
 *              Cycles are refused.
 */
public record JobBatch(List<JobSubmission> jobs, List<Edge> edges) {
    /**
     * @param job    a submission's position in the batch's list
     * @param after  the position of the submission it runs after
     * @param anyEnd true: after any end; false: after completion with exit code 0
     */
    public record Edge(int job, int after, boolean anyEnd) {}

    public JobBatch(List<JobSubmission> jobs) {
        this(jobs, null);
    }
}
