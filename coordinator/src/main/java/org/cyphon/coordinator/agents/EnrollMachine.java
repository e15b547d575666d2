package org.cyphon.coordinator.agents;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;
import org.cyphon.coordinator.api.ApiError;
import org.cyphon.coordinator.auth.Authenticate;
import org.cyphon.coordinator.auth.Principal;
import org.cyphon.coordinator.auth.Role;
import org.cyphon.coordinator.auth.Tokens;
import org.cyphon.coordinator.jobs.AfterCommit;
import org.cyphon.coordinator.metrics.CoordinatorMetrics;
import org.cyphon.coordinator.schedule.Fact;
import org.cyphon.coordinator.schedule.SchedulingLoop;
import org.cyphon.coordinator.store.Database;
import org.cyphon.coordinator.store.JoinSecretTable;
import org.cyphon.coordinator.store.MachineRow;
import org.cyphon.coordinator.store.MachineTable;
import org.cyphon.coordinator.store.TokenTable;
import org.cyphon.core.protocol.EnrollReply;
import org.cyphon.core.protocol.EnrollRequest;
import org.cyphon.core.protocol.MeasuredResources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /agents/enroll}: a machine joins under a name no machine holds. Its identity is bound
 * at this first join: enrolling again under an enrolled name is refused (409) until an admin
 * forgets the machine ({@code cyphon machine NAME --forget}), so no one can take a desk over, its
 * attempts, its owner or the secrets of its next jobs.
 *
 * <p>It enrolls with a join secret (used up in this very transaction: a stolen one-time line
 * enrolls at most one machine), or with the pool's {@code enroll.token} from the coordinator's own
 * machine, or as an admin. With {@code join.approve} the new desk waits in {@code pending}, taking
 * no work, until an admin approves it. What the agent measured of its machine is kept, so
 * {@code cyphon machines} can flag what it advertises against it.
 */
public final class EnrollMachine {
    private static final Logger log = LoggerFactory.getLogger(EnrollMachine.class);
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    private final Database db;
    private final Clock clock;
    private final Duration heartbeat;
    private final Duration lease;
    /** Warns when the pool outgrows its lease. */
    private final LeaseSizing sizing;

    private final Authenticate auth;
    private final SchedulingLoop loop;
    private final CoordinatorMetrics metrics;
    private final boolean approve;

    private final org.cyphon.coordinator.profile.TrackRecord trackRecord;

    /** @param approve {@code join.approve}: new desks wait for an admin's approval */
    public EnrollMachine(
            Database db,
            Clock clock,
            Duration heartbeat,
            Duration lease,
            Authenticate auth,
            SchedulingLoop loop,
            CoordinatorMetrics metrics,
            org.cyphon.coordinator.profile.TrackRecord trackRecord,
            boolean approve) {
        this.trackRecord = trackRecord;
        this.db = db;
        this.clock = clock;
        this.heartbeat = heartbeat;
        this.lease = lease;
        this.sizing = new LeaseSizing(lease);
        this.auth = auth;
        this.loop = loop;
        this.metrics = metrics;
        this.approve = approve;
    }

