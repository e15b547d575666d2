package org.cyphon.sim.engine;

/**
 * One policy's figures over one run (definitions in docs/simulator.md).
 *
 * @param harvestEfficiency           usefulCpuSeconds / idleCpuSecondsAvailable
 * @param usefulCpuSeconds            job work that counts: of completed jobs, and what checkpoints
 *                                    saved of unfinished ones (they resume from it); neither what
 *                                    was lost nor what is in progress at the horizon
 * @param inProgressCpuSeconds        work of attempts running at the horizon that no checkpoint saved
 *                                    (for a job that cannot checkpoint: all of its current attempt)
 * @param meanWaitSeconds             NaN when no job started
 * @param meanBoundedSlowdown         NaN when no job completed
 * @param makespanSeconds             NaN when no job completed
 * @param ownerInterferenceCpuSeconds normal-priority job CPU-seconds while the owner was present,
 *                                    plus the linger cost (lingerSlowdown x the owner's CPU-seconds
 *                                    beside running idle-priority work)
 * @param ownerVisibleEvents          owner arrivals during whose presence the owner's demand went
 *                                    unserved for more than the threshold
 * @param hourlyHarvest               job progress CPU-seconds per hour of the run
 * @param hourlyAvailable             idle desk CPU-seconds per hour of the run
 * @param heatPresent                 for the first desks, the fraction of each hour the owner was present
 * @param heatOff                     for the first desks, the fraction of each hour the desk was off
 * @param heatHarvest                 for the first desks, job progress per hour as a fraction of the cores
 * @param power                       work lost to desks switching off, desks awake, asleep and off, energy
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
        double inProgressCpuSeconds,
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
        float[][] heatOff,
        float[][] heatHarvest,
        String jobPriority,
        PowerFigures power) {

    public PolicyResult {
        if (power == null) power = PowerFigures.NONE;
    }

    /** A result without power figures. */
    public PolicyResult(
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
            double inProgressCpuSeconds,
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
            float[][] heatOff,
            float[][] heatHarvest,
            String jobPriority) {
        this(
                name,
                harvestEfficiency,
                usefulCpuSeconds,
                idleCpuSecondsAvailable,
                ownerInterferenceCpuSeconds,
                normalPriorityCpuSecondsWhilePresent,
                lingerCostCpuSeconds,
                unservedOwnerCpuSeconds,
                ownerArrivals,
                ownerVisibleEvents,
                wastedCpuSeconds,
                inProgressCpuSeconds,
                checkpointOverheadCpuSeconds,
                jobsCompleted,
                jobsUnfinished,
                jobsLeftOut,
                meanWaitSeconds,
                meanBoundedSlowdown,
                makespanSeconds,
                freezes,
                vacates,
                kills,
                attemptsLostToPowerOff,
                placementPasses,
                decisions,
                hourlyHarvest,
                hourlyAvailable,
                heatPresent,
                heatOff,
                heatHarvest,
                jobPriority,
                PowerFigures.NONE);
    }
}
