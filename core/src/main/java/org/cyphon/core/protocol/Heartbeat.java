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
 * @param sharedPaths the shared storage paths ({@code [storage] shared}) mounted and answering on
 *                    this desk right now; null from agents that have none configured (or older ones).
 *                    Jobs that need a path are placed only where it is listed
 * @param maxJobs       most jobs the agent runs at once ({@code sandbox.max_jobs}); the
 *                      coordinator never has more live attempts on the desk; null from older
 *                      agents (no limit but CPU and memory)
 * @param diskFreeBytes bytes free for jobs' work directories: the free space of the file system
 *                      holding them plus what the running jobs with a {@code --disk} request
 *                      have written so far (the coordinator reserves their whole requests
 *                      itself); null when the agent does not say
 * @param walls         each wall around jobs and whether it is built on this desk; null from
 *                      older agents
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
        List<String> sharedPaths,
        Integer maxJobs,
        Long diskFreeBytes,
        List<WallView> walls,
        List<GpuView> gpus) {

    public Heartbeat {
        gpus = gpus == null ? null : List.copyOf(gpus);
    }

    /** A heartbeat without shared storage, job slots, free disk, walls or GPUs (what agents before them sent). */
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
        this(cpus, memoryBytes, sandbox, sandboxNote, attempts, criu, desk, vm, labels, null, null, null, null, null);
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