    /** @throws ApiError 400 naming the bad field, 401 for a join secret no longer usable, 409 for a taken name */
    public EnrollReply enroll(EnrollRequest r, Authenticate.Enroller by) {
        if (r == null) throw ApiError.badField("body", "an enroll request object is required");
        if (r.name() == null || !NAME.matcher(r.name()).matches()) {
            throw ApiError.badField(
                    "name",
                    "must be letters, digits and ._- (at most 128, starting with a letter or digit), got "
                            + (r.name() == null
                                    ? null
                                    : r.name().length() > 40 ? r.name().substring(0, 40) + "..." : r.name()));
        }
        Resources.check(r.cpus(), r.memoryBytes(), r.sandbox(), r.sandboxNote(), r.criu());
        Resources.checkJobRoom(r.maxJobs(), null, null);
        if (r.version() != null && r.version().length() > 64)
            throw ApiError.badField("version", "is longer than 64 characters");
        org.cyphon.coordinator.profile.EnrolledDesk.check(r);
        String measured = measured(r.measured());
        String token = Tokens.newToken();
        Principal agent = new Principal(Role.AGENT, r.name());
        int cpuMillis = (int) Math.round(r.cpus() * 1000);
        long now = clock.millis();
        record Enrolled(String joinedWith, AfterCommit after, int desks) {}
        Enrolled done = db.transactions().write(c -> {
            MachineRow before = MachineTable.byName(c, r.name());
            if (before != null) {
                throw new ApiError(
                        409,
                        "machine '" + r.name() + "' is already enrolled (since "
                                + Instant.ofEpochMilli(before.enrolledAt()) + "): a desk's name is bound at its first"
                                + " join. If this is a new desk for that name, an admin must first run: cyphon machine "
                                + r.name() + " --forget",
                        "name");
            }
            String joinedWith = switch (by) {
                case Authenticate.Enroller.PoolToken p ->
                    p.principal().admin() ? "admin '" + p.principal().name() + "'" : "enroll.token";
                case Authenticate.Enroller.JoinSecret j -> useJoinSecret(c, j.hash(), r.name(), now);
            };
            MachineTable.insert(
                    c,
                    r.name(),
                    cpuMillis,
                    r.memoryBytes(),
                    r.sandbox(),
                    r.sandboxNote(),
                    r.version(),
                    r.criu(),
                    now,
                    approve,
                    measured,
                    joinedWith);
            MachineTable.jobRoom(c, r.name(), r.maxJobs(), null, null);
            org.cyphon.coordinator.profile.EnrolledDesk.store(c, r);
            // Nothing should be left of a forgotten machine's credentials; if anything is, it goes.
            TokenTable.delete(c, Role.AGENT.name(), r.name());
            TokenTable.insert(c, Tokens.hash(token), Role.AGENT.name(), r.name(), now);
            return new Enrolled(joinedWith, new AfterCommit(), MachineTable.count(c));
        });
        auth.forget(agent);
        auth.remember(token, agent);
        log.info(
                "machine {} enrolled with {}{}",
                r.name(),
                done.joinedWith(),
                approve ? " (pending: an admin approves it with cyphon machine " + r.name() + " --approve)" : "");
        trackRecord.enrolled(r.name(), cpuMillis, r.owner());
        sizing.enrolled(done.desks());
        AfterCommit after = done.after();
        after.fact(new Fact.MachineSeen(
                r.name(), cpuMillis, r.memoryBytes(), now, true, null, r.maxJobs(), null, null, 0, true));
        after.fact(new Fact.MachineDrained(r.name(), approve));
        after.run(loop, metrics);
        return new EnrollReply(r.name(), token, heartbeat.toMillis(), lease.toMillis());
    }

    /** Uses the join secret once, or refuses naming why; returns its name. */
    private static String useJoinSecret(java.sql.Connection c, String hash, String machine, long now)
            throws java.sql.SQLException {
        JoinSecretTable.Row s = JoinSecretTable.byHash(c, hash);
        if (s == null) throw new ApiError(401, "unknown token", null);
        if (!JoinSecretTable.use(c, hash, machine, now)) {
            String why = switch (s.state(now)) {
                case "revoked" -> "was revoked at " + Instant.ofEpochMilli(s.revokedAt());
                case "expired" -> "expired at " + Instant.ofEpochMilli(s.expiresAt());
                default -> "is used up (" + s.uses() + " use(s))";
            };
            throw new ApiError(401, "join secret " + s.name() + " " + why + ": ask an admin for a new join line", null);
        }
        return s.name();
    }

    private static String measured(MeasuredResources m) {
        if (m == null) return null;
        if (!Double.isFinite(m.cpus()) || m.cpus() < 0 || m.cpus() > 100_000)
            throw ApiError.badField("measured.cpus", "must be a number between 0 and 100000");
        if (m.memoryBytes() < 0) throw ApiError.badField("measured.memoryBytes", "must be >= 0");
        String labelProblem = org.cyphon.core.machine.Labels.problem(m.labels());
        if (labelProblem != null) throw ApiError.badField("measured.labels", labelProblem);
        try {
            return JSON.writeValueAsString(m);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
