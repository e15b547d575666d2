package org.cyphon.core.protocol;

import java.time.Duration;
import java.time.Instant;

/**
 * A job the owner could have noticed: when the owner came back to their desk, the agent took longer
 * than {@link #BOUND} from the owner's input to the job frozen (or capped to linger beside them).
 * The agent measures it on its own clock, from the input event's time (evdev's kernel timestamp; X11:
 * when the server saw it) to the moment the freeze was carried out; it sends each one with its
 * heartbeats until one is answered, and the coordinator records it once per (machine, input, job,
 * attempt). The Harvest page counts them per day: the pool's promise is that there are none.
 *
 * @param jobId   the job that was slow to yield
 * @param attempt its attempt
 * @param input   the owner's input that made them present
 * @param yielded when the job was frozen (or capped)
 */
public record OwnerVisibleEvent(long jobId, int attempt, Instant input, Instant yielded) {
    /**
     * The yield bound: invariant 1's "within milliseconds", as {@code bench/run owner} holds it
     * (yield p99 at most 50 ms). A yield slower than this is one the owner may feel.
     */
    public static final Duration BOUND = Duration.ofMillis(50);

    /** From the input to the yield. */
    public Duration latency() {
        return Duration.between(input, yielded);
    }

    /** Whether a yield from {@code input} done at {@code yielded} is slower than {@link #BOUND}. */
    public static boolean ownerVisible(Instant input, Instant yielded) {
        return Duration.between(input, yielded).compareTo(BOUND) > 0;
    }
}
