package org.cyphon.core.protocol;

/**
 * How an attempt ended. {@code outcome}: {@code exited} (the process exited; see exitCode/signal),
 * {@code failed_to_start} (could not be launched: counts as a lost attempt), {@code killed}
 * (stopped because the coordinator asked: cancel, hold, stale), {@code vacated} (left the machine
 * on purpose; the job is queued again without using an attempt).
 */
public record AttemptReport(
        long jobId,
        int attempt,
        long fencingToken,
        String outcome,
        Integer exitCode,
        Integer signal,
        double cpuSeconds,
        String message) {}
