package org.cyphon.coordinator.agents;

import java.time.Clock;
import java.time.Duration;
import java.util.regex.Pattern;
import org.cyphon.coordinator.api.ApiError;
import org.cyphon.coordinator.auth.Authenticate;
import org.cyphon.coordinator.auth.Principal;
import org.cyphon.coordinator.auth.Role;
import org.cyphon.coordinator.auth.Tokens;
import org.cyphon.coordinator.jobs.AfterCommit;
import org.cyphon.coordinator.leases.LoseAttempts;
import org.cyphon.coordinator.metrics.CoordinatorMetrics;
import org.cyphon.coordinator.schedule.Fact;
import org.cyphon.coordinator.schedule.SchedulingLoop;
import org.cyphon.coordinator.store.AttemptTable;
import org.cyphon.coordinator.store.Database;
import org.cyphon.coordinator.store.MachineRow;
import org.cyphon.coordinator.store.MachineTable;
import org.cyphon.coordinator.store.TokenTable;
import org.cyphon.core.protocol.EnrollReply;
import org.cyphon.core.protocol.EnrollRequest;

/**
 * {@code POST /agents/enroll}: a machine joins, or joins again under the same name (a reinstall).
 * It gets a new agent token; any older token of that machine stops working, and any attempt the
 * old agent held is lost at once (the new agent cannot know it), instead of a lease later.
 */
public final class EnrollMachine {
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final Database db;
    private final Clock clock;
    private final Duration heartbeat;
    private final Duration lease;
    private final Authenticate auth;
    private final SchedulingLoop loop;
    private final CoordinatorMetrics metrics;

    private final org.cyphon.coordinator.profile.TrackRecord trackRecord;

    public EnrollMachine(
            Database db,
            Clock clock,
            Duration heartbeat,
            Duration lease,
            Authenticate auth,
            SchedulingLoop loop,
            CoordinatorMetrics metrics,
            org.cyphon.coordinator.profile.TrackRecord trackRecord) {
        this.trackRecord = trackRecord;
        this.db = db;
        this.clock = clock;
        this.heartbeat = heartbeat;
        this.lease = lease;
        this.auth = auth;
        this.loop = loop;
        this.metrics = metrics;
    }

    /** @throws ApiError 400 naming the bad field */
    public EnrollReply enroll(EnrollRequest r) {
        if (r == null) throw ApiError.badField("body", "an enroll request object is required");
        if (r.name() == null || !NAME.matcher(r.name()).matches()) {
            throw ApiError.badField(
                    "name",
                    "must be letters, digits and ._- (at most 128, starting with a letter or digit), got " + r.name());
        }
        Resources.check(r.cpus(), r.memoryBytes(), r.sandbox(), r.sandboxNote(), r.criu());
        if (r.version() != null && r.version().length() > 64)
            throw ApiError.badField("version", "is longer than 64 characters");
        org.cyphon.coordinator.profile.EnrolledDesk.check(r);
        String token = Tokens.newToken();
        Principal agent = new Principal(Role.AGENT, r.name());
        int cpuMillis = (int) Math.round(r.cpus() * 1000);
        long now = clock.millis();
        AfterCommit after = db.transactions().write(c -> {
            MachineRow before = MachineTable.byName(c, r.name());
            MachineTable.enroll(
                    c, r.name(), cpuMillis, r.memoryBytes(), r.sandbox(), r.sandboxNote(), r.version(), r.criu(), now);
            org.cyphon.coordinator.profile.EnrolledDesk.store(c, r);
            TokenTable.delete(c, Role.AGENT.name(), r.name());
            TokenTable.insert(c, Tokens.hash(token), Role.AGENT.name(), r.name(), now);
            AfterCommit a = new AfterCommit();
            if (before != null)
                LoseAttempts.inTransaction(
                        c, AttemptTable.liveOn(c, r.name()), "machine re-enrolled", now, lease.toMillis(), a);
            return a;
        });
        auth.forget(agent);
        auth.remember(token, agent);
        trackRecord.enrolled(r.name(), cpuMillis, r.owner());
        after.fact(new Fact.MachineSeen(r.name(), cpuMillis, r.memoryBytes(), now, true));
        after.run(loop, metrics);
        return new EnrollReply(r.name(), token, heartbeat.toMillis(), lease.toMillis());
    }
}
