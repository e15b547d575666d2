package org.cyphon.core.schedule;

import java.time.Duration;
import org.cyphon.core.owner.IdleForecast;

/**
 * How often to checkpoint a job on a desk, from the desk's forecast: Young's first-order optimum
 * sqrt(2 · cost · mean time to interruption), the interruption being the owner's return.
 */
public final class CheckpointInterval {
    private static final Duration MIN = Duration.ofMinutes(5);

    private CheckpointInterval() {}

    /** @param cost how long one checkpoint takes */
    public static Duration choose(IdleForecast forecast, Duration cost) {
        double mtti = Math.max(60, forecast.expectedRemaining().toSeconds());
        double seconds = Math.sqrt(2.0 * Math.max(1, cost.toSeconds()) * mtti);
        Duration d = Duration.ofSeconds((long) seconds);
        return d.compareTo(MIN) < 0 ? MIN : d;
    }
}
