package org.cyphon.core.protocol;

import java.util.List;

/**
 * Several submissions stored all or nothing ({@code POST /api/v1/jobs/batch}), as one HTCondor
 * cluster: instance indexes run on across the submissions (the first job of the second submission
 * follows the last of the first), and {@code {cluster}} in arguments and environment values
 * becomes the id of the batch's first job.
 */
public record JobBatch(List<JobSubmission> jobs) {}
