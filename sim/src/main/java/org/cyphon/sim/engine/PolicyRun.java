package org.cyphon.sim.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.cyphon.core.machine.Offer;
import org.cyphon.core.owner.IdleForecast;
import org.cyphon.core.owner.InputSeen;
import org.cyphon.core.owner.LoadSeen;
import org.cyphon.core.owner.OwnerObservations;
import org.cyphon.core.owner.OwnerState;
import org.cyphon.core.owner.PresenceFusion;
import org.cyphon.core.owner.PresenceInterval;
import org.cyphon.core.owner.ProfileSettings;
import org.cyphon.core.owner.SessionsSeen;
import org.cyphon.core.owner.UsageProfile;
import org.cyphon.core.policy.Action;
import org.cyphon.core.policy.AttemptFacts;
import org.cyphon.core.policy.AttemptLifecycle;
import org.cyphon.core.policy.AttemptState;
import org.cyphon.core.policy.Decision;
import org.cyphon.core.policy.MachineFacts;
import org.cyphon.core.policy.Policy;
import org.cyphon.core.policy.PolicyInput;
import org.cyphon.core.policy.PolicyPresets;
import org.cyphon.core.policy.PolicySettings;
import org.cyphon.core.power.IdleSleep;
import org.cyphon.core.power.WakeChoice;
import org.cyphon.core.schedule.Assignment;
import org.cyphon.core.schedule.CheckpointInterval;
import org.cyphon.core.schedule.FairShare;
import org.cyphon.core.schedule.PendingJob;
import org.cyphon.core.schedule.PlaceByFairShareAndIdleFit;
import org.cyphon.core.schedule.Placement;
import org.cyphon.core.schedule.PlacementInput;
import org.cyphon.core.schedule.Plan;
import org.cyphon.core.schedule.RuntimeEstimates;
import org.cyphon.sim.jobs.JobTrace;
import org.cyphon.sim.jobs.TraceJob;
import org.cyphon.sim.owners.DeskTrace;
import org.cyphon.sim.owners.OwnerTrace;

/**
 * One policy over one pair of traces: a discrete-event replay in which every decision is core's.
 *
 * <p>Per desk, as the agent's policy loop does ({@code OwnerFirst}): each owner change becomes
 * signals folded into {@link OwnerObservations} (arrival: an idle inhibitor held by the owner and
 * an input; departure: the inhibitor released and a last input; every demand change: a
 * {@link LoadSeen}); presence is fused by {@link PresenceFusion}; {@link Policy#mayStart} says
 * whether the desk offers room and {@link Policy#decide} what each attempt does, applied through
 * core's {@link AttemptLifecycle} exactly as the agent applies it; the desk wakes
 * again at the earliest {@code reconsiderAt} (or when a job finishes or a checkpoint is written).
 * Each desk's {@link UsageProfile} learns every owner interval when it ends (never ahead), and
 * placement passes ({@link PlaceByFairShareAndIdleFit}) rank the open desks by forecasts from it.
 *
 * <p>Power (issue 14): a desk switching off either announces it (the agent's delay inhibitor:
 * checkpointable attempts checkpoint within the delay) or not; with {@code suspend_when_idle} a desk
 * sleeps when core's {@link IdleSleep} says so, its owner wakes it by arriving, and after each
 * placement pass core's {@link WakeChoice} picks the sleeping desks the jobs left waiting should
 * wake, within the pool's wake-ups per hour. Each desk's time awake, asleep and off is integrated
 * for the energy figure.
 *
 * <p>Between events nothing changes, so work and CPU are integrated per desk at constant rates.
 */
final class PolicyRun {
    private static final String SRC = "trace";
    private static final long HOUR_MS = 3_600_000L;
    private static final long FREE_MEMORY = Long.MAX_VALUE / 4;

