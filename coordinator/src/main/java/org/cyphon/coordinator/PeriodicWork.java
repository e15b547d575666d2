package org.cyphon.coordinator;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import org.cyphon.coordinator.checkpoints.DeleteFinishedCheckpoints;
import org.cyphon.coordinator.leases.ExpireLeases;
import org.cyphon.coordinator.schedule.SchedulingLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The work a coordinator does because time passed rather than because someone asked: lose the
 * attempts whose lease ran out, the scheduler's periodic pass, delete finished jobs' checkpoints,
 * delete stored files no job needs any more.
 * Each is one step at the coordinator clock's "now", apart from who calls it when.
 *
 * <p>A coordinator from {@link Coordinator#start} calls them from threads of its own
 * ({@link PeriodicThread}); one from {@link Coordinator#startStepped} never does, and a test moves
 * its clock and calls them, so a lease runs out because the test said so, never because the
 * machine was slow. Work that answers a request (a pass on submit, report, heartbeat) happens as
 * it always does, in both.
 *
 * <p>Among several coordinators on one store only the leader ({@link org.cyphon.coordinator.ha.LeaderLease})
 * does these steps; the others' steps return at once. Every coordinator renews or bids for the
 * lead on a thread of its own ({@link #tickLeaderLease}).
 *
 * <p>Every step may run at any time, even beside the coordinator's own threads: each is a
 * transaction (or a pass on the scheduler's one thread) that finds its work afresh.
 */
public final class PeriodicWork implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PeriodicWork.class);
    /** How often the scheduler passes when nothing asks it to (a machine came back, a vacate took too long). */
    static final Duration SCHEDULE_EVERY = Duration.ofSeconds(1);
    /** How soon a finished job's checkpoint is deleted from disk. */
    static final Duration CHECKPOINT_SWEEP_EVERY = Duration.ofSeconds(2);

    private final ExpireLeases leases;
    private final Duration leaseCheckEvery;
    private final SchedulingLoop loop;
    private final DeleteFinishedCheckpoints checkpoints;
    private final org.cyphon.coordinator.files.CollectUnusedBlobs files;
    private final org.cyphon.coordinator.ha.LeaderLease leaderLease;
    private final org.cyphon.coordinator.schedule.DeliverStoredWork storedWork;
    private final org.cyphon.coordinator.jobs.ArchiveOldJobs archive;
    private final Deque<PeriodicThread> threads = new ArrayDeque<>();

    /** How often finished jobs past {@code jobs.history_retention} are looked for. */
    static final Duration ARCHIVE_EVERY = Duration.ofMinutes(5);

    /** How often stored files no job needs are looked for (they go once files.unused_grace has passed). */
    static final Duration FILE_COLLECTION_EVERY = Duration.ofMinutes(10);

    PeriodicWork(
            ExpireLeases leases,
            Duration lease,
            SchedulingLoop loop,
            DeleteFinishedCheckpoints checkpoints,
            org.cyphon.coordinator.files.CollectUnusedBlobs files,
            org.cyphon.coordinator.ha.LeaderLease leaderLease,
            org.cyphon.coordinator.schedule.DeliverStoredWork storedWork,
            org.cyphon.coordinator.jobs.ArchiveOldJobs archive) {
        this.leaderLease = leaderLease;
        this.storedWork = storedWork;
        this.archive = archive;
        this.leases = leases;
        this.leaseCheckEvery = leaseCheckEvery(lease);
        this.loop = loop;
        this.checkpoints = checkpoints;
        this.files = files;
    }

    /**
     * A tenth of a lease, between 50 ms and 1 s: a silent agent's attempts are back in the queue
     * about one lease after its last heartbeat.
     */
    static Duration leaseCheckEvery(Duration lease) {
        return Duration.ofMillis(Math.max(50, Math.min(1000, lease.toMillis() / 10)));
    }

    /**
     * Loses every attempt whose lease has run out by the clock's now: its job is queued again, or
     * fails when out of attempts. Committed when this returns.
     *
     * @return how many attempts were lost
     */
    public int expireLeases() {
        int lost = leases.run();
        if (lost > 0) log.info("{} attempt(s) lost: lease expired", lost);
        return lost;
    }

    /**
     * One periodic scheduling pass at the clock's now (reloading the queue from the store when a
     * minute has passed since the last reload), after any pass already asked for; returns when it
     * is done, its assignments committed and delivered.
     */
    public void schedule() {
        loop.step();
    }

    /**
     * Deletes the stored checkpoints of jobs that can never run again, rows and files.
     *
     * @return how many jobs' checkpoints were deleted
     */
    public int deleteFinishedCheckpoints() {
        if (leaderLease.epoch() == 0) return 0;
        int n = checkpoints.run();
        if (n > 0) log.debug("deleted the checkpoints of {} finished job(s)", n);
        return n;
    }

    /**
     * Deletes the stored files no job needs any more (unused for {@code files.unused_grace}), and
     * the outputs of jobs ended over {@code files.keep_outputs} ago when that is set.
     *
     * @return how many stored files were deleted
     */
    public int collectUnusedFiles() {
        if (leaderLease.epoch() == 0) return 0;
        return files.run();
    }

    /** Renews this coordinator's lead, or takes it when the leader's lease has run out. */
    public void tickLeaderLease() {
        leaderLease.tick();
    }

    /**
     * Hands the agents polling here the work the leader assigned them (another coordinator, when
     * there are several on the store).
     *
     * @return how many assignments were handed out
     */
    public int deliverStoredWork() {
        return storedWork.run();
    }

    /**
     * Moves the jobs that finished longer ago than {@code jobs.history_retention} to the archive.
     *
     * @return how many jobs moved
     */
    public int archiveOldJobs() {
        int n = archive.run();
        if (n > 0) log.info("moved {} job(s) finished longer ago than jobs.history_retention to the archive", n);
        return n;
    }

    /** Each step once, leases first: the pass then sees the jobs they queued again. */
    public void runAll() {
        expireLeases();
        schedule();
        deleteFinishedCheckpoints();
        collectUnusedFiles();
        archiveOldJobs();
    }

    /** Starts the coordinator's own threads, one per step. */
    void startThreads() {
        threads.push(PeriodicThread.start("cyphon-lease-keeper", leaseCheckEvery, this::expireLeases));
        threads.push(PeriodicThread.start("cyphon-leader-lease", leaderLease.tickEvery(), this::tickLeaderLease));
        // With a short lease (tests, a failover benchmark) the periodic pass keeps up with the lease keeper.
        Duration scheduleEvery = leaseCheckEvery.compareTo(SCHEDULE_EVERY) < 0 ? leaseCheckEvery : SCHEDULE_EVERY;
        threads.push(PeriodicThread.start("cyphon-scheduler-timer", scheduleEvery, this::schedule));
        threads.push(PeriodicThread.start("cyphon-stored-work", leaderLease.tickEvery(), this::deliverStoredWork));
        threads.push(PeriodicThread.start(
                "cyphon-checkpoint-sweeper", CHECKPOINT_SWEEP_EVERY, this::deleteFinishedCheckpoints));
        threads.push(PeriodicThread.start("cyphon-file-collector", FILE_COLLECTION_EVERY, this::collectUnusedFiles));
        threads.push(PeriodicThread.start("cyphon-job-archiver", ARCHIVE_EVERY, this::archiveOldJobs));
    }

    /** Stops the threads, if started, each after the step it is running. */
    @Override
    public void close() {
        while (!threads.isEmpty()) threads.pop().close();
    }
}
