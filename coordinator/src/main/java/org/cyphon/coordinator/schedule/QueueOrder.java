package org.cyphon.coordinator.schedule;

import java.util.Comparator;
import org.cyphon.core.schedule.PendingJob;

/**
 * The order in which {@code PlaceByPriorityOnEmptiestMachine} considers queued jobs: higher
 * priority first, then oldest. The scheduler keeps its queue in this order so it can hand
 * placement only the head of a long queue.
 *
 * <p>Adapter: core keeps this comparator package-private ({@code QUEUE_ORDER}); once core exposes
 * it this class should just refer to it.
 */
final class QueueOrder {
    static final Comparator<PendingJob> ORDER =
            Comparator.comparingInt(PendingJob::priority).reversed().thenComparingLong(PendingJob::id);

    private QueueOrder() {}
}
