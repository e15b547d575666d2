package org.cyphon.coordinator.leases;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.cyphon.coordinator.jobs.AfterCommit;
import org.cyphon.coordinator.metrics.CoordinatorMetrics;
import org.cyphon.coordinator.schedule.SchedulingLoop;
import org.cyphon.coordinator.store.AttemptRow;
import org.cyphon.coordinator.store.AttemptTable;
import org.cyphon.coordinator.store.Database;
import org.cyphon.core.text.Durations;

/**
 * One lease check: finds attempts whose lease has run out by the clock's now (core's
 * {@code Lease.expiredAt}) and loses them ({@link LoseAttempts}): their jobs go back to the queue,
 * or fail when out of attempts. Works in batches of {@value #BATCH}, one transaction each, until
 * none is left. The coordinator's {@code PeriodicWork} calls it a tenth of a lease apart (the lease
 * keeper), or a test does.
 */
public final class ExpireLeases {
    static final int BATCH = 500;

    private final Database db;
    private final Clock clock;
    private final String why;
    private final long leaseMillis;
    private final SchedulingLoop loop;
    private final CoordinatorMetrics metrics;
    private final org.cyphon.coordinator.ha.Leadership leadership;

    public ExpireLeases(Database db, Clock clock, Duration lease, SchedulingLoop loop, CoordinatorMetrics metrics) {
        this(db, clock, lease, loop, metrics, org.cyphon.coordinator.ha.Leadership.ALONE);
    }

    /** @param leadership only the leader expires leases, each batch fenced by its epoch */
    public ExpireLeases(
            Database db,
            Clock clock,
            Duration lease,
            SchedulingLoop loop,
            CoordinatorMetrics metrics,
            org.cyphon.coordinator.ha.Leadership leadership) {
        this.leadership = leadership;
        this.db = db;
        this.clock = clock;
        this.why = "lease expired: no heartbeat for " + Durations.format(lease);
        this.leaseMillis = lease.toMillis();
        this.loop = loop;
        this.metrics = metrics;
    }

    /** @return how many attempts were lost (0 on a coordinator that does not lead) */
    public int run() {
        long epoch = leadership.epoch();
        if (epoch == 0) return 0;
        try {
            return expire(epoch);
        } catch (org.cyphon.coordinator.ha.NotLeaderException e) {
            leadership.lost(e.epoch());
            return 0;
        }
    }

    private int expire(long epoch) {
        Instant now = clock.instant();
        int total = 0;
        while (true) {
            record Batch(int found, int lost, AfterCommit after) {}
            Batch b = db.transactions().write(c -> {
                leadership.fence(c, epoch); // a coordinator that lost the lead meanwhile expires nothing
                List<AttemptRow> candidates = AttemptTable.expired(c, now.toEpochMilli(), BATCH);
                List<AttemptRow> expired = candidates.stream()
                        .filter(a -> a.lease().expiredAt(now))
                        .toList();
                AfterCommit after = new AfterCommit();
                LoseAttempts.inTransaction(c, expired, why, now.toEpochMilli(), leaseMillis, after);
                return new Batch(candidates.size(), expired.size(), after);
            });
            b.after().run(loop, metrics);
            total += b.lost();
            if (b.found() < BATCH || b.lost() == 0) return total;
        }
    }
}
