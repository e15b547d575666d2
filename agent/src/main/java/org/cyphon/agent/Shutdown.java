package org.cyphon.agent;

/**
 * Where the agent is in its shutdown, read by every loop: while {@link #closing()} it takes no new
 * work and sends away what runs; once {@link #stopped()} the loops end and nothing is retried.
 */
final class Shutdown {
    private volatile boolean closing;
    private volatile boolean stopped;

    boolean closing() {
        return closing;
    }

    boolean stopped() {
        return stopped;
    }

    /** @return false when it had begun already */
    synchronized boolean begin() {
        if (closing || stopped) return false;
        closing = true;
        return true;
    }

    void finish() {
        stopped = true;
    }
}
