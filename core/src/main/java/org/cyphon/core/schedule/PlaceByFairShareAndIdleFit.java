package org.cyphon.core.schedule;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.cyphon.core.machine.Offer;
import org.cyphon.core.owner.IdleForecast;

/**
 * Cyphon's placement: submitters with the least recent usage first (fair share), then higher
 * priority, then oldest; each job goes to the accepting desk that carries its labels, has room,
 * and is most likely to stay idle for the job's remaining expected runtime.
 *
 * <p>SKELETON: ranking and preemption are being written; see the tests for the contract.
 */
public final class PlaceByFairShareAndIdleFit implements Placement {
    @Override
    public Plan place(PlacementInput in) {
        List<PendingJob> ordered = new ArrayList<>(in.queue());
        ordered.sort(Comparator.<PendingJob>comparingDouble(j -> in.shares().usage(j.owner(), in.now()))
                .thenComparing(PlaceByPriorityOnEmptiestMachine.QUEUE_ORDER));
        List<Offer> open = new ArrayList<>(in.offers());
        List<Assignment> out = new ArrayList<>();
        for (PendingJob job : ordered) {
            int best = -1;
            double bestP = -1;
            for (int i = 0; i < open.size(); i++) {
                Offer o = open.get(i);
                if (!o.fits(job.cpuMillis(), job.memoryBytes()) || !o.carries(job.requires())) continue;
                IdleForecast f = in.forecasts().get(o.machine());
                double p = f == null || job.remaining() == null ? 0.5 : f.stayAway(job.remaining());
                if (p > bestP) {
                    bestP = p;
                    best = i;
                }
            }
            if (best < 0) continue;
            Offer chosen = open.get(best);
            out.add(new Assignment(job.id(), chosen.machine()));
            open.set(best, chosen.minus(job.cpuMillis(), job.memoryBytes()));
        }
        return new Plan(out, List.of());
    }
}
