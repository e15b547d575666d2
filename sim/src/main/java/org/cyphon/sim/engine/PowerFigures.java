package org.cyphon.sim.engine;

/**
 * What one policy's run measured of the desks' power (docs/simulator.md, "Power").
 *
 * @param cpuSecondsLostToPowerOff       job work lost because a desk switched off (part of the wasted work)
 * @param checkpointableCpuSecondsLostToPowerOff the part of it lost by jobs that can checkpoint (the
 *                                       rest, jobs that cannot, no announcement saves)
 * @param attemptsCheckpointedAtShutdown attempts that wrote a checkpoint within an announced shutdown's
 *                                       delay and left with all their work
 * @param awakeDeskSeconds               over all desks, time on and awake
 * @param asleepDeskSeconds              time asleep (suspend_when_idle)
 * @param offDeskSeconds                 time off (as the owner trace says)
 * @param sleeps                         times a desk went to sleep
 * @param wakeUps                        Wake-on-LAN wake-ups sent for queued work
 * @param energyKWh                      the desks' energy by the stated watts model
 */
public record PowerFigures(
        double cpuSecondsLostToPowerOff,
        double checkpointableCpuSecondsLostToPowerOff,
        long attemptsCheckpointedAtShutdown,
        double awakeDeskSeconds,
        double asleepDeskSeconds,
        double offDeskSeconds,
        long sleeps,
        long wakeUps,
        double energyKWh) {

    public static final PowerFigures NONE = new PowerFigures(0, 0, 0, 0, 0, 0, 0, 0, 0);
}
