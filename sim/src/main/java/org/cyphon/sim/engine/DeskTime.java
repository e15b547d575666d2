package org.cyphon.sim.engine;

import java.util.List;
import org.cyphon.core.owner.OwnerState;
import org.cyphon.core.policy.AttemptState;

/**
 * Time passing on a desk between its events. Between events nothing changes, so work and CPU are
 * integrated per desk at constant rates ({@link #rates}): the owner's demand first, then attempts
 * at normal priority, then those at idle priority sharing what is left.
 */
final class DeskTime {
    private final RunState s;
    private final AttemptEnds ends;

    DeskTime(RunState s, AttemptEnds ends) {
        this.s = s;
        this.ends = ends;
    }

    /** Integrates the desk's work and metrics from its last event to {@code t}, hour by hour. */
    void advance(Desk d, long t) {
        while (d.lastMs < t) {
            long hour = d.lastMs / RunState.HOUR_MS;
            long end = Math.min(t, (hour + 1) * RunState.HOUR_MS);
            step(d, d.lastMs, end, (int) Math.min(hour, s.acc.hourProgress.length - 1));
            d.lastMs = end;
        }
        if (!anyLeaving(d, t)) return; // the common case, at every placement pass: no copy of the list
        for (Attempt a : List.copyOf(d.attempts)) {
            if (a.running() && a.doneS >= a.job.runtimeS - 1e-6) {
                ends.complete(d, a, t);
            } else if (a.state() == AttemptState.VACATING && a.leaveAtMs >= 0 && t >= a.leaveAtMs) {
                // The last checkpoint is written: it leaves with everything saved.
                ends.end(d, a, t, a.doneS);
            }
        }
        rates(d);
    }

    /** Whether an attempt on the desk has finished its work or written its last checkpoint by {@code t}. */
    private static boolean anyLeaving(Desk d, long t) {
        for (int i = 0; i < d.attempts.size(); i++) {
            Attempt a = d.attempts.get(i);
            if (a.running() && a.doneS >= a.job.runtimeS - 1e-6) return true;
            if (a.state() == AttemptState.VACATING && a.leaveAtMs >= 0 && t >= a.leaveAtMs) return true;
        }
        return false;
    }

    /** How fast each attempt progresses now, from who competes for the cores (see the class comment). */
    static void rates(Desk d) {
        double owner = d.state == OwnerState.PRESENT ? d.ownerCpus : 0;
        double normal = 0;
        double idle = 0;
        for (Attempt a : d.attempts) {
            if (a.state() == AttemptState.RUNNING && a.normalPriority) normal += a.job.cpus;
            else if (a.running()) idle += a.job.cpus;
            else if (a.state() == AttemptState.VACATING && a.normalPriority) normal += a.job.cpus;
        }
        double idleRate = idle == 0 ? 0 : Math.min(1, Math.max(0, d.cores - owner - normal) / idle);
        for (Attempt a : d.attempts) {
            if (!a.running()) a.rate = 0;
            else a.rate = a.state() == AttemptState.RUNNING && a.normalPriority ? 1 : idleRate;
        }
    }

    private void step(Desk d, long from, long to, int hour) {
        Accounting acc = s.acc;
        double dt = (to - from) / 1000.0;
        if (!d.on()) {
            acc.offDeskS += dt;
            if (d.index < acc.heatOff.length) acc.heatOff[d.index][hour] += (float) (dt / 3600);
            return;
        }
        if (d.asleep) acc.asleepDeskS += dt;
        else acc.awakeDeskS += dt;
        boolean present = d.state == OwnerState.PRESENT;
        double owner = present ? d.ownerCpus : 0;
        double avail = Math.max(0, d.cores - owner) * dt;
        acc.availableCpuS += avail;
        acc.hourAvailable[hour] += avail;
        double progress = 0;
        double normalCpus = 0;
        boolean idleRunning = false;
        for (Attempt a : d.attempts) {
            if (a.running()) {
                if (a.rate <= 0) continue;
                double eff = a.efficiency(s.ckptCostS);
                double work = Math.min(a.rate * eff * dt, Math.max(0, a.job.runtimeS - a.doneS));
                a.doneS += work;
                progress += work * a.job.cpus;
                acc.overheadCpuS += a.rate * (1 - eff) * dt * a.job.cpus;
                if (a.state() == AttemptState.RUNNING && a.normalPriority) normalCpus += a.job.cpus;
                else idleRunning = true;
            } else if (a.state() == AttemptState.VACATING) {
                acc.overheadCpuS += a.job.cpus * dt;
                if (a.normalPriority) normalCpus += a.job.cpus;
            }
        }
        acc.progressCpuS += progress;
        acc.hourProgress[hour] += progress;
        if (present) {
            acc.normalCpuWhilePresentS += normalCpus * dt;
            if (idleRunning) acc.lingerCostS += s.cfg.lingerSlowdown() * owner * dt;
            double unserved = Math.max(0, owner + normalCpus - d.cores) * dt;
            acc.unservedOwnerCpuS += unserved;
            d.episodeUnserved += unserved;
        }
        if (d.index < acc.heatPresent.length) {
            if (present) acc.heatPresent[d.index][hour] += (float) (dt / 3600);
            acc.heatHarvest[d.index][hour] += (float) (progress / (3600.0 * d.cores));
        }
    }
}
