package org.cyphon.core.protocol;

import java.util.List;

/**
 * Sent by each agent every {@code heartbeatMillis} ({@code POST /api/v1/agents/{machine}/heartbeat}):
 * its resources and every attempt it holds. It renews the leases of those attempts.
 */
public record Heartbeat(double cpus, long memoryBytes, String sandbox, String sandboxNote, List<AttemptStatus> attempts) {}
