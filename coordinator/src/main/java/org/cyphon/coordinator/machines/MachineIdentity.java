package org.cyphon.coordinator.machines;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import org.cyphon.coordinator.api.ApiError;
import org.cyphon.coordinator.auth.Authenticate;
import org.cyphon.coordinator.auth.Principal;
import org.cyphon.coordinator.auth.Role;
import org.cyphon.coordinator.desk.DeskAuditTable;
import org.cyphon.coordinator.jobs.AfterCommit;
import org.cyphon.coordinator.leases.LoseAttempts;
import org.cyphon.coordinator.metrics.CoordinatorMetrics;
import org.cyphon.coordinator.profile.EnrolledDesk;
import org.cyphon.coordinator.profile.TrackRecord;
import org.cyphon.coordinator.schedule.Fact;
import org.cyphon.coordinator.schedule.SchedulingLoop;
import org.cyphon.coordinator.store.AttemptTable;
import org.cyphon.coordinator.store.Database;
import org.cyphon.coordinator.store.MachineRow;
import org.cyphon.coordinator.store.MachineTable;
import org.cyphon.coordinator.store.TokenTable;
import org.cyphon.core.protocol.MachineView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What admins do to a desk's identity, each on record in the desk audit log
 * ({@code cyphon desk NAME audit}) in the same transaction as the change:
 * <ul>
 *   <li>{@code forget}: the machine leaves the pool. Its credentials stop working at once (401),
 *       its live attempts are lost (requeued now, not a lease later), its track record goes, and
 *       its name is free for a new enrollment;</li>
 *   <li>{@code approve}: a desk that joined while {@code join.approve} is on may take work;</li>
 *   <li>{@code rotate-credentials}: the agent gets a new credential in its next heartbeat reply,
 *       and the old one stops working at the new one's first use, so the desk never stops.</li>
 * </ul>
 */
public final class MachineIdentity {
    private static final Logger log = LoggerFactory.getLogger(MachineIdentity.class);

    private final Database db;
    private final Clock clock;
    private final Duration lease;
    private final Authenticate auth;
    private final SchedulingLoop loop;
    private final CoordinatorMetrics metrics;
    private final TrackRecord trackRecord;
    private final ReadMachines read;

    public MachineIdentity(
            Database db,
            Clock clock,
            Duration lease,
            Authenticate auth,
            SchedulingLoop loop,
            CoordinatorMetrics metrics,
            TrackRecord trackRecord,
            ReadMachines read) {
        this.db = db;
        this.clock = clock;
        this.lease = lease;
        this.auth = auth;
        this.loop = loop;
        this.metrics = metrics;
        this.trackRecord = trackRecord;
        this.read = read;
    }

    /** @return what was done, for the CLI to print. @throws ApiError 404 if there is no such machine */
    public java.util.Map<String, Object> forget(String name, Principal by) {
        long now = clock.millis();
        record Forgotten(int lost, AfterCommit after) {}
        Forgotten f = db.transactions().write(c -> {
            MachineRow m = MachineTable.byName(c, name);
            if (m == null) return null;
            AfterCommit after = new AfterCommit();
            var live = AttemptTable.liveOn(c, name);
            LoseAttempts.inTransaction(c, live, "machine forgotten by an admin", now, lease.toMillis(), after);
            TokenTable.delete(c, Role.AGENT.name(), name);
            MachineTable.delete(c, name);
            EnrolledDesk.forget(c, name);
            audit(
                    c,
                    by,
                    name,
                    "forget",
                    "ok",
                    "joined with " + m.joinedWith() + "; " + live.size() + " live attempt(s) lost",
                    now);
            return new Forgotten(live.size(), after);
        });
        if (f == null) throw ReadMachines.noSuchMachine(name);
        auth.forget(new Principal(Role.AGENT, name));
        trackRecord.forgotten(name);
        f.after().fact(new Fact.MachineForgotten(name));
        f.after().run(loop, metrics);
        log.info("machine {}: forgotten by {} ({} live attempt(s) lost); its name is free", name, by.name(), f.lost());
        return java.util.Map.of("machine", name, "forgotten", true, "attemptsLost", f.lost());
    }

    /** @throws ApiError 404 if there is no such machine, 409 if it is not pending */
    public MachineView approve(String name, Principal by) {
        long now = clock.millis();
        MachineRow m = db.transactions().write(c -> {
            MachineRow row = MachineTable.byName(c, name);
            if (row == null || !row.pending()) return row;
            MachineTable.setPending(c, name, false);
            audit(c, by, name, "approve", "ok", "joined with " + row.joinedWith(), now);
            return row;
        });
        if (m == null) throw ReadMachines.noSuchMachine(name);
        if (!m.pending()) throw new ApiError(409, "machine '" + name + "' is not waiting for approval", null);
        loop.tell(new Fact.MachineDrained(name, m.drained()));
        log.info("machine {}: approved by {}", name, by.name());
        return read.show(name);
    }

    /** @throws ApiError 404 if there is no such machine */
    public java.util.Map<String, Object> rotate(String name, Principal by) {
        long now = clock.millis();
        boolean found = db.transactions().write(c -> {
            if (!MachineTable.setRotateCredential(c, name, true)) return false;
            audit(c, by, name, "rotate-credentials", "ok", "handed to the agent at its next heartbeat", now);
            return true;
        });
        if (!found) throw ReadMachines.noSuchMachine(name);
        log.info("machine {}: credential rotation asked by {}", name, by.name());
        return java.util.Map.of(
                "machine",
                name,
                "rotation",
                "its agent gets a new credential at its next heartbeat; the old one stops working once the new one is used");
    }

    private static void audit(
            java.sql.Connection c, Principal by, String machine, String action, String result, String message, long now)
            throws java.sql.SQLException {
        DeskAuditTable.insert(
                c, now, by.name(), by.role().name().toLowerCase(Locale.ROOT), machine, action, "", result, message);
    }
}
