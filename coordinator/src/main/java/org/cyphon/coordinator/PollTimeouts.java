package org.cyphon.coordinator;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The timeouts of long polls: each ends its poll empty when nothing came in time, and is dropped as
 * soon as the poll ends another way.
 *
 * <p>Why dropped at once: a poll that got its work early left its timeout queued until the whole
 * wait had passed, and the timeout held the poll's future and so the work it was answered with.
 * While the pool dispatches, every desk polls again after each job, so the timer held polls ×
 * the wait of them: 108,000 timeouts, with their assignments, in a 768 MB heap that then ran out
 * (bench/run scale --store postgresql, 9,500 desks, a 60 s long poll).
 */
public final class PollTimeouts implements AutoCloseable {
    private final ScheduledThreadPoolExecutor timers;

    public PollTimeouts(String threadName) {
        timers = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        timers.setRemoveOnCancelPolicy(true);
    }

    /**
     * Runs {@code timeout} after {@code wait} unless {@code poll} ends first; at once when the
     * timers are stopping.
     */
    public void endAfter(CompletableFuture<?> poll, Duration wait, Runnable timeout) {
        ScheduledFuture<?> pending;
        try {
            pending = timers.schedule(timeout, wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            timeout.run();
            return;
        }
        var unused = poll.whenComplete((value, failure) -> pending.cancel(false));
    }

    /** Timeouts still waiting (for the tests: a poll answered early leaves none). */
    public int waiting() {
        return timers.getQueue().size();
    }

    @Override
    public void close() {
        timers.shutdownNow();
    }
}
