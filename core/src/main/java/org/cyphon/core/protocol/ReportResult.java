package org.cyphon.core.protocol;

/**
 * Whether one report was applied. {@code accepted=false} with a reason when it is stale (its
 * fencing token is not the job's current attempt) — the agent then forgets the attempt.
 */
public record ReportResult(long jobId, int attempt, boolean accepted, String reason) {}
