package org.cyphon.agent.sensors;

import java.time.Duration;
import java.time.Instant;

/**
 * Lets one signal per interval through for one device, so a moving mouse (hundreds of events a
 * second) does not flood the agent's policy loop. The first event after a quiet interval always
 * passes at once: that event is the owner coming back, and its latency is the yield latency.
 *
 * <p>Decided on the events' own timestamps, not on when they are read, so a burst read late in one
 * go is judged as it happened. What it holds back is at most one interval of freshness: the latest
 * input the sink knows of may be up to one interval older than the true latest.
 */
final class InputRateLimit {

    private final long intervalNanos;
    private Instant lastPassed;

    InputRateLimit(Duration interval) {
        this.intervalNanos = interval.toNanos();
    }

    /** True when an event at this time should be reported; not thread-safe (one reader per device). */
    boolean admit(Instant eventTime) {
        if (lastPassed == null
                || eventTime.isBefore(lastPassed)
                || Duration.between(lastPassed, eventTime).toNanos() >= intervalNanos) {
            lastPassed = eventTime;
            return true;
        }
        return false;
    }
}
