package org.cyphon.cli;

import java.time.Duration;

/**
 * Polling delays that start short (a job that just finished is noticed at once) and grow to a
 * ceiling (a long wait does not hammer the coordinator): 200ms, 400ms, ... 2s.
 */
final class Backoff {
    static final Duration FIRST = Duration.ofMillis(200);
    static final Duration LAST = Duration.ofSeconds(2);

    private Duration next = FIRST;

    /** Sleeps the current delay, then doubles it up to the ceiling. */
    void sleep() throws InterruptedException {
        Thread.sleep(next.toMillis());
        next = next.multipliedBy(2).compareTo(LAST) > 0 ? LAST : next.multipliedBy(2);
    }

    /** Something happened: poll quickly again. */
    void reset() {
        next = FIRST;
    }
}
