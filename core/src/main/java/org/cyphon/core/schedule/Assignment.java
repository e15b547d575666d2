package org.cyphon.core.schedule;

/** Placement's decision: run job {@code jobId} on {@code machine}. */
public record Assignment(long jobId, String machine) {}
