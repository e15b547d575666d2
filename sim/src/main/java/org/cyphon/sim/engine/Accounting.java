package org.cyphon.sim.engine;

/**
 * What one policy's run measured, as it goes. CPU figures in CPU-seconds. Hourly series for the
 * report's charts: all desks, and a few desks for the heatmap.
 */
final class Accounting {
    double availableCpuS;
    double progressCpuS;
    double wastedCpuS;
    /** Work of attempts still running at the horizon that no checkpoint saved (see ResultTally.settleAtHorizon). */
    double inProgressCpuS;

    double overheadCpuS;
    double normalCpuWhilePresentS;
    double lingerCostS;
    double unservedOwnerCpuS;
    long ownerArrivals;
    long ownerVisibleEvents;
    long freezes;
    long vacates;
    long kills;
    long lostToPowerOff;
    double lostToPowerOffCpuS;
    double checkpointableLostToPowerOffCpuS;
    long checkpointedAtShutdown;
    double awakeDeskS;
    double asleepDeskS;
    double offDeskS;
    long sleeps;
    long wakeUps;
    long placementPasses;
    long assignments;
    long decisions;

    final double[] hourProgress;
    final double[] hourAvailable;
    final float[][] heatPresent;
    final float[][] heatOff;
    final float[][] heatHarvest;

    Accounting(int hours, int heatDesks) {
        hourProgress = new double[hours];
        hourAvailable = new double[hours];
        heatPresent = new float[heatDesks][hours];
        heatOff = new float[heatDesks][hours];
        heatHarvest = new float[heatDesks][hours];
    }
}
