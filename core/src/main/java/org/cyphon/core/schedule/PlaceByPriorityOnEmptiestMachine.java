package org.cyphon.core.schedule;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import org.cyphon.core.machine.Offer;

/**
 * Higher priority first, then oldest first; each job goes to the accepting machine with the most
 * free CPU that fits it (ties: most free memory, then name, for determinism).
 *
 * <p>Why the emptiest machine: on desktops, spreading guest work keeps each owner's machine as
 * lightly loaded as possible, and leaves whole machines free for the next big request less often
 * than bin-packing would, but an office pool is rarely full. A job that fits nowhere is skipped so
 * smaller jobs behind it can still run (backfill); it keeps its place in the order.
 *
 * <p>Cost: O(Q log Q + Q log M) for Q queued jobs and M machines.
 */
public final class PlaceByPriorityOnEmptiestMachine implements Placement {
    /** The order in which queued jobs are considered; the coordinator keeps its queue index in it. */
    public static final Comparator<PendingJob> QUEUE_ORDER =
            Comparator.comparingInt(PendingJob::priority).reversed().thenComparingLong(PendingJob::id);

    private static final Comparator<Offer> EMPTIEST_FIRST = Comparator.comparingInt(Offer::freeCpuMillis)
            .reversed()
            .thenComparing(Comparator.comparingLong(Offer::freeMemoryBytes).reversed())
            .thenComparing(Offer::machine);

    @Override
    public Plan place(PlacementInput in) {
        return new Plan(assign(in.queue(), in.offers()), List.of());
    }

    private static List<Assignment> assign(List<PendingJob> queue, List<Offer> offers) {
        PriorityQueue<Offer> open = new PriorityQueue<>(EMPTIEST_FIRST);
        for (Offer o : offers) if (o.accepting() && o.freeCpuMillis() > 0) open.add(o);
        if (open.isEmpty() || queue.isEmpty()) return List.of();

        List<PendingJob> ordered = new ArrayList<>(queue);
        ordered.sort(QUEUE_ORDER);
        List<Assignment> out = new ArrayList<>();
        List<Offer> skipped = new ArrayList<>();
        for (PendingJob job : ordered) {
            if (open.isEmpty()) break;
            Offer chosen = null;
            // The emptiest machine by CPU may lack memory; look further down, then put the rest back.
            while (!open.isEmpty()) {
                Offer o = open.poll();
                if (o.fits(job.cpuMillis(), job.memoryBytes())) {
                    chosen = o;
                    break;
                }
                skipped.add(o);
                if (o.freeCpuMillis() < job.cpuMillis()) break; // the rest have even less CPU
            }
            open.addAll(skipped);
            skipped.clear();
            if (chosen == null) continue;
            out.add(new Assignment(job.id(), chosen.machine()));
            Offer left = chosen.minus(job.cpuMillis(), job.memoryBytes());
            if (left.freeCpuMillis() > 0) open.add(left);
        }
        return out;
    }
}
