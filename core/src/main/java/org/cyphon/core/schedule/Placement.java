package org.cyphon.core.schedule;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.cyphon.core.machine.Offer;

/**
 * Decides which queued jobs go where. Pure: the same input always gives the same plan, so the
 * coordinator and the simulator share it and tests can assert on it.
 */
public interface Placement {
    /** Assignments (each job at most once, never more than a machine offered) and preemptions. */
    Plan place(PlacementInput in);

    /**
     * @param queue  jobs waiting to run, in any order (the placement orders them itself)
     * @param offers what each machine can take now
     * @return assignments; each job at most once, never more than a machine offered
     */
    default List<Assignment> place(List<PendingJob> queue, List<Offer> offers) {
        return place(new PlacementInput(Instant.EPOCH, queue, offers, Map.of(), FairShare.none(), List.of()))
                .assignments();
    }
}
