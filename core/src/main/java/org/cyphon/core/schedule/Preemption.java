package org.cyphon.core.schedule;

/** Placement's decision to checkpoint and vacate a running attempt, so {@code forJob} can run there. */
public record Preemption(long jobId, long fencingToken, String machine, long forJob, String reason) {}
