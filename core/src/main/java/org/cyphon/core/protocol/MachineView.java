package org.cyphon.core.protocol;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A machine as admins see it. {@code state} is {@code online}, {@code offline} (no heartbeat within
 * the lease) or {@code drained} (online, takes no new work). {@code sandbox} says how jobs are
 * isolated there (e.g. {@code cgroup-v1}, {@code cgroup-v2}, {@code nice-only}) and
 * {@code sandboxNote} why, when it is degraded. {@code criu} is whether transparent checkpointing
 * with CRIU works there ({@code available}, or {@code unavailable: WHY}; null when its agent does
 * not say). {@code vm} is its desk VM as its agent last reported it (null: none). {@code labels}
 * are what jobs can require of it: its agent's (os, arch, gpu, agent.toml's [labels]) overridden by
 * those an admin set, which {@code adminLabels} lists apart.
 */
public record MachineView(
        String name,
        String state,
        boolean drained,
        double cpus,
        long memoryBytes,
        double freeCpus,
        long freeMemoryBytes,
        int runningAttempts,
        String sandbox,
        String sandboxNote,
        Instant enrolledAt,
        Instant lastHeartbeat,
        String criu,
        DeskView desk,
        DeskVmView vm,
        Map<String, String> labels,
        Map<String, String> adminLabels) {

    /** A view without labels. */
    public MachineView(String name, String state, boolean drained, double cpus, long memoryBytes, double freeCpus,
                       long freeMemoryBytes, int runningAttempts, String sandbox, String sandboxNote, Instant enrolledAt,
                       Instant lastHeartbeat, String criu, DeskView desk, DeskVmView vm) {
        this(name, state, drained, cpus, memoryBytes, freeCpus, freeMemoryBytes, runningAttempts, sandbox, sandboxNote,
                enrolledAt, lastHeartbeat, criu, desk, vm, null, null);
    }

    /** A view of a machine without a desk VM. */
    public MachineView(String name, String state, boolean drained, double cpus, long memoryBytes, double freeCpus,
                       long freeMemoryBytes, int runningAttempts, String sandbox, String sandboxNote, Instant enrolledAt,
                       Instant lastHeartbeat, String criu, DeskView desk) {
        this(name, state, drained, cpus, memoryBytes, freeCpus, freeMemoryBytes, runningAttempts, sandbox, sandboxNote,
                enrolledAt, lastHeartbeat, criu, desk, null);
    }

    /** A view without desk information. */
    public MachineView(String name, String state, boolean drained, double cpus, long memoryBytes, double freeCpus,
                       long freeMemoryBytes, int runningAttempts, String sandbox, String sandboxNote, Instant enrolledAt,
                       Instant lastHeartbeat, String criu) {
        this(name, state, drained, cpus, memoryBytes, freeCpus, freeMemoryBytes, runningAttempts, sandbox, sandboxNote,
                enrolledAt, lastHeartbeat, criu, null);
    }

    /** A view without CRIU information. */
    public MachineView(String name, String state, boolean drained, double cpus, long memoryBytes, double freeCpus,
                       long freeMemoryBytes, int runningAttempts, String sandbox, String sandboxNote, Instant enrolledAt,
                       Instant lastHeartbeat) {
        this(name, state, drained, cpus, memoryBytes, freeCpus, freeMemoryBytes, runningAttempts, sandbox, sandboxNote,
                enrolledAt, lastHeartbeat, null);
    }
}