    private final JobTrace trace;
    private final SimConfig cfg;
    private final Policy policy;
    private final PolicySettings settings;
    private final boolean normalPriority;
    private final Placement placement = new PlaceByFairShareAndIdleFit();
    private final Instant origin;
    private final long originMs;
    private final long horizonMs;
    private final double ckptCostS;
    private final PowerSettings power;
    /** Null when desks never sleep. */
    private final IdleSleep idleSleep;
    /** When each wake-up of the last hour was sent (ms), oldest first: the pool's budget. */
    private final java.util.ArrayDeque<Long> wakeUpsSent = new java.util.ArrayDeque<>();
    /** The pass already asked for when the wake-up budget grows again (-1: none). */
    private long budgetPassAtMs = -1;

    private final Desk[] desks;
    private final Map<String, Desk> byName = new HashMap<>();
    private final EventQueue events = new EventQueue();
    private final PendingQueue pending = new PendingQueue();
    private final Accounting acc;
    private FairShare shares = FairShare.none();
    private RuntimeEstimates estimates = RuntimeEstimates.empty();
    /** Use to charge to fair share since the last placement pass, charged in one batch by the next. */
    private final List<FairShare.Charge> chargesSincePass = new ArrayList<>();
    /** Runtimes of jobs completed since the last placement pass, learned in one batch by the next. */
    private final List<RuntimeEstimates.Completion> completedSincePass = new ArrayList<>();

    private boolean placeScheduled;
    private long lastPlaceMs = -1;
    private long offerRotation;
    private int nextArrival;
    private long nextSeq;
    private long jobsLeftOut;

    private long completed;
    private double waitSumS;
    private long started;
    private double slowdownSum;
    private long lastEndMs = -1;

    private final SimProgress progress;
    /** Simulated time at which to tell {@link #progress} next. */
    private long nextProgressMs;

