package org.cyphon.agent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.cyphon.agent.client.CoordinatorLink;
import org.cyphon.agent.client.CoordinatorRefusedException;
import org.cyphon.agent.client.CoordinatorUnreachableException;
import org.cyphon.agent.config.AgentConfig;
import org.cyphon.agent.gpu.DeskGpus;
import org.cyphon.agent.sandbox.RunningJob;
import org.cyphon.agent.sandbox.Sandbox;
import org.cyphon.core.desk.OwnerOutlook;
import org.cyphon.core.protocol.AttemptRef;
import org.cyphon.core.protocol.AttemptReport;
import org.cyphon.core.protocol.AttemptStatus;
import org.cyphon.core.protocol.BeatCadence;
import org.cyphon.core.protocol.DeskView;
import org.cyphon.core.protocol.Heartbeat;
import org.cyphon.core.protocol.HeartbeatReply;
import org.cyphon.core.protocol.ReportBatch;
import org.cyphon.core.protocol.ReportReply;
import org.cyphon.core.protocol.ReportResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The beat loop: sends ended attempts' reports as soon as they are ready, and a heartbeat every
 * interval (at once when something the coordinator should know changes), and does what each reply
 * says: kill the attempts it stopped, send away those it preempts, follow the pool's overload mode
 * and the owner outlook, and beat at the pace of the lease.
 *
 * <p>How long it waits between beats is {@link BeatCadence}'s: the coordinator's interval while
 * the beats have news, a third of the lease while a beat would only repeat the last one (two beats
 * may be lost before the coordinator counts the desk offline, and a quiet desk costs less CPU,
 * bench/run agent-idle and owner).
 */
final class Heartbeats {
    private static final Logger log = LoggerFactory.getLogger(Heartbeats.class);

    private final AgentConfig config;
    private final CoordinatorLink link;
    private final Sandbox sandbox;
    private final String criu;
    private final Map<String, String> labels;
    private final HeldAttempts attempts;
    private final DeskReport desk;
    /** The desk VM, or null on a desk without one. */
    private final OwnersVm vm;
    /** Its job slots, free disk and walls. */
    private final JobRoom room;

    private final PoolNews news;
    private final OwnerFirst ownerFirst;
    private final Enrollment enrollment;
    private final Retry retry;
    private final Shutdown shutdown;
    private final Executor background;
    private final Clock clock;
    /** The shared paths mounted here now (null: none declared). */
    private final java.util.function.Supplier<List<String>> sharedPaths;

    private final Semaphore beatNow = new Semaphore(0);
    /** Guarded by itself: the beat loop's, and a test's direct {@link #beat()}. */
    private final BeatCadence cadence = new BeatCadence(Duration.ofSeconds(2).toMillis());
    /** The wait the last beat decided. */
    private volatile Duration every = Duration.ofSeconds(2);
    /**
     * True while the desk sleeps (or is about to): no beat then, or the coordinator would take the
     * desk as awake again; {@link #soon()} once it has resumed.
     */
    private volatile java.util.function.BooleanSupplier asleep = () -> false;
    /** The sandbox's note with what walls the desk's GPUs ({@code GpuWallNote}). */
    private final String sandboxNote;

    private final DeskGpus gpus;

    Heartbeats(
            AgentConfig config,
            CoordinatorLink link,
            Sandbox sandbox,
            String criu,
            Map<String, String> labels,
            HeldAttempts attempts,
            DeskReport desk,
            OwnersVm vm,
            PoolNews news,
            OwnerFirst ownerFirst,
            Enrollment enrollment,
            Retry retry,
            Shutdown shutdown,
            Executor background,
            Clock clock,
            java.util.function.Supplier<List<String>> sharedPaths,
            JobRoom room,
            String sandboxNote,
            DeskGpus gpus) {
        this.sharedPaths = sharedPaths;
        this.room = room;
        this.sandboxNote = sandboxNote;
        this.gpus = gpus;
        this.config = config;
        this.link = link;
        this.sandbox = sandbox;
        this.criu = criu;
        this.labels = labels;
        this.attempts = attempts;
        this.desk = desk;
        this.vm = vm;
        this.news = news;
        this.ownerFirst = ownerFirst;
        this.enrollment = enrollment;
        this.retry = retry;
        this.shutdown = shutdown;
        this.background = background;
        this.clock = clock;
    }

    /** Set after a sleep (or an attempt at one): the next turn of the loop beats, due or not. */
    private volatile boolean beatAfterSleep;

    /** Holds every beat while {@code sleeping} says the desk sleeps. */
    void holdWhile(java.util.function.BooleanSupplier sleeping) {
        this.asleep = sleeping;
    }

    /** The desk is awake again (or never went down): beat at once, so the coordinator knows it. */
    void awake() {
        beatAfterSleep = true;
        beatNow.release();
    }

    /** Beat as soon as possible: a report is ready, or something the coordinator should know changed. */
    void soon() {
        beatNow.release();
    }

    /** The wait until the next beat that the last beat decided (BeatCadence). */
    Duration every() {
        return every;
    }

