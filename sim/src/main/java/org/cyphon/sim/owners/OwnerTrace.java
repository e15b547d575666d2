package org.cyphon.sim.owners;

import java.time.Instant;
import java.util.List;

/**
 * Every desk's owner over the replayed time, from one owner source.
 *
 * @param origin    the instant time 0 stands for (hours of the week and office hours count from it)
 * @param horizonMs where the owner trace ends: the simulation stops there
 * @param source    what it was read from, for the report
 * @param presenceRule how presence was defined, when the source does not say it directly (cpu:); null otherwise
 */
public record OwnerTrace(Instant origin, long horizonMs, List<DeskTrace> desks, String source, String presenceRule) {
    public OwnerTrace {
        desks = List.copyOf(desks);
    }
}
