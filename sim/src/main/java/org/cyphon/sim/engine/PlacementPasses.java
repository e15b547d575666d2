package org.cyphon.sim.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cyphon.core.machine.Offer;
import org.cyphon.core.owner.IdleForecast;
import org.cyphon.core.owner.UsageProfile;
import org.cyphon.core.schedule.Assignment;
import org.cyphon.core.schedule.CheckpointInterval;
import org.cyphon.core.schedule.PendingJob;
import org.cyphon.core.schedule.PlaceByFairShareAndIdleFit;
import org.cyphon.core.schedule.Placement;
import org.cyphon.core.schedule.PlacementInput;
import org.cyphon.core.schedule.Plan;

/**
 * The coordinator's placement passes: core's {@link PlaceByFairShareAndIdleFit} places the waiting
 * jobs on the open desks, ranked by forecasts from each desk's {@link UsageProfile}; each attempt
 * starts with core's checkpoint interval for its desk. Passes run on the placement cycle
 * ({@link RunState#requestPlacement}).
 */
final class PlacementPasses {
    private final Placement placement = new PlaceByFairShareAndIdleFit();
    private final RunState s;
    private final DeskTime time;
    private final DeskDecisions decisions;
    private final PowerModel power;
    private final JobArrivals arrivals;
    private final ResultTally tally;
    private long offerRotation;

    PlacementPasses(
            RunState s,
            DeskTime time,
            DeskDecisions decisions,
            PowerModel power,
            JobArrivals arrivals,
            ResultTally tally) {
        this.s = s;
        this.time = time;
        this.decisions = decisions;
        this.power = power;
        this.arrivals = arrivals;
        this.tally = tally;
    }

    void place(long t) {
        s.placementStarts(t);
        List<Desk> open = new ArrayList<>();
        int free = 0;
        for (Desk d : s.desks) {
            if (d.open()) {
                time.advance(d, t);
                if (d.open()) {
                    open.add(d);
                    free += d.freeCpus();
                }
            }
        }
        // After the desks caught up: what ended at this instant counts in this pass.
        s.learned.catchUp();
        if (s.cfg.saturate()) arrivals.topUp(t, free);
        if (open.isEmpty() || s.pending.isEmpty()) {
            power.wakeForWaitingJobs(t);
            return;
        }
        int cap = s.cfg.placementOffers();
        if (cap > 0 && open.size() > cap) {
            // Bounded pass: a window of the open desks that moves on every pass, so none is favoured.
            List<Desk> window = new ArrayList<>(cap);
            int from = (int) (offerRotation++ % open.size());
            for (int k = 0; k < cap; k++) window.add(open.get((from + k) % open.size()));
            open = window;
            free = 0;
            for (Desk d : open) free += d.freeCpus();
        }
        Instant now = s.instant(t);
        List<Offer> offers = new ArrayList<>(open.size());
        Map<String, IdleForecast> forecasts = new HashMap<>();
        for (Desk d : open) {
            offers.add(new Offer(d.name, d.freeCpus() * 1000, RunState.FREE_MEMORY, true));
            forecasts.put(d.name, d.forecast(now));
        }
        List<PendingJob> queue = s.pending.candidates(s.learned.shares(), now, free, s.learned.estimates());
        Plan plan = placement.place(new PlacementInput(now, queue, offers, forecasts, s.learned.shares(), List.of()));
        s.acc.placementPasses++;
        List<Desk> touched = new ArrayList<>();
        for (Assignment as : plan.assignments()) {
            Desk d = s.byName.get(as.machine());
            QueuedJob j = s.pending.take(as.jobId());
            if (d == null || j == null || d.freeCpus() < j.cpus)
                throw new IllegalStateException("placement assigned " + as + " beyond the offers");
            double every = j.checkpointable ? checkpointEvery(d, t, forecasts.get(d.name)) : 0;
            Attempt a = new Attempt(j, t, s.instant(t), every, s.normalPriority);
            j.attempts++;
            if (j.firstStartMs < 0) {
                j.firstStartMs = t;
                tally.started(j, t);
            }
            d.attach(a);
            d.quietSinceMs = t;
            s.acc.assignments++;
            if (!touched.contains(d)) touched.add(d);
        }
        for (Desk d : touched) decisions.evaluate(d, t);
        power.wakeForWaitingJobs(t);
        if (s.cfg.saturate() && !plan.assignments().isEmpty()) s.requestPlacement(t + 1);
    }

    /**
     * Core's checkpoint interval for this desk, chosen from its forecast; kept for the rest of the
     * hour it was chosen in, since the forecast is a profile of hours.
     */
    private double checkpointEvery(Desk d, long t, IdleForecast f) {
        long hour = t / RunState.HOUR_MS;
        if (hour != d.checkpointHour) {
            d.checkpointHour = hour;
            d.checkpointEveryS =
                    CheckpointInterval.choose(f, s.cfg.checkpointCost()).toMillis() / 1000.0;
        }
        return d.checkpointEveryS;
    }
}
