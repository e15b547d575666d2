package org.cyphon.coordinator;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls one step on a daemon thread of its own, {@code delay} after the previous call ended. It
 * decides only <em>when</em>: what a step does, and the time it does it at, belong to the step (it
 * reads the coordinator's clock), so a test can call the same step itself instead.
 *
 * <p>A step that throws is logged and the next one runs as planned: one failed lease check or
 * sweep (a database hiccup) must not stop every later one.
 */
final class PeriodicThread implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PeriodicThread.class);

    private final String name;
    private final Runnable step;
    private final ScheduledExecutorService thread;

    private PeriodicThread(String name, Runnable step) {
        this.name = name;
        this.step = step;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts calling {@code step} every {@code delay}, the first call one delay from now. */
    static PeriodicThread start(String name, Duration delay, Runnable step) {
        PeriodicThread p = new PeriodicThread(name, step);
        long millis = delay.toMillis();
        var unused = p.thread.scheduleWithFixedDelay(p::runStep, millis, millis, TimeUnit.MILLISECONDS);
        return p;
    }

    private void runStep() {
        try {
            step.run();
        } catch (RuntimeException e) {
            log.warn("{}: step failed; the next one retries: {}", name, e.toString());
        }
    }

    /** Lets a step under way finish, then stops; no step starts after this returns. */
    @Override
    public void close() {
        thread.shutdown(); // not shutdownNow: an interrupt during H2's file I/O closes the database's file
        try {
            if (!thread.awaitTermination(10, TimeUnit.SECONDS)) log.warn("{}: a step still runs after 10 s", name);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
