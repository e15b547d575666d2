package org.cyphon.core.schedule;

import java.util.List;
import org.cyphon.core.machine.Offer;

/**
 * Decides which queued jobs go where. Pure: the same queue and offers always give the same
 * assignments, so the coordinator and the simulator can share it and tests can assert on it.
 */
public interface Placement {
    /**
     * @param queue  jobs waiting to run, in any order (the placement orders them itself)
     * @param offers what each machine can take now
     * @return assignments; each job at most once, never more than a machine offered
     */
    List<Assignment> place(List<PendingJob> queue, List<Offer> offers);
}
