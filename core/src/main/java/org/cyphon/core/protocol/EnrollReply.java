package org.cyphon.core.protocol;

/** The agent's own secret for all later calls, and the timing it must keep. */
public record EnrollReply(String machine, String agentToken, long heartbeatMillis, long leaseMillis) {}
