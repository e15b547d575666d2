package org.cyphon.coordinator.agents;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.cyphon.coordinator.api.ApiError;
import org.cyphon.coordinator.jobs.AfterCommit;
import org.cyphon.coordinator.lifecycle.NextJobStatus;
import org.cyphon.coordinator.lifecycle.Step;
import org.cyphon.coordinator.metrics.CoordinatorMetrics;
import org.cyphon.coordinator.schedule.Fact;
import org.cyphon.coordinator.schedule.SchedulingLoop;
import org.cyphon.coordinator.schedule.WorkMailboxes;
import org.cyphon.coordinator.store.AttemptRow;
import org.cyphon.coordinator.store.AttemptTable;
import org.cyphon.coordinator.store.ConcurrentChangeException;
import org.cyphon.coordinator.store.Database;
import org.cyphon.coordinator.store.EventRow;
import org.cyphon.coordinator.store.EventTable;
import org.cyphon.coordinator.store.JobStatus;
import org.cyphon.coordinator.store.JobTable;
import org.cyphon.coordinator.store.MachineRow;
import org.cyphon.coordinator.store.MachineTable;
import org.cyphon.coordinator.store.StoredJson;
import org.cyphon.core.job.AttemptRunState;
import org.cyphon.core.job.JobState;
import org.cyphon.core.protocol.AttemptRef;
import org.cyphon.core.protocol.AttemptStatus;
import org.cyphon.core.protocol.Heartbeat;
import org.cyphon.core.protocol.HeartbeatReply;

/**
 * {@code POST /agents/{m}/heartbeat}: the machine is alive, with these resources, holding these
 * attempts. A beat that says nothing new is answered from a read ({@link QuietBeat}). Any other
 * in one transaction, before the reply: records the beat; renews the lease of each listed attempt
 * that is still its job's current, live attempt on this machine (core's {@code Lease}); applies
 * SUSPEND or RESUME when the agent froze or thawed one. Either way the reply lists in {@code stop}
 * every listed attempt the agent must kill (cancelled, held, stale, unknown, or its lease already
 * ran out).
 */