    PolicyRun(OwnerTrace owners, JobTrace trace, SimConfig cfg, String policyName, SimProgress progress) {
        this.progress = progress;
        this.trace = trace;
        this.cfg = cfg;
        this.settings = PolicyPresets.named(policyName);
        this.policy = Policy.of(settings);
        this.normalPriority = cfg.normalPriority().contains(policyName);
        this.origin = owners.origin();
        this.originMs = origin.toEpochMilli();
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

    PolicyResult run() {
        for (Desk d : desks) {
            long first = d.trace.segments() == 0
                    ? Long.MAX_VALUE
                    : Math.max(0, d.trace.startMs()[0]);
            if (first < horizonMs) events.push(first, EventQueue.OWNER, d.index, 0);
        }
        for (TraceJob j : trace.jobs()) if (j.submitMs() >= horizonMs) jobsLeftOut++;
        if (!trace.jobs().isEmpty() && trace.jobs().getFirst().submitMs() < horizonMs) {
            events.push(trace.jobs().getFirst().submitMs(), EventQueue.ARRIVAL, 0, 0);
        }
        if (cfg.saturate()) requestPlacement(0);

        while (!events.isEmpty() && events.peekTime() < horizonMs) {
            long t = events.peekTime();
            if (t >= nextProgressMs) reportProgress(t);
            int kind = events.headKind();
            int who = events.headTarget();
            long stamp = events.headStamp();
            events.pop();
            switch (kind) {
                case EventQueue.OWNER -> ownerChange(desks[who], t);
                case EventQueue.WAKE -> {
                    Desk d = desks[who];
                    if (stamp == d.wakeVersion) {
                        d.scheduledWakeMs = Long.MAX_VALUE;
                        advance(d, t);
                        evaluate(d, t);
                    }
                }
                case EventQueue.RESUME -> resumed(desks[who], t, stamp);
                case EventQueue.ARRIVAL -> arrivals(t);
                case EventQueue.PLACE -> place(t);
                default -> throw new IllegalStateException("event kind " + kind);
            }
        }
        for (Desk d : desks) {
            advance(d, horizonMs);
            if (d.state == OwnerState.PRESENT) closeEpisode(d);
        }
        settleAtHorizon();
        progress.reached(settings.preset(), 1);
        return result();
    }

    /** Tells the progress display how far this run got, every half percent of the horizon. */
    private void reportProgress(long t) {
        progress.reached(settings.preset(), (double) t / horizonMs);
        long step = Math.max(1, horizonMs / 200);
        nextProgressMs = (t / step + 1) * step;
    }

    /**
     * What the attempts still on a desk at the horizon did: only what a checkpoint saved is useful
     * (the job resumes from it); the rest, and everything a job that cannot checkpoint did in its
     * current attempt, is "in progress" — not useful, since nobody knows whether that attempt would
     * have finished, and not wasted, since it was not lost either.
     */
    private void settleAtHorizon() {
        for (Desk d : desks) {
            for (Attempt a : d.attempts) acc.inProgressCpuS += Math.max(0, a.doneS - a.savedNowS()) * a.job.cpus;
        }
    }

    // ---- the owner ------------------------------------------------------------------------

    private void ownerChange(Desk d, long t) {
        advance(d, t);
        DeskTrace tr = d.trace;
        while (d.cursor < tr.segments() && tr.endMs()[d.cursor] <= t) d.cursor++;
        OwnerState next;
        double cpus;
        long nextChange;
        if (d.cursor < tr.segments() && tr.startMs()[d.cursor] <= t) {
            next = tr.state()[d.cursor];
            float c = tr.ownerCpus()[d.cursor];
            cpus = next == OwnerState.PRESENT ? (Float.isNaN(c) ? cfg.ownerCpusWhilePresent() : c) : 0;
            cpus = Math.min(cpus, d.cores);
            nextChange = tr.endMs()[d.cursor];
        } else {
            next = OwnerState.OFF;
            cpus = 0;
            nextChange = d.cursor < tr.segments() ? tr.startMs()[d.cursor] : Long.MAX_VALUE;
        }
        if (nextChange < horizonMs) events.push(nextChange, EventQueue.OWNER, d.index, 0);

        OwnerState was = d.state;
        Instant at = instant(t);
        if (d.asleep && next != OwnerState.AWAY) {
            // The owner wakes it by arriving (a key, the power button); switched off, it sleeps no more.
            d.asleep = false;
            d.resumingAtMs = -1;
            d.resumeVersion++;
            d.quietSinceMs = t;
        }
        if (next != was) {
            if (d.stateKnown && was != OwnerState.OFF && t > d.stateSinceMs) {
                d.profile = d.profile.observe(new PresenceInterval(instant(d.stateSinceMs), at, was));
            }
            d.stateKnown = true;
            d.stateSinceMs = t;
        }
        if (next == OwnerState.OFF) {
            if (was == OwnerState.PRESENT) closeEpisode(d);
            d.state = OwnerState.OFF;
            d.ownerCpus = 0;
            powerOff(d, t);
            return;
        }
        if (was == OwnerState.OFF) {
            // The desk boots: its agent starts watching now, and the owner counts as idle since then.
            d.observations = OwnerObservations.startingAt(at, settings.presence());
            d.quietSinceMs = t;
        }
        OwnerObservations o = d.observations;
        if (next == OwnerState.PRESENT && was != OwnerState.PRESENT) {
            o = o.with(new SessionsSeen(SRC, at, List.of(), List.of("owner at the desk (trace)")))
                    .with(new InputSeen(SRC, at, at));
            acc.ownerArrivals++;
            d.episodeUnserved = 0;
        } else if (next != OwnerState.PRESENT && was == OwnerState.PRESENT) {
            o = o.with(new SessionsSeen(SRC, at, List.of(), List.of())).with(new InputSeen(SRC, at, at));
            closeEpisode(d);
        }
        if (cpus != d.ownerCpus || was == OwnerState.OFF || next != was) {
            o = o.with(new LoadSeen(SRC, at, cpus, d.cores, -1, -1, -1));
        }
        d.observations = o;
        d.state = next;
        d.ownerCpus = cpus;
        evaluate(d, t);
    }

    private void closeEpisode(Desk d) {
        if (d.episodeUnserved > cfg.visibleUnservedCpuSeconds()) acc.ownerVisibleEvents++;
        d.episodeUnserved = 0;
    }

    /**
     * The desk went off: every attempt ends. Announced (the agent holds logind's delay lock), each
     * checkpointable attempt is asked to checkpoint at once and keeps all its work if the checkpoint
     * is written within the delay (or its last checkpoint of a vacate already was); otherwise, and
     * always when the shutdown is not announced, it keeps only what its last checkpoint saved.
     */
    private void powerOff(Desk d, long t) {
        long delayMs = power.shutdownDelay().toMillis();
        boolean fits = power.announced() && cfg.checkpointCost().toMillis() <= delayMs;
        for (Attempt a : List.copyOf(d.attempts)) {
            double kept = a.savedNowS();
            if (power.announced() && a.checkpointEveryS > 0) {
                boolean lastWritten =
                        a.state() == AttemptState.VACATING && a.leaveAtMs >= 0 && a.leaveAtMs <= t + delayMs;
                if (lastWritten || fits) {
                    // The shutdown waits for the checkpoint (at most the delay): its CPU is overhead.
                    if (!lastWritten) acc.overheadCpuS += ckptCostS * a.job.cpus;
                    kept = a.doneS;
                    acc.checkpointedAtShutdown++;
                }
            }
            if (kept < a.doneS || a.checkpointEveryS <= 0) acc.lostToPowerOff++;
            acc.lostToPowerOffCpuS += Math.max(0, a.doneS - kept) * a.job.cpus;
            if (a.checkpointEveryS > 0)
                acc.checkpointableLostToPowerOffCpuS += Math.max(0, a.doneS - kept) * a.job.cpus;
            end(d, a, t, kept);
        }
        d.start = null;
        d.presence = null;
        d.wakeVersion++;
        d.scheduledWakeMs = Long.MAX_VALUE;
    }

    // ---- core's decisions --------------------------------------------------------------------

    private void evaluate(Desk d, long t) {
        if (!d.on() || d.asleep) return;
        boolean wasOpen = d.open();
        Instant now = instant(t);
        d.presence = PresenceFusion.fuse(d.observations, now);
        long next = Long.MAX_VALUE;
        for (int pass = 0; pass < 3; pass++) {
            MachineFacts machine = new MachineFacts(d.cores, d.heldCpus(), d.zone);
            d.start = policy.mayStart(now, d.presence, machine);
            acc.decisions++;
            next = ms(d.start.reconsiderAt());
            boolean removed = false;
            for (Attempt a : List.copyOf(d.attempts)) {
                Decision dec = null;
                for (int round = 0; round < 4; round++) {
                    dec = policy.decide(new PolicyInput(now, d.presence, machine, facts(a, now)));
                    acc.decisions++;
                    int applied = apply(d, a, dec, t);
                    if (applied == GONE) {
                        removed = true;
                        dec = null;
                        break;
                    }
                    if (applied == SAME) break;
                }
                if (dec != null) next = Math.min(next, ms(dec.reconsiderAt()));
            }
            if (!removed) break;
        }
        rates(d);
        for (Attempt a : d.attempts) {
            if (a.running() && a.rate > 0) {
                double left = a.job.runtimeS - a.doneS;
                long finish = t + Math.max(1, (long) Math.ceil(left / (a.rate * a.efficiency(ckptCostS)) * 1000));
                next = Math.min(next, finish);
            }
            if (a.state() == AttemptState.VACATING && a.leaveAtMs >= 0)
                next = Math.min(next, Math.max(a.leaveAtMs, t + 1));
        }
        if (idleSleep != null && d.attempts.isEmpty()) {
            IdleSleep.Decision s = idleSleep.decide(now, d.presence, 0, instant(d.quietSinceMs));
            if (s.sleep()) {
                sleep(d);
                return;
            }
            next = Math.min(next, ms(s.reconsiderAt()));
        }
        schedule(d, next, t);
        if (!wasOpen && d.open()) requestPlacement(t);
    }

    private static final int SAME = 0;
    private static final int CHANGED = 1;
    private static final int GONE = 2;

    /**
     * Applies one decision through core's {@link AttemptLifecycle}, as the agent does, and carries out
     * its effects on the simulated attempt; returns whether the attempt's state changed or it left.
     */
    private int apply(Desk d, Attempt a, Decision dec, long t) {
        AttemptLifecycle.Transition tr = a.life.apply(dec, instant(t));
        a.life = tr.to();
        if (!tr.changed()) return SAME;
        if (dec.action() == Action.KILL) acc.kills++;
        else if (tr.to().state() == AttemptState.VACATING) acc.vacates++;
        else if (tr.to().state() == AttemptState.FROZEN) acc.freezes++;
        // Freeze, thaw and the linger caps need nothing more here: rates() follows the state.
        if (tr.has(AttemptLifecycle.Effect.KILL)) {
            // Killed, or asked to leave with no checkpoint to write: it keeps only what was saved.
            end(d, a, t, a.savedNowS());
            return GONE;
        }
        if (tr.has(AttemptLifecycle.Effect.SIGNAL_CHECKPOINT))
            a.leaveAtMs = t + cfg.checkpointCost().toMillis();
        return CHANGED;
    }

    private AttemptFacts facts(Attempt a, Instant now) {
        Duration remaining = null;
        Duration expected = PendingQueue.view(a.job, estimates).expectedRuntime();
        if (expected != null) {
            long left = expected.toMillis() - Math.round(a.doneS * 1000);
            remaining = Duration.ofMillis(Math.max(0, left));
        }
        return a.life.facts(now, remaining);
    }

    /** How fast each attempt progresses now, from who competes for the cores (see the class comment). */
    private void rates(Desk d) {
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

    private void schedule(Desk d, long next, long t) {
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

    // ---- sleep and wake ----------------------------------------------------------------------

    /** The desk suspends itself (its agent told the coordinator first): no decisions, no work, until woken. */
    private void sleep(Desk d) {
        d.asleep = true;
        d.start = null;
        d.wakeVersion++;
        d.scheduledWakeMs = Long.MAX_VALUE;
        acc.sleeps++;
    }

    /** A wake-up sent at {@code t - resumeTime} arrived: the desk takes work again. */
    private void resumed(Desk d, long t, long version) {
        if (version != d.resumeVersion || !d.asleep || !d.on()) return;
        advance(d, t);
        d.asleep = false;
        d.resumingAtMs = -1;
        d.quietSinceMs = t;
        evaluate(d, t);
    }

    /**
     * After a placement pass, the jobs still waiting may wake sleeping desks: core's
     * {@link WakeChoice}, as the coordinator asks it, over the desks asleep (those already waking
     * count as room on its way), within the pool's wake-ups of the last hour.
     */
    private void wakeForWaitingJobs(long t) {
        if (idleSleep == null || pending.isEmpty()) return;
        while (!wakeUpsSent.isEmpty() && wakeUpsSent.peekFirst() <= t - HOUR_MS) wakeUpsSent.pollFirst();
        int budget = Math.max(0, power.maxAwake() - wakeUpsSent.size());
        Instant now = instant(t);
        List<WakeChoice.SleepingDesk> asleep = new ArrayList<>();
        int sleepingCpus = 0;
        for (Desk d : desks) {
            if (!d.asleep || !d.on()) continue;
            boolean waking = d.resumingAtMs >= 0;
            if (!waking && budget == 0) continue;
            asleep.add(new WakeChoice.SleepingDesk(
                    d.name, d.cores * 1000, FREE_MEMORY, java.util.Map.of(), forecast(d, now), waking));
            sleepingCpus += d.cores;
        }
        if (asleep.isEmpty()) return;
        List<PendingJob> waiting = pending.candidates(shares, now, sleepingCpus, estimates);
        for (WakeChoice.Wake w : WakeChoice.choose(waiting, asleep, budget)) {
            Desk d = byName.get(w.machine());
            d.resumingAtMs = t + power.resumeTime().toMillis();
            d.resumeVersion++;
            events.push(d.resumingAtMs, EventQueue.RESUME, d.index, d.resumeVersion);
            wakeUpsSent.addLast(t);
            acc.wakeUps++;
        }
        if (!wakeUpsSent.isEmpty() && wakeUpsSent.size() >= power.maxAwake()) {
            // The budget is spent: look again when the oldest wake-up leaves the hour, even if
            // nothing else happens by then (the coordinator's periodic pass would).
            long again = Math.max(t + 1, wakeUpsSent.peekFirst() + HOUR_MS);
            if (again < horizonMs && again != budgetPassAtMs) {
                budgetPassAtMs = again;
                events.push(again, EventQueue.PLACE, 0, 0);
            }
        }
    }

    /**
     * An attempt left the desk outside {@link #evaluate} (a placement pass caught it finishing):
     * its quiet time starts now, and a desk that may sleep must look again when it is due.
     */
    private void quietFrom(Desk d, long t) {
        d.quietSinceMs = t;
        if (idleSleep == null || !d.attempts.isEmpty() || !d.on() || d.asleep) return;
        long due = t + power.suspendWhenIdle().toMillis();
        if (due < d.scheduledWakeMs) schedule(d, due, t);
    }

    // ---- time passing ----------------------------------------------------------------------

    /** Integrates the desk's work and metrics from its last event to {@code t}, hour by hour. */
    private void advance(Desk d, long t) {
        while (d.lastMs < t) {
            long hour = d.lastMs / HOUR_MS;
            long end = Math.min(t, (hour + 1) * HOUR_MS);
            step(d, d.lastMs, end, (int) Math.min(hour, acc.hourProgress.length - 1));
            d.lastMs = end;
        }
        if (!anyLeaving(d, t)) return; // the common case, at every placement pass: no copy of the list
        for (Attempt a : List.copyOf(d.attempts)) {
            if (a.running() && a.doneS >= a.job.runtimeS - 1e-6) {
                complete(d, a, t);
            } else if (a.state() == AttemptState.VACATING && a.leaveAtMs >= 0 && t >= a.leaveAtMs) {
                // The last checkpoint is written: it leaves with everything saved.
                end(d, a, t, a.doneS);
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

    private void step(Desk d, long from, long to, int hour) {
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
                double eff = a.efficiency(ckptCostS);
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
            if (idleRunning) acc.lingerCostS += cfg.lingerSlowdown() * owner * dt;
            double unserved = Math.max(0, owner + normalCpus - d.cores) * dt;
            acc.unservedOwnerCpuS += unserved;
            d.episodeUnserved += unserved;
        }
        if (d.index < acc.heatPresent.length) {
            if (present) acc.heatPresent[d.index][hour] += (float) (dt / 3600);
            acc.heatHarvest[d.index][hour] += (float) (progress / (3600.0 * d.cores));
        }
    }

    // ---- jobs --------------------------------------------------------------------------------

    private void arrivals(long t) {
        List<TraceJob> jobs = trace.jobs();
        while (nextArrival < jobs.size() && jobs.get(nextArrival).submitMs() <= t) {
            TraceJob j = jobs.get(nextArrival++);
            pending.add(new QueuedJob(
                    nextSeq++,
                    j.id(),
                    j.submitMs(),
                    j.runtimeS(),
                    Math.min(j.cpus(), cfg.cores()),
                    j.requestedS(),
                    j.user(),
                    j.name(),
                    checkpointable(j.id())));
        }
        if (nextArrival < jobs.size() && jobs.get(nextArrival).submitMs() < horizonMs) {
            events.push(jobs.get(nextArrival).submitMs(), EventQueue.ARRIVAL, 0, 0);
        }
        requestPlacement(t);
    }

    /** Whether a job can checkpoint: a fixed draw per job id from the seed, the same for every policy. */
    private boolean checkpointable(long id) {
        return new SplittableRandom(cfg.seed() * 0x9E3779B97F4A7C15L + id).nextDouble() < cfg.checkpointable();
    }

    private void requestPlacement(long t) {
        if (placeScheduled) return;
        long every = cfg.placementEvery().toMillis();
        long at = every <= 0 ? t : ((t + every - 1) / every) * every;
        // Never a second pass at the instant of the last one: what it freed waits for the next cycle.
        if (at <= lastPlaceMs) at = lastPlaceMs + Math.max(1, every);
        if (at >= horizonMs) return;
        placeScheduled = true;
        events.push(at, EventQueue.PLACE, 0, 0);
    }

    private void place(long t) {
        placeScheduled = false;
        lastPlaceMs = t;
        List<Desk> open = new ArrayList<>();
        int free = 0;
        for (Desk d : desks) {
            if (d.open()) {
                advance(d, t);
                if (d.open()) {
                    open.add(d);
                    free += d.freeCpus();
                }
            }
        }
        // After the desks caught up: what ended at this instant counts in this pass.
        learnCompletedRuntimes();
        chargeUse();
        if (cfg.saturate()) topUp(t, free);
        if (open.isEmpty() || pending.isEmpty()) {
            wakeForWaitingJobs(t);
            return;
        }
        int cap = cfg.placementOffers();
        if (cap > 0 && open.size() > cap) {
            // Bounded pass: a window of the open desks that moves on every pass, so none is favoured.
            List<Desk> window = new ArrayList<>(cap);
            int from = (int) (offerRotation++ % open.size());
            for (int k = 0; k < cap; k++) window.add(open.get((from + k) % open.size()));
            open = window;
            free = 0;
            for (Desk d : open) free += d.freeCpus();
        }
        Instant now = instant(t);
        List<Offer> offers = new ArrayList<>(open.size());
        Map<String, IdleForecast> forecasts = new HashMap<>();
        for (Desk d : open) {
            offers.add(new Offer(d.name, d.freeCpus() * 1000, FREE_MEMORY, true));
            forecasts.put(d.name, forecast(d, now));
        }
        List<PendingJob> queue = pending.candidates(shares, now, free, estimates);
        Plan plan = placement.place(new PlacementInput(now, queue, offers, forecasts, shares, List.of()));
        acc.placementPasses++;
        List<Desk> touched = new ArrayList<>();
        for (Assignment as : plan.assignments()) {
            Desk d = byName.get(as.machine());
            QueuedJob j = pending.take(as.jobId());
            if (d == null || j == null || d.freeCpus() < j.cpus)
                throw new IllegalStateException("placement assigned " + as + " beyond the offers");
            double every = j.checkpointable ? checkpointEvery(d, t, forecasts.get(d.name)) : 0;
            Attempt a = new Attempt(j, t, instant(t), every, normalPriority);
            j.attempts++;
            if (j.firstStartMs < 0) {
                j.firstStartMs = t;
                started++;
                waitSumS += (t - j.submitMs) / 1000.0;
            }
            d.attach(a);
            d.quietSinceMs = t;
            acc.assignments++;
            if (!touched.contains(d)) touched.add(d);
        }
        for (Desk d : touched) evaluate(d, t);
        wakeForWaitingJobs(t);
        if (cfg.saturate() && !plan.assignments().isEmpty()) requestPlacement(t + 1);
    }

    /**
     * The runtimes completed since the last pass, learned in one batch, as the coordinator's
     * scheduling loop does: {@link RuntimeEstimates} is immutable, and learning each completion on
     * its own copied every estimate per completed job (quadratic in traces with program ids).
     * Between passes, attempts see the estimates of the last pass, as they would in the coordinator.
     */
    private void learnCompletedRuntimes() {
        if (completedSincePass.isEmpty()) return;
        estimates = estimates.learnAll(completedSincePass);
        completedSincePass.clear();
    }

    /**
     * Fair share is read only by placement passes, so what attempts used since the last pass is
     * charged in one batch ({@link FairShare#chargeAll}, in order: the same shares as charging each
     * at once, without a copy of every submitter's usage per ended attempt).
     */
    private void charge(String user, double cpuSeconds, long t) {
        chargesSincePass.add(new FairShare.Charge(user, cpuSeconds, instant(t)));
    }

    private void chargeUse() {
        if (chargesSincePass.isEmpty()) return;
        shares = shares.chargeAll(chargesSincePass);
        chargesSincePass.clear();
    }

    private IdleForecast forecast(Desk d, Instant now) {
        return IdleForecast.of(d.profile, now, d.presence.idleForAt(now), null);
    }

    /**
     * Core's checkpoint interval for this desk, chosen from its forecast; kept for the rest of the
     * hour it was chosen in, since the forecast is a profile of hours.
     */
    private double checkpointEvery(Desk d, long t, IdleForecast f) {
        long hour = t / HOUR_MS;
        if (hour != d.checkpointHour) {
            d.checkpointHour = hour;
            d.checkpointEveryS =
                    CheckpointInterval.choose(f, cfg.checkpointCost()).toMillis() / 1000.0;
        }
        return d.checkpointEveryS;
    }

    /** Saturating mode: keep more synthetic jobs queued than there is free room. */
    private void topUp(long t, int free) {
        while (pending.size() < free + 16) {
            long seq = nextSeq++;
            pending.add(new QueuedJob(
                    seq,
                    seq,
                    t,
                    cfg.saturateRuntime().toMillis() / 1000.0,
                    1,
                    cfg.saturateRuntime().toMillis() / 1000.0,
                    "saturate",
                    "saturate",
                    checkpointable(seq)));
        }
    }

    private void complete(Desk d, Attempt a, long t) {
        d.detach(a);
        QueuedJob j = a.job;
        j.endMs = t;
        completed++;
        slowdownSum += Math.max(1, ((t - j.submitMs) / 1000.0) / Math.max(j.runtimeS, SimConfig.TAU_SECONDS));
        lastEndMs = Math.max(lastEndMs, t);
        if (j.name != null) {
            completedSincePass.add(
                    new RuntimeEstimates.Completion(j.user, j.name, Duration.ofMillis(Math.round(j.runtimeS * 1000))));
        }
        charge(j.user, (a.doneS - a.startS) * j.cpus, t);
        quietFrom(d, t);
        requestPlacement(t);
    }

    /** An attempt leaves unfinished: the job keeps {@code keptS} of its work and waits again. */
    private void end(Desk d, Attempt a, long t, double keptS) {
        d.detach(a);
        QueuedJob j = a.job;
        double lost = Math.max(0, a.doneS - keptS);
        acc.wastedCpuS += lost * j.cpus;
        charge(j.user, (a.doneS - a.startS) * j.cpus, t);
        j.savedS = Math.max(j.savedS, keptS);
        pending.add(j);
        quietFrom(d, t);
        requestPlacement(t);
    }

    // ---- results -----------------------------------------------------------------------------

    private PolicyResult result() {
        long unfinished = pending.size();
        for (Desk d : desks) unfinished += d.attempts.size();
        if (cfg.saturate()) unfinished = 0;
        double useful = acc.progressCpuS - acc.wastedCpuS - acc.inProgressCpuS;
        double interference = acc.normalCpuWhilePresentS + acc.lingerCostS;
        long firstSubmit = trace.jobs().isEmpty() ? 0 : trace.jobs().getFirst().submitMs();
        double makespan = lastEndMs < 0 ? Double.NaN : (lastEndMs - Math.min(firstSubmit, lastEndMs)) / 1000.0;
        return new PolicyResult(
                settings.preset(),
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
                normalPriority ? "normal" : "idle",
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

    private Instant instant(long t) {
        return Instant.ofEpochMilli(originMs + t);
    }

    private long ms(Instant i) {
        return i == null ? Long.MAX_VALUE : i.toEpochMilli() - originMs;
    }
}
