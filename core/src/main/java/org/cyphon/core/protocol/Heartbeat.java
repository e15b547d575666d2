package org.cyphon.core.protocol;

import java.util.List;

/**
 * Sent by each agent every {@code heartbeatMillis} ({@code POST /api/v1/agents/{machine}/heartbeat}):
 * its resources and every attempt it holds. It renews the leases of those attempts.
 *
 * @param criu whether transparent checkpointing with CRIU works on this machine: {@code "available"},
 *             or {@code "unavailable: WHY"}; null when the agent does not say
 */
public record Heartbeat(double cpus, long memoryBytes, String sandbox, String sandboxNote, List<AttemptStatus> attempts, String criu) {

    /** A heartbeat that says nothing about CRIU (what agents before checkpoints sent). */
    public Heartbeat(double cpus, long memoryBytes, String sandbox, String sandboxNote, List<AttemptStatus> attempts) {
        this(cpus, memoryBytes, sandbox, sandboxNote, attempts, null);
    }
}