public final class ProcessHeartbeat {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ProcessHeartbeat.class);

    static final int MAX_ATTEMPTS_LISTED = 10_000;

    private final Database db;
    private final Clock clock;
    private final Duration lease;
    private final SchedulingLoop loop;
    private final CoordinatorMetrics metrics;
    private final WorkMailboxes mailboxes;
    private final org.cyphon.coordinator.machines.DeskReports desks;

    /** When the pool's overload mode ends (null: off); every reply carries it to the desks. */
    private final java.util.function.Supplier<Instant> overloadUntil;

    /** Learns the owner's presence from each beat; says in the reply when the owner is expected back. */
    private final org.cyphon.coordinator.profile.TrackRecord trackRecord;

    /** Desks asleep: a beat from one means it woke. */
    private final org.cyphon.coordinator.power.SleepingDesks sleeping;

    public ProcessHeartbeat(
            Database db,
            Clock clock,
            Duration lease,
            SchedulingLoop loop,
            CoordinatorMetrics metrics,
            WorkMailboxes mailboxes,
            org.cyphon.coordinator.machines.DeskReports desks,
            java.util.function.Supplier<Instant> overloadUntil,
            org.cyphon.coordinator.profile.TrackRecord trackRecord,
            org.cyphon.coordinator.power.SleepingDesks sleeping) {
        this.sleeping = sleeping;
        this.trackRecord = trackRecord;
        this.overloadUntil = overloadUntil;
        this.mailboxes = mailboxes;
        this.desks = desks;
        this.db = db;
        this.clock = clock;
        this.lease = lease;
        this.loop = loop;
        this.metrics = metrics;
    }

    /**
     * The reply once the beat is committed; a request thread waits for nothing (see {@code
     * Transactions#writeLater}).
     *
     * @throws ApiError 400 naming a bad field (at once); the future fails with 404 if the machine
     *     is not enrolled
     * @param started when the request came ({@link System#nanoTime}), so the latency metric counts
     *     its wait for a place to be worked on too
     */
    public CompletableFuture<HeartbeatReply> beat(String machine, Heartbeat hb, long started) {
        List<AttemptStatus> listed = validate(hb);
        int cpuMillis = (int) Math.round(hb.cpus() * 1000);
        Instant nowInstant = clock.instant();
        long now = nowInstant.toEpochMilli();
        long newExpiry = now + lease.toMillis();
        List<Long> unfetched = mailboxes.pendingTokens(machine);
        // The agent's labels ({} when it has none; null from older agents: keep what is stored), with
        // the shared paths mounted there now as labels of their own (core SharedPaths), so jobs that
        // need one are placed only where it is.
        Map<String, String> fromAgent = hb.labels();
        if (fromAgent != null && hb.sharedPaths() != null && !hb.sharedPaths().isEmpty()) {
            Map<String, String> merged = new java.util.TreeMap<>(fromAgent);
            merged.putAll(org.cyphon.core.machine.SharedPaths.labels(hb.sharedPaths()));
            fromAgent = merged;
        }
        String agentLabels = fromAgent == null ? null : fromAgent.isEmpty() ? "{}" : StoredJson.labels(fromAgent);
        // Its GPUs (null from older agents: keep what is stored).
        String gpus = StoredJson.gpus(hb.gpus());
        // Only a desk known asleep costs the beat a second write.
        boolean mayBeAsleep = sleeping.asleep(machine);
        if (!mayBeAsleep) {
            QuietBeat.Said said = new QuietBeat.Said(cpuMillis, fromAgent, gpus, StoredJson.walls(hb.walls()));
            QuietBeat.Answer quiet = db.transactions()
                    .read(c -> QuietBeat.check(c, machine, hb, said, listed, unfetched, nowInstant, lease.toMillis()));
            if (quiet != null) {
                if (quiet.writeLater()) remember(machine, quiet, now);
                MachineRow m = quiet.machine();
                Beat beat = new Beat(
                        quiet.stop(),
                        m.closed(),
                        new AfterCommit(),
                        m.labels(),
                        null,
                        false,
                        m.gpus().size());
                HeartbeatReply reply = reply(machine, hb, beat, cpuMillis, nowInstant, quiet.leaseExpiresAt());
                metrics.heartbeat(System.nanoTime() - started, false);
                return CompletableFuture.completedFuture(reply);
            }
        }
        return db.transactions()
                .writePromptlyLater(c -> {
                    if (!MachineTable.heartbeat(
                            c,
                            machine,
                            cpuMillis,
                            hb.memoryBytes(),
                            hb.sandbox(),
                            hb.sandboxNote(),
                            hb.criu(),
                            agentLabels,
                            hb.gpus() != null,
                            gpus,
                            now)) {
                        throw ApiError.notFound("machine '" + machine + "' is not enrolled");
                    }
                    MachineTable.jobRoom(c, machine, hb.maxJobs(), hb.diskFreeBytes(), StoredJson.walls(hb.walls()));
                    MachineRow m = MachineTable.byName(c, machine);
                    Map<Long, AttemptRow> attempts = AttemptTable.byTokens(
                            c, listed.stream().map(AttemptStatus::fencingToken).toList());
                    Map<Long, JobStatus> jobs = JobTable.statuses(
                            c,
                            attempts.values().stream()
                                    .map(AttemptRow::jobId)
                                    .distinct()
                                    .toList());
                    List<AttemptRef> stop = new ArrayList<>();
                    List<AttemptTable.Renewal> renewals = new ArrayList<>();
                    Map<Long, JobStatus> changed = new LinkedHashMap<>();
                    List<EventRow> events = new ArrayList<>();
                    AfterCommit after = new AfterCommit();
                    for (AttemptStatus s : listed) {
                        AttemptRow a = attempts.get(s.fencingToken());
                        JobStatus j = a == null ? null : changed.getOrDefault(a.jobId(), jobs.get(a.jobId()));
                        String why = QuietBeat.stopReason(s, a, j, machine, nowInstant);
                        if (why != null) {
                            stop.add(new AttemptRef(s.jobId(), s.attempt(), s.fencingToken(), why));
                            continue;
                        }
                        renewals.add(new AttemptTable.Renewal(
                                a.fencingToken(), a.leaseExpiresAt(), newExpiry, s.cpuSecondsSinceCheckpoint()));
                        Step step = null;
                        if (s.state() == AttemptRunState.SUSPENDED && j.state() == JobState.RUNNING)
                            step = NextJobStatus.suspend(j, a, now);
                        else if (s.state() == AttemptRunState.RUNNING && j.state() == JobState.SUSPENDED)
                            step = NextJobStatus.resume(j, a, now);
                        if (step != null) {
                            changed.put(j.id(), step.status());
                            events.addAll(step.events());
                            after.step(step);
                        }
                    }
                    // A redelivered assignment (after a restart) may be both listed and pending: renew it once.
                    java.util.Set<Long> renewing = new java.util.HashSet<>();
                    renewals.forEach(r -> renewing.add(r.fencingToken()));
                    for (AttemptRow a : AttemptTable.byTokens(c, unfetched).values()) {
                        if (a.machine().equals(machine)
                                && a.live()
                                && !a.lease().expiredAt(nowInstant)
                                && renewing.add(a.fencingToken())) {
                            renewals.add(
                                    new AttemptTable.Renewal(a.fencingToken(), a.leaseExpiresAt(), newExpiry, null));
                        }
                    }
                    int[] renewed = AttemptTable.renew(c, renewals);
                    for (int r : renewed) {
                        if (r != 1) throw new ConcurrentChangeException("an attempt's lease changed meanwhile");
                    }
                    JobTable.updateAll(c, changed.values());
                    EventTable.insert(c, events);
                    // Jobs the agent measured slow to yield to the owner (the Harvest page's owner-visible events).
                    if (hb.desk() != null && !hb.desk().ownerVisible().isEmpty())
                        org.cyphon.coordinator.harvest.OwnerVisibleTable.record(
                                c, machine, hb.desk().ownerVisible(), now);
                    // An admin asked for a new credential: hand one out now; the old one works until the agent
                    // uses the new one (a reply lost on the way gets a fresh one at the next beat).
                    String newToken = m.rotateCredential() ? RotateCredential.handOut(c, machine, now) : null;
                    boolean woke = mayBeAsleep && MachineTable.awake(c, machine);
                    return new Beat(
                            stop,
                            m.closed(),
                            after,
                            m.labels(),
                            newToken,
                            woke,
                            m.gpus().size());
                })
                .thenApply(beat -> {
                    HeartbeatReply reply = reply(machine, hb, beat, cpuMillis, nowInstant, newExpiry);
                    metrics.heartbeat(System.nanoTime() - started, true);
                    return reply;
                });
    }

    /** Writes what a quiet beat said that is worth keeping, without waiting (see {@link QuietBeat}). */
    private void remember(String machine, QuietBeat.Answer quiet, long now) {
        db.transactions()
                .writeLater(c -> {
                    AttemptTable.acknowledge(c, quiet.acknowledge());
                    if (quiet.seen()) MachineTable.seen(c, machine, now);
                    return null;
                })
                .exceptionally(e -> {
                    log.debug("machine {}: a quiet beat's acknowledgement not written: {}", machine, e.toString());
                    return null;
                });
    }

    /** What the beat's transaction found, for the reply. */
    private record Beat(
            List<AttemptRef> stop,
            boolean drained,
            AfterCommit after,
            Map<String, String> labels,
            String newToken,
            boolean woke,
            int gpus) {}

    /** After the commit: tells the scheduler and the track record what the beat said, and answers. */
    private HeartbeatReply reply(
            String machine, Heartbeat hb, Beat beat, int cpuMillis, Instant nowInstant, long newExpiry) {
        long now = nowInstant.toEpochMilli();
        if (beat.woke()) sleeping.heardFrom(machine, nowInstant);
        desks.record(machine, hb.desk());
        desks.recordVm(machine, hb.vm());
        // An agent whose desk policy forbids new work (owner present, outside its window) gets none;
        // older agents that send no desk view are taken as accepting.
        boolean accepting = hb.desk() == null || hb.desk().mayStart();
        boolean gpuAccepting = hb.desk() == null || hb.desk().gpuWorkMayStart();
        beat.after()
                .fact(new Fact.MachineSeen(
                        machine,
                        cpuMillis,
                        hb.memoryBytes(),
                        now,
                        accepting,
                        beat.labels(),
                        hb.maxJobs(),
                        hb.diskFreeBytes(),
                        org.cyphon.core.protocol.WallView.ownNetwork(hb.walls()),
                        beat.gpus(),
                        gpuAccepting));
        // Drained or waiting for approval, as the row says now (a machine first seen here starts open).
        beat.after().fact(new Fact.MachineDrained(machine, beat.drained()));
        beat.after().run(loop, metrics);
        org.cyphon.coordinator.profile.TrackRecord.Hints owner = trackRecord.beat(machine, hb.desk());
        return new HeartbeatReply(
                beat.stop(),
                Instant.ofEpochMilli(newExpiry),
                beat.drained(),
                overloadUntil.get(),
                owner.ownerExpectedBy(),
                owner.awayUntil(),
                loop.takeVacateRequests(machine),
                beat.newToken());
    }

    private static List<AttemptStatus> validate(Heartbeat hb) {
        if (hb == null) throw ApiError.badField("body", "a heartbeat object is required");
        Resources.checkBeat(hb.cpus(), hb.memoryBytes(), hb.sandbox(), hb.sandboxNote(), hb.criu());
        Resources.checkJobRoom(hb.maxJobs(), hb.diskFreeBytes(), hb.walls());
        String labelProblem = org.cyphon.core.machine.Labels.problem(hb.labels());
        if (labelProblem != null) throw ApiError.badField("labels", labelProblem);
        List<String> shared = hb.sharedPaths() == null ? List.of() : hb.sharedPaths();
        if (shared.size() > org.cyphon.core.machine.SharedPaths.MAX_PATHS)
            throw ApiError.badField(
                    "sharedPaths",
                    "lists " + shared.size() + " paths; at most " + org.cyphon.core.machine.SharedPaths.MAX_PATHS);
        for (int i = 0; i < shared.size(); i++) {
            String problem = org.cyphon.core.machine.SharedPaths.problem(shared.get(i));
            if (problem != null) throw ApiError.badField("sharedPaths[" + i + "]", problem);
        }
        HeartbeatGpus.check(hb.gpus());
        if (hb.desk() != null) {
            String slow = org.cyphon.coordinator.harvest.OwnerVisibleTable.problem(
                    hb.desk().ownerVisible());
            if (slow != null) throw ApiError.badField("desk.ownerVisible", slow);
        }
        List<AttemptStatus> listed = hb.attempts() == null ? List.of() : hb.attempts();
        if (listed.size() > MAX_ATTEMPTS_LISTED)
            throw ApiError.badField("attempts", "lists " + listed.size() + " attempts; at most " + MAX_ATTEMPTS_LISTED);
        for (int i = 0; i < listed.size(); i++) {
            AttemptStatus s = listed.get(i);
            if (s == null) throw ApiError.badField("attempts[" + i + "]", "is null");
            // An unknown value never gets here: reading the body refuses it, naming the field.
            if (s.state() == null)
                throw ApiError.badField("attempts[" + i + "].state", "is required (running or suspended)");
            Double lost = s.cpuSecondsSinceCheckpoint();
            if (lost != null && (!Double.isFinite(lost) || lost < 0)) {
                throw ApiError.badField("attempts[" + i + "].cpuSecondsSinceCheckpoint", "must be a number >= 0");
            }
        }
        return listed;
    }
}
