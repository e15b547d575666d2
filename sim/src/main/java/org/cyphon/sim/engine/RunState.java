package org.cyphon.sim.engine;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.cyphon.core.owner.ProfileSettings;
import org.cyphon.core.owner.UsageProfile;
import org.cyphon.core.policy.Policy;
import org.cyphon.core.policy.PolicyPresets;
import org.cyphon.core.policy.PolicySettings;
import org.cyphon.core.power.IdleSleep;
import org.cyphon.sim.jobs.JobTrace;
import org.cyphon.sim.owners.DeskTrace;
import org.cyphon.sim.owners.OwnerTrace;

/**
 * What the parts of one policy's run share: the settings they read, the desks, the event and job
 * queues, what is measured and what placement has learned. Each part keeps its own working state;
 * what two parts both read or write lives here, so no part needs a reference back to the run.
 */
final class RunState {
    static final long HOUR_MS = 3_600_000L;
    /** Memory is not simulated: every desk offers more than any job asks. */
    static final long FREE_MEMORY = Long.MAX_VALUE / 4;

    final JobTrace trace;
    final SimConfig cfg;
    final PolicySettings settings;
    final Policy policy;
    final boolean normalPriority;
    final long originMs;
    final long horizonMs;
    final double ckptCostS;
    final PowerSettings power;
    /** Null when desks never sleep. */
    final IdleSleep idleSleep;

    final Desk[] desks;
    final Map<String, Desk> byName = new HashMap<>();
    final EventQueue events = new EventQueue();
    final PendingQueue pending = new PendingQueue();
    final Accounting acc;
    final ShareAndEstimates learned = new ShareAndEstimates();

    private boolean placeScheduled;
    private long lastPlaceMs = -1;

    RunState(OwnerTrace owners, JobTrace trace, SimConfig cfg, String policyName) {
        this.trace = trace;
        this.cfg = cfg;
        this.settings = PolicyPresets.named(policyName);
        this.policy = Policy.of(settings);
        this.normalPriority = cfg.normalPriority().contains(policyName);
        this.originMs = owners.origin().toEpochMilli();
        this.horizonMs = owners.horizonMs();
        this.ckptCostS = cfg.checkpointCost().toMillis() / 1000.0;
        this.power = cfg.power();
        this.idleSleep = power.sleeps() ? new IdleSleep(power.suspendWhenIdle()) : null;
        int hours = (int) Math.max(1, (horizonMs + HOUR_MS - 1) / HOUR_MS);
        this.acc = new Accounting(
                hours, Math.min(cfg.heatmapDesks(), owners.desks().size()));
        this.desks = new Desk[owners.desks().size()];
        for (int i = 0; i < desks.length; i++) {
            DeskTrace d = owners.desks().get(i);
            Desk desk = new Desk(i, d, cfg.cores(), UsageProfile.empty(ProfileSettings.defaults(d.zone())));
            desks[i] = desk;
            byName.put(desk.name, desk);
        }
    }

    Instant instant(long t) {
        return Instant.ofEpochMilli(originMs + t);
    }

    long ms(Instant i) {
        return i == null ? Long.MAX_VALUE : i.toEpochMilli() - originMs;
    }

    /**
     * Wakes the desk at {@code next} (never at the instant it is at), replacing the wake-up it had:
     * an older wake event carries an older version and is ignored.
     */
    void scheduleWake(Desk d, long next, long t) {
        if (next == Long.MAX_VALUE || next >= horizonMs) {
            d.wakeVersion++;
            d.scheduledWakeMs = Long.MAX_VALUE;
            return;
        }
        next = Math.max(next, t + 1);
        if (next == d.scheduledWakeMs) return;
        d.wakeVersion++;
        d.scheduledWakeMs = next;
        events.push(next, EventQueue.WAKE, d.index, d.wakeVersion);
    }

    /** Asks for a placement pass at the next placement cycle; at most one is ever waiting. */
    void requestPlacement(long t) {
        if (placeScheduled) return;
        long every = cfg.placementEvery().toMillis();
        long at = every <= 0 ? t : ((t + every - 1) / every) * every;
        // Never a second pass at the instant of the last one: what it freed waits for the next cycle.
        if (at <= lastPlaceMs) at = lastPlaceMs + Math.max(1, every);
        if (at >= horizonMs) return;
        placeScheduled = true;
        events.push(at, EventQueue.PLACE, 0, 0);
    }

    /** A placement pass runs at {@code t}: the next request schedules another. */
    void placementStarts(long t) {
        placeScheduled = false;
        lastPlaceMs = t;
    }
}
