package org.cyphon.core.protocol;

/** An attempt an agent holds, as it reports it in each heartbeat; {@code state}: running | suspended. */
public record AttemptStatus(long jobId, int attempt, long fencingToken, String state) {}
