package org.cyphon.agent.gpu;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * The owner's GPU use, from what nvidia-smi says of each GPU and of the processes computing on it:
 * nvidia-smi gives utilisation per GPU, not per process, so a GPU's use is the jobs' own only when
 * a job holds it and every process computing on it is that job's; otherwise (a process of the
 * owner's computes there, or nothing computes and the use is graphics: a game, a video) all of it
 * is the owner's. The busiest GPU counts: a game uses one GPU, and averaging with an idle second
 * one would halve it.
 */
public final class OwnerGpuUse {
    private OwnerGpuUse() {}

    /**
     * @param held the UUIDs of the GPUs jobs hold now
     * @return the owner's use of their busiest GPU, 0..1; empty when no GPU reports utilisation
     */
    public static OptionalDouble busiest(List<Gpu> gpus, List<ComputeApp> apps, Set<String> held, JobProcesses jobs) {
        Map<String, Boolean> onlyJobs = new HashMap<>();
        for (ComputeApp a : apps) onlyJobs.merge(a.gpuUuid(), jobs.isJobs(a.pid()), Boolean::logicalAnd);
        double most = -1;
        for (Gpu g : gpus) {
            if (g.busyFraction() == null) continue;
            boolean jobsOwn = held.contains(g.uuid()) && onlyJobs.getOrDefault(g.uuid(), false);
            most = Math.max(most, jobsOwn ? 0 : g.busyFraction());
        }
        return most < 0 ? OptionalDouble.empty() : OptionalDouble.of(most);
    }
}
