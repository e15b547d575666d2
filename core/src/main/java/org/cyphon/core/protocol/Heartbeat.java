package org.cyphon.core.protocol;

import java.util.List;
import java.util.Map;

/**
 * Sent by each agent every {@code heartbeatMillis} ({@code POST /api/v1/agents/{machine}/heartbeat}):
 * its resources and every attempt it holds. It renews the leases of those attempts.
 *
 * @param desk the owner's presence and the desk's start decision; null from older agents (then
 *             the machine is taken as accepting work)
 * @param criu whether transparent checkpointing with CRIU works on this machine: {@code "available"},
 *             or {@code "unavailable: WHY"}; null when the agent does not say
 * @param vm   the machine's desk VM as its agent last read it; null when it has none
 * @param labels what the agent knows the machine to be ({@code os}, {@code arch}, {@code gpu}) and
 *               what agent.toml's {@code [labels]} adds; null from older agents (then the labels
 *               stored before are kept)
 * @param gpus   the desk's GPUs, each with the job it is assigned to; null from older agents and
 *               empty on desks without any (then the desk takes no GPU job)
 */
public record Heartbeat(
        double cpus,
        long memoryBytes,
        String sandbox,
        String sandboxNote,
        List<AttemptStatus> attempts,
        String criu,
        DeskView desk,
        DeskVmView vm,
        Map<String, String> labels,
        List<GpuView> gpus) {

    public Heartbeat {
        gpus = gpus == null ? null : List.copyOf(gpus);
    }

    /** A heartbeat without GPUs (what agents before GPU jobs sent). */
    public Heartbeat(
            double cpus,
            long memoryBytes,
            String sandbox,
            String sandboxNote,
            List<AttemptStatus> attempts,
            String criu,
            DeskView desk,
            DeskVmView vm,
            Map<String, String> labels) {
        this(cpus, memoryBytes, sandbox, sandboxNote, attempts, criu, desk, vm, labels, null);
    }

    /** A heartbeat without labels. */
    public Heartbeat(
            double cpus,
            long memoryBytes,
            String sandbox,
            String sandboxNote,
            List<AttemptStatus> attempts,
            String criu,
            DeskView desk,
            DeskVmView vm) {
        this(cpus, memoryBytes, sandbox, sandboxNote, attempts, criu, desk, vm, null);
    }

    /** A heartbeat from a machine without a desk VM. */
    public Heartbeat(
            double cpus,
            long memoryBytes,
            String sandbox,
            String sandboxNote,
            List<AttemptStatus> attempts,
            String criu,
            DeskView desk) {
        this(cpus, memoryBytes, sandbox, sandboxNote, attempts, criu, desk, null);
    }

    /** A heartbeat without desk information (agents before the owner-first loop). */
    public Heartbeat(
            double cpus,
            long memoryBytes,
            String sandbox,
            String sandboxNote,
            List<AttemptStatus> attempts,
            String criu) {
        this(cpus, memoryBytes, sandbox, sandboxNote, attempts, criu, null);
    }

    /** A heartbeat that says nothing about CRIU (what agents before checkpoints sent). */
    public Heartbeat(double cpus, long memoryBytes, String sandbox, String sandboxNote, List<AttemptStatus> attempts) {
        this(cpus, memoryBytes, sandbox, sandboxNote, attempts, null);
    }
}
