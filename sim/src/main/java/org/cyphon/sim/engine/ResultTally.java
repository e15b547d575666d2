package org.cyphon.sim.engine;

/**
 * The jobs' side of one policy's result (started, completed, waits, slowdowns, the last end) and
 * the result itself, from these and what {@link Accounting} measured.
 */
final class ResultTally {
    private long completed;
    private double waitSumS;
    private long started;
    private double slowdownSum;
    private long lastEndMs = -1;

    /** A job's first attempt starts at {@code t}: its wait ends. */
    void started(QueuedJob j, long t) {
        started++;
        waitSumS += (t - j.submitMs) / 1000.0;
    }

    void completed(QueuedJob j, long t) {
        completed++;
        slowdownSum += Math.max(1, ((t - j.submitMs) / 1000.0) / Math.max(j.runtimeS, SimConfig.TAU_SECONDS));
        lastEndMs = Math.max(lastEndMs, t);
    }

    /**
     * What the attempts still on a desk at the horizon did: only what a checkpoint saved is useful
     * (the job resumes from it); the rest, and everything a job that cannot checkpoint did in its
     * current attempt, is "in progress" — not useful, since nobody knows whether that attempt would
     * have finished, and not wasted, since it was not lost either.
     */
    static void settleAtHorizon(RunState s) {
        for (Desk d : s.desks) {
            for (Attempt a : d.attempts) s.acc.inProgressCpuS += Math.max(0, a.doneS - a.savedNowS()) * a.job.cpus;
        }
    }

    PolicyResult result(RunState s, long jobsLeftOut) {
        Accounting acc = s.acc;
        PowerSettings power = s.power;
        long unfinished = s.pending.size();
        for (Desk d : s.desks) unfinished += d.attempts.size();
        if (s.cfg.saturate()) unfinished = 0;
        double useful = acc.progressCpuS - acc.wastedCpuS - acc.inProgressCpuS;
        double interference = acc.normalCpuWhilePresentS + acc.lingerCostS;
        long firstSubmit =
                s.trace.jobs().isEmpty() ? 0 : s.trace.jobs().getFirst().submitMs();
        double makespan = lastEndMs < 0 ? Double.NaN : (lastEndMs - Math.min(firstSubmit, lastEndMs)) / 1000.0;
        return new PolicyResult(
                s.settings.preset(),
                acc.availableCpuS > 0 ? useful / acc.availableCpuS : 0,
                useful,
                acc.availableCpuS,
                interference,
                acc.normalCpuWhilePresentS,
                acc.lingerCostS,
                acc.unservedOwnerCpuS,
                acc.ownerArrivals,
                acc.ownerVisibleEvents,
                acc.wastedCpuS,
                acc.inProgressCpuS,
                acc.overheadCpuS,
                completed,
                unfinished,
                jobsLeftOut,
                started == 0 ? Double.NaN : waitSumS / started,
                completed == 0 ? Double.NaN : slowdownSum / completed,
                makespan,
                acc.freezes,
                acc.vacates,
                acc.kills,
                acc.lostToPowerOff,
                acc.placementPasses,
                acc.decisions,
                acc.hourProgress,
                acc.hourAvailable,
                acc.heatPresent,
                acc.heatOff,
                acc.heatHarvest,
                s.normalPriority ? "normal" : "idle",
                new PowerFigures(
                        acc.lostToPowerOffCpuS,
                        acc.checkpointableLostToPowerOffCpuS,
                        acc.checkpointedAtShutdown,
                        acc.awakeDeskS,
                        acc.asleepDeskS,
                        acc.offDeskS,
                        acc.sleeps,
                        acc.wakeUps,
                        (acc.awakeDeskS * power.watts().awake()
                                        + acc.asleepDeskS * power.watts().asleep()
                                        + acc.offDeskS * power.watts().off())
                                / 3600.0
                                / 1000.0));
    }
}
