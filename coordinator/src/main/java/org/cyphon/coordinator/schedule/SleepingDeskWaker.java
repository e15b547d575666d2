package org.cyphon.coordinator.schedule;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.cyphon.core.machine.Offer;
import org.cyphon.core.owner.IdleForecast;
import org.cyphon.core.schedule.PendingJob;

/**
 * Told after each scheduling pass which queued jobs no awake desk took and which desks sleep, so
 * it can wake some for them (coordinator/power's {@code WakeForQueuedWork}). Called on the
 * scheduling thread.
 */
public interface SleepingDeskWaker {
    SleepingDeskWaker NONE = (now, waiting, asleep, forecasts) -> {};

    /**
     * @param waiting   queued jobs, in placement order, that some sleeping desk could take
     * @param asleep    the sleeping desks, undrained, each with its whole resources and labels
     * @param forecasts the desks' idle forecasts (a sleeping desk's owner counts as away)
     */
    void afterPass(Instant now, List<PendingJob> waiting, List<Offer> asleep, Map<String, IdleForecast> forecasts);
}