    void run() {
        Retry.Backoff backoff = retry.backoff();
        long nextBeat = 0;
        while (!shutdown.stopped()) {
            try {
                try {
                    if (asleep.getAsBoolean()) {
                        // Asleep: nothing to tell until the desk says it is awake().
                        beatNow.tryAcquire(1, TimeUnit.MINUTES);
                        continue;
                    }
                    sendReports();
                    if (beatAfterSleep || clock.millis() >= nextBeat) {
                        beatAfterSleep = false;
                        beat();
                        nextBeat = clock.millis() + every.toMillis();
                    }
                    backoff.succeeded();
                    beatNow.tryAcquire(Math.max(1, nextBeat - clock.millis()), TimeUnit.MILLISECONDS);
                    beatNow.drainPermits();
                } catch (CoordinatorUnreachableException e) {
                    beatFailed();
                    backoff.failed("heartbeat", e);
                } catch (CoordinatorRefusedException e) {
                    beatFailed();
                    enrollment.refused("heartbeat", e, backoff);
                } catch (RuntimeException e) {
                    beatFailed();
                    log.error("agent {}: beat loop error", link.machine(), e);
                    backoff.failed("heartbeat", e);
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Sends the reports of every ended attempt; the coordinator decides on each, so all are forgotten. */
    void sendReports() throws CoordinatorUnreachableException, CoordinatorRefusedException {
        List<LocalAttempt> done = attempts.ended();
        if (done.isEmpty()) return;
        List<AttemptReport> batch = done.stream().map(LocalAttempt::report).toList();
        ReportReply reply = link.report(new ReportBatch(batch));
        for (ReportResult r : reply.results()) {
            if (!r.accepted()) log.info("job {} attempt {}: report not taken ({})", r.jobId(), r.attempt(), r.reason());
        }
        // Taken or refused as stale/already reported: either way the coordinator has decided.
        for (LocalAttempt a : done) attempts.forget(a);
    }

    /** One heartbeat, what its reply asks for, and when the next one is due ({@link #every()}). */
    void beat() throws CoordinatorUnreachableException, CoordinatorRefusedException {
        DeskView deskNow = desk.now();
        List<AttemptStatus> held = attempts.statuses();
        HeartbeatReply reply = link.heartbeat(new Heartbeat(
                config.cpuMillis() / 1000.0,
                // The machine's memory less what the desk VM holds in its state now: placement follows the VM.
                vm == null ? config.memoryBytes() : vm.memoryOffer(config.memoryBytes()),
                sandbox.kind(),
                sandboxNote,
                held,
                criu,
                deskNow,
                vm == null ? null : vm.view(),
                labels,
                sharedPaths.get(),
                room.maxJobs(),
                room.diskFreeBytes(),
                room.walls(),
                gpus.views()));
        desk.reported(deskNow);
        long leaseLeft = reply.leaseExpiresAt() == null
                ? -1
                : Math.max(
                        0,
                        Duration.between(clock.instant(), reply.leaseExpiresAt())
                                .toMillis());
        synchronized (cadence) {
            cadence.enrolled(enrollment.heartbeatEvery().toMillis());
            every = Duration.ofMillis(cadence.afterBeat(
                    held, leaseLeft, !reply.stop().isEmpty() || !reply.vacate().isEmpty()));
        }
        if (reply.agentToken() != null) {
            try {
                enrollment.adopt(reply.agentToken());
            } catch (java.io.IOException e) {
                // Not kept: go on with the old credential; the coordinator hands out another at the next beat.
                log.warn("agent {}: cannot keep the rotated credential: {}", link.machine(), e.getMessage());
            }
        }
        follow(reply);
        desk.writeOwnerStatus(link.machine(), deskNow);
    }

    /** The beat was not answered: the next one repeats it, so it says everything again at the usual pace. */
    private void beatFailed() {
        synchronized (cadence) {
            cadence.failed();
        }
    }

    private void follow(HeartbeatReply reply) {
        boolean outlookMoved = news.outlook(new OwnerOutlook(reply.ownerExpectedBy(), reply.awayUntil()));
        Instant overload = reply.overloadUntil();
        boolean overloadMoved = news.overloadUntil(overload);
        if (overloadMoved)
            log.info("agent {}: overload mode {}", link.machine(), overload == null ? "off" : "on until " + overload);
        // A new forecast, a declared absence or the overload mode: the desk VM's schedule may change.
        if ((outlookMoved || overloadMoved) && vm != null) vm.reconsider();
        for (AttemptRef v : reply.vacate()) {
            LocalAttempt a = attempts.get(v.fencingToken());
            if (a == null) continue;
            // Placement wants the desk for higher-priority work: leave exactly as the desk's policy would
            // make it leave (checkpoint, then vacate), so the job is requeued from its checkpoint.
            ownerFirst.vacate(a, v.reason() != null ? v.reason() : "preempted by the coordinator");
        }
        for (AttemptRef stop : reply.stop()) {
            LocalAttempt a = attempts.get(stop.fencingToken());
            if (a == null) continue;
            String why = stop.reason() != null ? stop.reason() : "stopped by the coordinator";
            RunningJob job;
            synchronized (a) {
                if (a.stoppingOrEnded()) continue;
                job = a.stop(why); // null while still starting: the launcher kills it once started
            }
            log.info("job {} attempt {} on {}: stopping ({})", stop.jobId(), stop.attempt(), link.machine(), why);
            if (job != null) background.execute(job::kill); // kill() waits for the tree to die; keep beating
        }
    }
}
