package org.cyphon.coordinator.schedule;

import java.time.Instant;
import java.util.Map;
import org.cyphon.core.owner.IdleForecast;

/**
 * Where the scheduler gets each desk's idle forecast (from the machines' usage profiles). Called on
 * the scheduling thread at most every {@link SchedulingLoop#FORECAST_REFRESH}; must not block long.
 */
public interface ForecastSource {
    /** No forecasts: placement ranks every desk as if nothing were known about its owner. */
    ForecastSource NONE = now -> Map.of();

    /** By machine name; a machine missing from the map has no forecast. */
    Map<String, IdleForecast> forecastsAt(Instant now);
}
