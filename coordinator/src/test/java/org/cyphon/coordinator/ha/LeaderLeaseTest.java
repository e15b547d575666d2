package org.cyphon.coordinator.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.cyphon.coordinator.MovableClock;
import org.cyphon.coordinator.TestStore;
import org.cyphon.coordinator.store.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two coordinators' leases on one PostgreSQL schema, with a clock the test moves: one leads, the
 * other takes over only once the lease has run out, with a new epoch, and the old leader's fenced
 * writes then fail.
 */
class LeaderLeaseTest {
    private static final Duration LEASE = Duration.ofSeconds(10);

    @TempDir
    Path tmp;

    private TestStore.Instance store;
    private Database db;
    private final MovableClock clock = new MovableClock(Instant.parse("2026-12-06T10:00:00Z"));
    private final List<LeaderLease> leases = new ArrayList<>();

    @BeforeEach
    void open() {
        store = TestStore.POSTGRESQL.create(tmp);
        db = Database.open(store.jdbcUrl(), store.user(), store.password(), 4);
    }

    @AfterEach
    void close() throws Exception {
        for (LeaderLease l : leases) l.close();
        db.close();
        store.close();
    }

    private LeaderLease lease(String id) {
        LeaderLease l = new LeaderLease(db.dataSource(), clock, LEASE, false);
        leases.add(l);
        l.begin(id, "http://" + id);
        return l;
    }

    /** A fenced write, as the scheduler's and the lease keeper's are. */
    private void fencedWrite(LeaderLease l, long epoch) {
        db.transactions().write(c -> {
            l.fence(c, epoch);
            return null;
        });
    }

    @Test
    void theFirstLeadsTheSecondWaitsForTheLeaseThenTakesOverWithANewEpoch() {
        LeaderLease a = lease("a:1");
        LeaderLease b = lease("b:1");
        assertThat(a.epoch()).isEqualTo(1);
        assertThat(b.epoch()).isZero();
        assertThat(a.shared()).as("a sees b once b has ticked").isFalse();
        a.tick();
        assertThat(a.shared()).isTrue();
        fencedWrite(a, 1);

        // a renews: b never takes over while it does.
        clock.advance(LEASE.dividedBy(2));
        a.tick();
        clock.advance(LEASE.dividedBy(2));
        b.tick();
        assertThat(b.epoch()).as("a renewed half a lease ago").isZero();

        // a goes silent (killed, paused): after its lease, b takes over in a new epoch.
        clock.advance(LEASE);
        b.tick();
        assertThat(b.epoch()).isEqualTo(2);
        fencedWrite(b, 2);

        // a wakes up still believing it leads: its writes are refused, and it steps down.
        assertThat(a.epoch()).isEqualTo(1);
        assertThatThrownBy(() -> fencedWrite(a, 1)).isInstanceOf(NotLeaderException.class);
        a.lost(1);
        assertThat(a.epoch()).isZero();
        a.tick();
        assertThat(a.epoch()).as("b holds a live lease").isZero();
    }

    @Test
    void aRenewalThatFindsAnotherHolderStepsDown() {
        LeaderLease a = lease("a:1");
        List<Long> lost = new ArrayList<>();
        a.whenLost(lost::add);
        LeaderLease b = lease("b:1");
        clock.advance(LEASE.plusSeconds(1));
        b.tick();
        assertThat(b.epoch()).isEqualTo(2);
        a.tick();
        assertThat(a.epoch()).isZero();
        assertThat(lost).containsExactly(1L);
    }

    @Test
    void aCleanStopHandsTheLeadOverAtOnce() {
        LeaderLease a = lease("a:1");
        List<Long> gained = new ArrayList<>();
        LeaderLease b = lease("b:1");
        b.whenGained(gained::add);
        a.close();
        b.tick();
        assertThat(b.epoch()).isEqualTo(2);
        assertThat(gained).containsExactly(2L);
    }

    @Test
    void aCoordinatorRestartedAtItsAddressTakesItsOwnLeadBackAtOnce() {
        LeaderLease a = lease("a:1");
        LeaderLease b = lease("b:1");
        assertThat(a.epoch()).isEqualTo(1);
        // a is killed (no close) and started again at the same address, well within its lease.
        LeaderLease again = lease("a:1");
        assertThat(again.epoch()).isEqualTo(2);
        assertThat(b.epoch()).isZero();
        assertThatThrownBy(() -> fencedWrite(a, 1)).isInstanceOf(NotLeaderException.class);
    }

    @Test
    void theListShowsEveryCoordinatorAndTheLeader() {
        LeaderLease a = lease("a:1");
        lease("b:1");
        var list = new ListCoordinators(db, clock, a).list();
        assertThat(list.leader()).isEqualTo("a:1");
        assertThat(list.epoch()).isEqualTo(1);
        assertThat(list.coordinators())
                .extracting(c -> c.id() + (c.leader() ? " leads" : ""))
                .containsExactly("a:1 leads", "b:1");
        clock.advance(LEASE.plusSeconds(1));
        assertThat(new ListCoordinators(db, clock, a).list().leader())
                .as("a lease that ran out names no leader")
                .isNull();
    }
}
