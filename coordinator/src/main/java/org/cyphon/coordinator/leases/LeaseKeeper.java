package org.cyphon.coordinator.leases;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link ExpireLeases} on its own thread, a tenth of a lease apart (between 50 ms and 1 s), so
 * a silent agent's attempts are back in the queue about one lease after its last heartbeat.
 */
public final class LeaseKeeper implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

    private final ExpireLeases expire;
    private final long periodMillis;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cyphon-lease-keeper");
        t.setDaemon(true);
        return t;
    });

    public LeaseKeeper(ExpireLeases expire, Duration lease) {
        this.expire = expire;
        this.periodMillis = Math.max(50, Math.min(1000, lease.toMillis() / 10));
    }

    public void start() {
        var unused = thread.scheduleWithFixedDelay(this::tick, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        try {
            int lost = expire.run();
            if (lost > 0) log.info("{} attempt(s) lost: lease expired", lost);
        } catch (RuntimeException e) {
            log.warn("lease check failed; will retry: {}", e.toString());
        }
    }

    @Override
    public void close() {
        thread.shutdown(); // not shutdownNow: an interrupt during H2's file I/O closes the database's file
        try {
            thread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
