package org.cyphon.coordinator.ha;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lease on the pool's singleton work, held in the database: one row ({@code coordinator_leader})
 * names the holder, the epoch it leads in and when its lease runs out. Any number of coordinators
 * on one store call {@link #tick} a few times a lease; the holder renews, the others take over when
 * the lease has run out, in one conditional UPDATE that also increments the epoch. Each coordinator
 * also keeps its row in {@code coordinators} fresh, which is how {@code cyphon coordinators} lists
 * them and how each learns whether it is alone ({@link #shared}).
 *
 * <p>Why a fencing epoch and not the lease alone: a leader paused for longer than its lease (a
 * long GC, a stopped VM) wakes up still believing it leads. Every write of the singleton work locks
 * the leader row and checks its epoch in the same transaction ({@link #fence}), so such a leader's
 * first write fails and it steps down, and a takeover waits for any such write in flight to commit.
 *
 * <p>Clocks: expiry is compared with each coordinator's own clock, so the coordinators' clocks must
 * agree to well within a lease (NTP). The fence does not depend on clocks.
 *
 * <p>On H2 the store belongs to one process (the database file is locked), so the first tick takes
 * the lead at once whatever the row says; a coordinator that restarts at the same address (the
 * holder was itself) does too.
 */
public final class LeaderLease implements Leadership, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LeaderLease.class);
    /** Rows of coordinators not seen for this long are dropped from the list. */
    private static final long FORGET_MILLIS = Duration.ofDays(1).toMillis();

    private final DataSource ds;
    private final Clock clock;
    private final long leaseMillis;
    private final boolean exclusiveStore;
    private final List<LongConsumer> onGained = new CopyOnWriteArrayList<>();
    private final List<LongConsumer> onLost = new CopyOnWriteArrayList<>();
    private volatile String id;
    private volatile String url;
    private volatile long epoch;
    private volatile long since;
    private volatile boolean shared;
    /** When the last renewal we committed runs out (0 when not leading). */
    private long heldUntil;

    /**
     * @param lease          how long a silent leader keeps the lead (the attempts' lease: a pool
     *                       dispatches again within one lease of losing its leader)
     * @param exclusiveStore no other process can open this store (H2): lead at once
     */
    public LeaderLease(DataSource ds, Clock clock, Duration lease, boolean exclusiveStore) {
        this.ds = ds;
        this.clock = clock;
        this.leaseMillis = lease.toMillis();
        this.exclusiveStore = exclusiveStore;
    }

    /**
     * Whether another coordinator may be running on this store now (one was seen within a lease):
     * never on H2, which one process owns.
     */
    public static boolean othersAlive(org.cyphon.coordinator.store.Database db, Clock clock, Duration lease) {
        if (db.dialect() == org.cyphon.coordinator.store.Dialect.H2) return false;
        long since = clock.millis() - lease.toMillis();
        return db.transactions().read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM coordinators WHERE last_seen >= ?")) {
                ps.setLong(1, since);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1) > 0;
                }
            }
        });
    }

    /** Called with the new epoch, after this coordinator took the lead. */
    public void whenGained(LongConsumer c) {
        onGained.add(c);
    }

    /** Called with the old epoch, after this coordinator stopped leading. */
    public void whenLost(LongConsumer c) {
        onLost.add(c);
    }

    /**
     * Names this coordinator (its address, which a restart at the same address keeps) and takes
     * part from now on; ticks once before returning, so a coordinator alone leads when this returns.
     */
    public void begin(String coordinatorId, String coordinatorUrl) {
        this.id = coordinatorId;
        this.url = coordinatorUrl;
        tick();
    }

    /** How often {@link #tick} should run: a tenth of a lease, between 50 ms and 1 s. */
    public Duration tickEvery() {
        return Duration.ofMillis(Math.max(50, Math.min(1000, leaseMillis / 10)));
    }

    /** Renews or tries to take the lead, and marks this coordinator as seen. Never throws for a database error. */
    public synchronized void tick() {
        if (id == null) return;
        long now = clock.millis();
        try (Connection c = ds.getConnection()) {
            try {
                seen(c, now);
                c.commit();
                if (epoch != 0) renew(c, now);
                else take(c, now);
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            }
        } catch (SQLException | RuntimeException e) {
            log.warn("leader lease: cannot reach the store: {}", e.toString());
            // Cannot renew: once our last renewal has run out another coordinator may lead.
            if (epoch != 0 && now >= heldUntil) stepDown(epoch, "its lease ran out while the store was unreachable");
        }
    }

    @Override
    public long epoch() {
        return epoch;
    }

    /** When this coordinator took the lead (epoch milliseconds), or 0. */
    public long since() {
        return since;
    }

    @Override
    public boolean shared() {
        return shared;
    }

    /** This coordinator's id in {@code coordinators}; null before {@link #begin}. */
    public String id() {
        return id;
    }

    @Override
    public void fence(Connection c, long expected) throws SQLException {
        // A store no other process can open has no other leader to fence off: only this process's
        // own step-down ends its lead. Why not read the row anyway: H2 parses a FOR UPDATE query
        // afresh each time (it never caches one), in every assignment and expiry transaction of
        // the store's single writer.
        if (exclusiveStore) {
            if (epoch != expected) throw new NotLeaderException(expected);
            return;
        }
        try (PreparedStatement ps =
                c.prepareStatement("SELECT holder, epoch FROM coordinator_leader WHERE id = 1 FOR UPDATE")) {
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || rs.getLong(2) != expected || !rs.getString(1).equals(id))
                    throw new NotLeaderException(expected);
            }
        }
    }

    @Override
    public void lost(long old) {
        synchronized (this) {
            if (epoch != old) return;
        }
        stepDown(old, "another coordinator took over");
    }

    /** Lets another coordinator take over at once (a clean stop) and leaves the list. */
    @Override
    public synchronized void close() {
        if (id == null) return;
        long was = epoch;
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE coordinator_leader SET expires_at = 0 WHERE id = 1 AND holder = ? AND epoch = ?")) {
                ps.setString(1, id);
                ps.setLong(2, was);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM coordinators WHERE id = ?")) {
                ps.setString(1, id);
                ps.executeUpdate();
            }
            c.commit();
        } catch (SQLException e) {
            log.warn("leader lease: could not hand over at stop (another coordinator leads within a lease): {}", e);
        }
        epoch = 0;
        id = null;
    }

    private void seen(Connection c, long now) throws SQLException {
        int updated;
        try (PreparedStatement ps = c.prepareStatement("UPDATE coordinators SET url = ?, last_seen = ? WHERE id = ?")) {
            ps.setString(1, url);
            ps.setLong(2, now);
            ps.setString(3, id);
            updated = ps.executeUpdate();
        }
        if (updated == 0) {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO coordinators (id, url, started_at, last_seen) VALUES (?, ?, ?, ?)")) {
                ps.setString(1, id);
                ps.setString(2, url);
                ps.setLong(3, now);
                ps.setLong(4, now);
                ps.executeUpdate();
            }
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM coordinators WHERE last_seen < ? AND id <> ?")) {
            ps.setLong(1, now - FORGET_MILLIS);
            ps.setString(2, id);
            ps.executeUpdate();
        }
        try (PreparedStatement ps =
                c.prepareStatement("SELECT COUNT(*) FROM coordinators WHERE id <> ? AND last_seen >= ?")) {
            ps.setString(1, id);
            ps.setLong(2, now - leaseMillis);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                shared = rs.getLong(1) > 0;
            }
        }
    }

    private void renew(Connection c, long now) throws SQLException {
        long was = epoch;
        int renewed;
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE coordinator_leader SET expires_at = ? WHERE id = 1 AND holder = ? AND epoch = ?")) {
            ps.setLong(1, now + leaseMillis);
            ps.setString(2, id);
            ps.setLong(3, was);
            renewed = ps.executeUpdate();
        }
        c.commit();
        if (renewed == 1) heldUntil = now + leaseMillis;
        else stepDown(was, "another coordinator took over");
    }

    private void take(Connection c, long now) throws SQLException {
        String condition = exclusiveStore ? "" : " AND (expires_at <= ? OR holder = ?)";
        int taken;
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE coordinator_leader SET holder = ?, epoch = epoch + 1, since_at = ?, expires_at = ? WHERE id = 1"
                        + condition)) {
            ps.setString(1, id);
            ps.setLong(2, now);
            ps.setLong(3, now + leaseMillis);
            if (!exclusiveStore) {
                ps.setLong(4, now);
                ps.setString(5, id);
            }
            taken = ps.executeUpdate();
        }
        if (taken != 1) {
            c.commit();
            return;
        }
        long newEpoch;
        try (PreparedStatement ps = c.prepareStatement("SELECT epoch FROM coordinator_leader WHERE id = 1");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            newEpoch = rs.getLong(1);
        }
        c.commit();
        heldUntil = now + leaseMillis;
        since = now;
        epoch = newEpoch;
        log.info("coordinator {} leads the pool (epoch {}): it runs the scheduler and the lease keeper", id, newEpoch);
        for (LongConsumer g : onGained) g.accept(newEpoch);
    }

    private void stepDown(long old, String why) {
        synchronized (this) {
            if (epoch != old) return;
            epoch = 0;
            heldUntil = 0;
            since = 0;
        }
        log.warn("coordinator {} no longer leads (epoch {}): {}", id, old, why);
        for (LongConsumer l : onLost) l.accept(old);
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is going back to the pool broken; the pool discards it
        }
    }
}
