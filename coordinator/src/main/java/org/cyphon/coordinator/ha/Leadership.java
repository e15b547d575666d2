package org.cyphon.coordinator.ha;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Whether this coordinator may do the pool's singleton work now (the scheduling loop's passes, the
 * lease keeper, the sweepers), and the fence each of that work's write transactions checks.
 *
 * <p>The contract: work that decides for the whole pool reads {@link #epoch()} first (0: not the
 * leader, do nothing), then calls {@link #fence} with that epoch inside the same transaction as its
 * writes. The fence fails once another coordinator has taken the lead, so two coordinators can
 * never both commit an assignment or an expiry, however late a paused leader wakes up.
 */
public interface Leadership {
    /** The epoch this coordinator leads in, or 0 when it does not lead. */
    long epoch();

    /**
     * Locks the leader row for the rest of the transaction and checks that this coordinator still
     * holds it at {@code epoch}; a takeover then waits for the transaction to end.
     *
     * @throws NotLeaderException when another coordinator has taken over since (the caller rolls back)
     */
    void fence(Connection c, long epoch) throws SQLException;

    /** The fence failed: stop leading at {@code epoch} (a newer epoch is untouched). */
    void lost(long epoch);

    /** Other coordinators work on the same store now: what one learns, the others must read from it. */
    boolean shared();

    /** Always the leader, never shared, no fence: one coordinator that owns its store (unit tests of the loop). */
    Leadership ALONE = new Leadership() {
        @Override
        public long epoch() {
            return 1;
        }

        @Override
        public void fence(Connection c, long epoch) {}

        @Override
        public void lost(long epoch) {}

        @Override
        public boolean shared() {
            return false;
        }
    };
}
