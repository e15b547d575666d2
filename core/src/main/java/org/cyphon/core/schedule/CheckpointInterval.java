package org.cyphon.core.schedule;

import java.time.Duration;
import org.cyphon.core.owner.IdleForecast;

/**
 * How often to checkpoint a job on a desk, from the desk's forecast.
 *
 * <p>The interruption that matters on a desktop is the owner's return, so the mean time to
 * interruption M is the forecast's expected remaining idle time. Young's first-order optimum,
 * sqrt(2 · C · M) for a checkpoint costing C, balances time spent checkpointing against work lost
 * at the interruption (on average half an interval). Bounded:
 * <ul>
 *   <li>at least {@link #MIN 5 min}: a desk expecting its owner any minute would otherwise
 *       checkpoint almost continuously, slowing the job more than a vacate costs;</li>
 *   <li>at most {@link #MAX 4 h}: forecasts are wrong sometimes (a declared vacation cut short, a
 *       crash, a power cut), and losing more than a few hours of work is never worth the saved
 *       checkpoints.</li>
 * </ul>
 */
public final class CheckpointInterval {
    public static final Duration MIN = Duration.ofMinutes(5);
    public static final Duration MAX = Duration.ofHours(4);

    private CheckpointInterval() {}

    /** @param cost how long one checkpoint takes */
    public static Duration choose(IdleForecast forecast, Duration cost) {
        double mtti = Math.max(60, forecast.expectedRemaining().toSeconds());
        double c = Math.max(1, cost == null ? 0 : cost.toMillis() / 1000.0);
        long seconds = (long) Math.sqrt(2.0 * c * mtti);
        return Duration.ofSeconds(Math.max(MIN.toSeconds(), Math.min(MAX.toSeconds(), seconds)));
    }
}
