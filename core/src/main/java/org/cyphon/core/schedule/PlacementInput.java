package org.cyphon.core.schedule;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.cyphon.core.machine.Offer;
import org.cyphon.core.owner.IdleForecast;

/**
 * Everything one placement pass depends on.
 *
 * @param forecasts by machine name; a machine without one is ranked as if nothing were known
 * @param running   attempts already running, for checkpoint-and-vacate preemption; may be empty
 */
public record PlacementInput(
        Instant now,
        List<PendingJob> queue,
        List<Offer> offers,
        Map<String, IdleForecast> forecasts,
        FairShare shares,
        List<RunningAttempt> running) {
    public PlacementInput {
        queue = List.copyOf(queue);
        offers = List.copyOf(offers);
        forecasts = forecasts == null ? Map.of() : Map.copyOf(forecasts);
        running = running == null ? List.of() : List.copyOf(running);
    }
}
