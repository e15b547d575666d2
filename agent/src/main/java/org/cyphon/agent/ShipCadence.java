package org.cyphon.agent;

import java.time.Duration;

/**
 * How long the ship loop waits before it looks for new output of the running jobs again:
 * {@code upload_every} while they write, then twice as long after every look that found nothing
 * new, up to {@link #SLOWEST} times {@code upload_every}; back to {@code upload_every} as soon as a
 * look finds new output. A job that prints nothing — the usual case for a number cruncher lingering
 * beside the owner — then costs the agent a wake-up every 16 s instead of every 2 s, and a job that
 * prints is shipped as often as before. The end of a job still ships everything at once.
 *
 * <p>What it costs: output that appears after a quiet spell reaches {@code cyphon logs --follow}
 * up to {@code SLOWEST x upload_every} later.
 *
 * <p>Not thread-safe: the ship loop's own.
 */
final class ShipCadence {
    static final int SLOWEST = 8;

    private final Duration uploadEvery;
    private int factor = 1;

    ShipCadence(Duration uploadEvery) {
        this.uploadEvery = uploadEvery;
    }

    /**
     * @param foundNewOutput the look just made shipped some bytes
     * @return how long to wait before the next look
     */
    Duration next(boolean foundNewOutput) {
        factor = foundNewOutput ? 1 : Math.min(SLOWEST, factor * 2);
        return uploadEvery.multipliedBy(factor);
    }
}
