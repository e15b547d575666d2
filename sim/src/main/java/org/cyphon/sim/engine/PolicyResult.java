package org.cyphon.sim.engine;

/**
 * One policy's figures over one run (definitions in docs/simulator.md).
 *
 * @param harvestEfficiency           usefulCpuSeconds / idleCpuSecondsAvailable
 * @param ownerInterferenceCpuSeconds normal-priority job CPU-seconds while the owner was present,
 *                                    plus the linger cost (lingerSlowdown x the owner's CPU-seconds
 *                                    beside running idle-priority work)
 * @param ownerVisibleEvents          owner arrivals during whose presence the owner's demand went
 *                                    unserved for more than the threshold
 * @param hourlyHarvest               job progress CPU-seconds per hour of the run
 * @param hourlyAvailable             idle desk CPU-seconds per hour of the run
 * @param heatPresent                 for the first desks, the fraction of each hour the owner was present
 * @param heatHarvest                 for the first desks, job progress per hour as a fraction of the cores
 */
public record PolicyResult(
        String name,
        double harvestEfficiency,
        double usefulCpuSeconds,
        double idleCpuSecondsAvailable,
        double ownerInterferenceCpuSeconds,
        double normalPriorityCpuSecondsWhilePresent,
        double lingerCostCpuSeconds,
        double unservedOwnerCpuSeconds,
        long ownerArrivals,
        long ownerVisibleEvents,
        double wastedCpuSeconds,
        double checkpointOverheadCpuSeconds,
        long jobsCompleted,
        long jobsUnfinished,
        long jobsLeftOut,
        double meanWaitSeconds,
        double meanBoundedSlowdown,
        double makespanSeconds,
        long freezes,
        long vacates,
        long kills,
        long attemptsLostToPowerOff,
        long placementPasses,
        long decisions,
        double[] hourlyHarvest,
        double[] hourlyAvailable,
        float[][] heatPresent,
        float[][] heatHarvest,
        String jobPriority) {}
