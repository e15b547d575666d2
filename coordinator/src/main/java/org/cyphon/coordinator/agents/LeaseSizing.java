package org.cyphon.coordinator.agents;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.cyphon.core.protocol.BeatLoad;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the admin, in the coordinator's log, when the pool has outgrown its lease: its quiet desks
 * would send more heartbeats a second than {@link BeatLoad#BUDGET_PER_SECOND}, and what
 * {@code leases.lease} keeps them within it. Once per lease it recommends, so a pool that keeps
 * growing hears again at each step (every few hundred desks), not at every enrollment.
 *
 * <p>Why a warning and not a lease that grows by itself: the lease is also how soon a dead desk's
 * jobs are requeued, a promise the admin makes to the pool's users; it changes when they say.
 */
public final class LeaseSizing {
    private static final Logger log = LoggerFactory.getLogger(LeaseSizing.class);

    private final Duration lease;
    private final AtomicLong warnedFor = new AtomicLong();

    public LeaseSizing(Duration lease) {
        this.lease = lease;
    }

    /** After an enrollment: the pool now has {@code desks} machines. Returns whether it warned. */
    public boolean enrolled(int desks) {
        if (BeatLoad.quietBeatsPerSecond(desks, lease) <= BeatLoad.BUDGET_PER_SECOND) return false;
        Duration needed = BeatLoad.leaseFor(desks, BeatLoad.BUDGET_PER_SECOND, lease);
        long seconds = needed.toSeconds();
        long before = warnedFor.get();
        if (seconds <= before || !warnedFor.compareAndSet(before, seconds)) return false;
        log.warn(
                "the pool has {} desks: at leases.lease = {} s their heartbeats alone are about {} writes a"
                        + " second, more than the ~{} a small coordinator serves without making submits, reports and"
                        + " queries wait. Set leases.lease = \"{}s\" (or more) in coordinator.toml and restart: a dead"
                        + " desk's jobs are then requeued within {} s (README: Configuration, [leases])",
                desks,
                lease.toMillis() % 1000 == 0
                        ? Long.toString(lease.toSeconds())
                        : Double.toString(lease.toMillis() / 1000.0),
                Math.round(BeatLoad.quietBeatsPerSecond(desks, lease)),
                BeatLoad.BUDGET_PER_SECOND,
                seconds,
                seconds);
        return true;
    }
}
