package org.cyphon.sim.engine;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cyphon.core.policy.AttemptState;
import org.cyphon.core.power.IdleSleep;
import org.cyphon.core.power.WakeChoice;
import org.cyphon.core.schedule.PendingJob;

/**
 * Power (issue 14): a desk switching off either announces it (the agent's delay inhibitor:
 * checkpointable attempts checkpoint within the delay) or not; with {@code suspend_when_idle} a desk
 * sleeps when core's {@link IdleSleep} says so, its owner wakes it by arriving, and after each
 * placement pass core's {@link WakeChoice} picks the sleeping desks the jobs left waiting should
 * wake, within the pool's wake-ups per hour. Each desk's time awake, asleep and off is integrated
 * for the energy figure ({@link DeskTime}).
 */
final class PowerModel {
    private final RunState s;
    private final AttemptEnds ends;
    private final DeskTime time;
    /** When each wake-up of the last hour was sent (ms), oldest first: the pool's budget. */
    private final ArrayDeque<Long> wakeUpsSent = new ArrayDeque<>();
    /** The pass already asked for when the wake-up budget grows again (-1: none). */
    private long budgetPassAtMs = -1;

    PowerModel(RunState s, AttemptEnds ends, DeskTime time) {
        this.s = s;
        this.ends = ends;
        this.time = time;
    }

    /**
     * The desk went off: every attempt ends. Announced (the agent holds logind's delay lock), each
     * checkpointable attempt is asked to checkpoint at once and keeps all its work if the checkpoint
     * is written within the delay (or its last checkpoint of a vacate already was); otherwise, and
     * always when the shutdown is not announced, it keeps only what its last checkpoint saved.
     */
    void powerOff(Desk d, long t) {
        Accounting acc = s.acc;
        long delayMs = s.power.shutdownDelay().toMillis();
        boolean fits = s.power.announced() && s.cfg.checkpointCost().toMillis() <= delayMs;
        for (Attempt a : List.copyOf(d.attempts)) {
            double kept = a.savedNowS();
            if (s.power.announced() && a.checkpointEveryS > 0) {
                boolean lastWritten =
                        a.state() == AttemptState.VACATING && a.leaveAtMs >= 0 && a.leaveAtMs <= t + delayMs;
                if (lastWritten || fits) {
                    // The shutdown waits for the checkpoint (at most the delay): its CPU is overhead.
                    if (!lastWritten) acc.overheadCpuS += s.ckptCostS * a.job.cpus;
                    kept = a.doneS;
                    acc.checkpointedAtShutdown++;
                }
            }
            if (kept < a.doneS || a.checkpointEveryS <= 0) acc.lostToPowerOff++;
            acc.lostToPowerOffCpuS += Math.max(0, a.doneS - kept) * a.job.cpus;
            if (a.checkpointEveryS > 0)
                acc.checkpointableLostToPowerOffCpuS += Math.max(0, a.doneS - kept) * a.job.cpus;
            ends.end(d, a, t, kept);
        }
        d.start = null;
        d.presence = null;
        d.wakeVersion++;
        d.scheduledWakeMs = Long.MAX_VALUE;
    }

    /** The desk suspends itself (its agent told the coordinator first): no decisions, no work, until woken. */
    void sleep(Desk d) {
        d.asleep = true;
        d.start = null;
        d.wakeVersion++;
        d.scheduledWakeMs = Long.MAX_VALUE;
        s.acc.sleeps++;
    }

    /**
     * A wake-up sent at {@code t - resumeTime} arrived: the desk takes work again, and core decides
     * for it next (the caller). False when the wake-up is stale: cancelled, or the desk is awake or off.
     */
    boolean resumed(Desk d, long t, long version) {
        if (version != d.resumeVersion || !d.asleep || !d.on()) return false;
        time.advance(d, t);
        d.asleep = false;
        d.resumingAtMs = -1;
        d.quietSinceMs = t;
        return true;
    }

    /**
     * After a placement pass, the jobs still waiting may wake sleeping desks: core's
     * {@link WakeChoice}, as the coordinator asks it, over the desks asleep (those already waking
     * count as room on its way), within the pool's wake-ups of the last hour.
     */
    void wakeForWaitingJobs(long t) {
        if (s.idleSleep == null || s.pending.isEmpty()) return;
        while (!wakeUpsSent.isEmpty() && wakeUpsSent.peekFirst() <= t - RunState.HOUR_MS) wakeUpsSent.pollFirst();
        int budget = Math.max(0, s.power.maxAwake() - wakeUpsSent.size());
        Instant now = s.instant(t);
        List<WakeChoice.SleepingDesk> asleep = new ArrayList<>();
        int sleepingCpus = 0;
        for (Desk d : s.desks) {
            if (!d.asleep || !d.on()) continue;
            boolean waking = d.resumingAtMs >= 0;
            if (!waking && budget == 0) continue;
            asleep.add(new WakeChoice.SleepingDesk(
                    d.name, d.cores * 1000, RunState.FREE_MEMORY, Map.of(), d.forecast(now), waking));
            sleepingCpus += d.cores;
        }
        if (asleep.isEmpty()) return;
        List<PendingJob> waiting = s.pending.candidates(s.learned.shares(), now, sleepingCpus, s.learned.estimates());
        for (WakeChoice.Wake w : WakeChoice.choose(waiting, asleep, budget)) {
            Desk d = s.byName.get(w.machine());
            d.resumingAtMs = t + s.power.resumeTime().toMillis();
            d.resumeVersion++;
            s.events.push(d.resumingAtMs, EventQueue.RESUME, d.index, d.resumeVersion);
            wakeUpsSent.addLast(t);
            s.acc.wakeUps++;
        }
        if (!wakeUpsSent.isEmpty() && wakeUpsSent.size() >= s.power.maxAwake()) {
            // The budget is spent: look again when the oldest wake-up leaves the hour, even if
            // nothing else happens by then (the coordinator's periodic pass would).
            long again = Math.max(t + 1, wakeUpsSent.peekFirst() + RunState.HOUR_MS);
            if (again < s.horizonMs && again != budgetPassAtMs) {
                budgetPassAtMs = again;
                s.events.push(again, EventQueue.PLACE, 0, 0);
            }
        }
    }
}
