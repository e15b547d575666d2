package org.cyphon.core.schedule;

/** A queued job as placement sees it. Lower {@code id} means submitted earlier. */
public record PendingJob(long id, String owner, int priority, int cpuMillis, long memoryBytes) {
}
