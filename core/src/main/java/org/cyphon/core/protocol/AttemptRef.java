package org.cyphon.core.protocol;

/** Names one attempt; with a {@code reason} when the coordinator asks the agent to stop it. */
public record AttemptRef(long jobId, int attempt, long fencingToken, String reason) {}
