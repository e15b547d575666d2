package org.cyphon.sim.engine;

import org.cyphon.core.owner.OwnerState;
import org.cyphon.core.policy.AttemptLifecycle;
import org.cyphon.core.policy.Policy;
import org.cyphon.sim.jobs.JobTrace;
import org.cyphon.sim.owners.OwnerTrace;

/**
 * One policy over one pair of traces: a discrete-event replay in which every decision is core's.
 *
 * <p>Per desk, as the agent's policy loop does ({@code OwnerFirst}): each owner change becomes
 * signals core reads ({@link OwnerChanges}); {@link Policy#mayStart} says whether the desk offers
 * room and {@link Policy#decide} what each attempt does, applied through core's
 * {@link AttemptLifecycle} ({@link DeskDecisions}); the desk wakes again at the earliest
 * {@code reconsiderAt} (or when a job finishes or a checkpoint is written). Placement passes
 * ({@link PlacementPasses}) rank the open desks by forecasts from each desk's usage profile; desks
 * switch off, sleep and are woken as {@link PowerModel} says; between events work and CPU are
 * integrated at constant rates ({@link DeskTime}); {@link ResultTally} makes the result.
 *
 * <p>This class runs the event loop; the parts share what they must through one {@link RunState}.
 * Events at one instant replay in a fixed order ({@link EventQueue}): the same inputs always give
 * the same result.
 */
final class PolicyRun {
    private final RunState s;
    private final ResultTally tally = new ResultTally();
    private final DeskTime time;
    private final PowerModel power;
    private final DeskDecisions decisions;
    private final OwnerChanges owners;
    private final JobArrivals arrivals;
    private final PlacementPasses placement;

    private final SimProgress progress;
    /** Simulated time at which to tell {@link #progress} next. */
    private long nextProgressMs;

    PolicyRun(OwnerTrace owners, JobTrace trace, SimConfig cfg, String policyName, SimProgress progress) {
        this.progress = progress;
        this.s = new RunState(owners, trace, cfg, policyName);
        AttemptEnds ends = new AttemptEnds(s, tally);
        this.time = new DeskTime(s, ends);
        this.power = new PowerModel(s, ends, time);
        this.decisions = new DeskDecisions(s, ends, power);
        this.owners = new OwnerChanges(s, time, decisions, power);
        this.arrivals = new JobArrivals(s);
        this.placement = new PlacementPasses(s, time, decisions, power, arrivals, tally);
    }

    PolicyResult run() {
        long horizonMs = s.horizonMs;
        for (Desk d : s.desks) {
            long first = d.trace.segments() == 0
                    ? Long.MAX_VALUE
                    : Math.max(0, d.trace.startMs()[0]);
            if (first < horizonMs) s.events.push(first, EventQueue.OWNER, d.index, 0);
        }
        arrivals.start();
        if (s.cfg.saturate()) s.requestPlacement(0);

        EventQueue events = s.events;
        while (!events.isEmpty() && events.peekTime() < horizonMs) {
            long t = events.peekTime();
            if (t >= nextProgressMs) reportProgress(t);
            int kind = events.headKind();
            int who = events.headTarget();
            long stamp = events.headStamp();
            events.pop();
            switch (kind) {
                case EventQueue.OWNER -> owners.change(s.desks[who], t);
                case EventQueue.WAKE -> {
                    Desk d = s.desks[who];
                    if (stamp == d.wakeVersion) {
                        d.scheduledWakeMs = Long.MAX_VALUE;
                        time.advance(d, t);
                        decisions.evaluate(d, t);
                    }
                }
                case EventQueue.RESUME -> {
                    Desk d = s.desks[who];
                    if (power.resumed(d, t, stamp)) decisions.evaluate(d, t);
                }
                case EventQueue.ARRIVAL -> arrivals.arrive(t);
                case EventQueue.PLACE -> placement.place(t);
                default -> throw new IllegalStateException("event kind " + kind);
            }
        }
        for (Desk d : s.desks) {
            time.advance(d, horizonMs);
            if (d.state == OwnerState.PRESENT) owners.closeEpisode(d);
        }
        ResultTally.settleAtHorizon(s);
        progress.reached(s.settings.preset(), 1);
        return tally.result(s, arrivals.jobsLeftOut());
    }

    /** Tells the progress display how far this run got, every half percent of the horizon. */
    private void reportProgress(long t) {
        progress.reached(s.settings.preset(), (double) t / s.horizonMs);
        long step = Math.max(1, s.horizonMs / 200);
        nextProgressMs = (t / step + 1) * step;
    }
}
