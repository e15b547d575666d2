package org.cyphon.agent;

/**
 * Where the agent is in its shutdown, read by every loop: while {@link #closing()} it takes no new
 * work and sends away what runs; once {@link #stopped()} the loops end and nothing is retried.
 *
 * <p>The desk itself going down (logind announced a power-off or a sleep) holds new work back the
 * same way, but only {@link #away for a while}: after a resume, or a power-off that was called off,
 * the agent {@link #back comes back} and takes work again.
 */
final class Shutdown {
    private volatile boolean closing;
    private volatile boolean stopped;
    /** Why the desk takes no work for now (it is shutting down or going to sleep), or null. */
    private volatile String away;

    /** No new work is taken and what runs is sent away: the agent stops, or the desk goes down. */
    boolean closing() {
        return closing || away != null;
    }

    boolean stopped() {
        return stopped;
    }

    /** Why no new work is taken ("agent shutting down", "the desk is shutting down"), or null while it is. */
    String whyNoWork() {
        if (closing) return "agent shutting down";
        return away;
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

    /** The desk goes down for {@code why}: no new work until {@link #back}. */
    void away(String why) {
        away = why;
    }

    /** The desk is up again (resumed, or its power-off was called off). */
    void back() {
        away = null;
    }
}
