package org.cyphon.coordinator.schedule;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.cyphon.coordinator.lifecycle.JobLog;
import org.cyphon.coordinator.metrics.CoordinatorMetrics;
import org.cyphon.coordinator.store.AttemptRow;
import org.cyphon.coordinator.store.AttemptTable;
import org.cyphon.coordinator.store.Database;
import org.cyphon.coordinator.store.JobStatus;
import org.cyphon.coordinator.store.JobTable;
import org.cyphon.coordinator.store.MachineRow;
import org.cyphon.coordinator.store.MachineTable;
import org.cyphon.core.machine.Offer;
import org.cyphon.core.protocol.WorkAssignment;
import org.cyphon.core.schedule.Assignment;
import org.cyphon.core.schedule.PendingJob;
import org.cyphon.core.schedule.PlaceByPriorityOnEmptiestMachine;
import org.cyphon.core.schedule.Placement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler: runs core's {@link PlaceByPriorityOnEmptiestMachine} over the queued jobs and the
 * offers of online, undrained machines, and writes the assignments ({@link AssignQueuedJobs}).
 *
 * <p>One thread does every pass, so two passes never race for the same machine. Passes are
 * requested on submit, release, heartbeat, enroll and attempt end, and every second; requests that
 * arrive while a pass is pending collapse into that pass, so a burst of a thousand submits costs a
 * few passes, each writing many attempts in one transaction.
 *
 * <p>The queue and the machines' load are kept in memory ({@link QueueIndex}, {@link MachineLoad})
 * and rebuilt from the store at start and every minute; committed changes reach them as
 * {@link Fact}s. The store stays the truth: each assignment is a compare-and-set on the job row.
 */
public final class SchedulingLoop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SchedulingLoop.class);
    static final int WINDOW = 4096;
    static final int SCAN_LIMIT = 200_000;
    private static final long PERIOD_MILLIS = 1000;
    private static final long REBUILD_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final Database db;
    private final Clock clock;
    private final long leaseMillis;
    private final WorkMailboxes mailboxes;
    private final CoordinatorMetrics metrics;
    private final AssignQueuedJobs assign;
    private final Placement placement = new PlaceByPriorityOnEmptiestMachine();
    private final QueueIndex queue = new QueueIndex();
    private final MachineLoad load = new MachineLoad();
    private final ConcurrentLinkedQueue<Fact> facts = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean passRequested = new AtomicBoolean();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cyphon-scheduler");
        t.setDaemon(true);
        return t;
    });
    private volatile int queueLength;
    private long lastRebuild;

    public SchedulingLoop(Database db, Clock clock, Duration lease, WorkMailboxes mailboxes, CoordinatorMetrics metrics) {
        this.db = db;
        this.clock = clock;
        this.leaseMillis = lease.toMillis();
        this.mailboxes = mailboxes;
        this.metrics = metrics;
        this.assign = new AssignQueuedJobs(db);
        metrics.queueLength(() -> queueLength);
    }

    /** Loads the queue and machines from the store (before returning) and starts the periodic pass. */
    public void start() throws Exception {
        thread.submit(this::rebuild).get();
        thread.scheduleWithFixedDelay(this::periodicPass, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        requestPass();
    }

    /** Learns committed changes and asks for a pass. */
    public void tell(Collection<? extends Fact> changes) {
        if (changes.isEmpty()) return;
        facts.addAll(changes);
        requestPass();
    }

    public void tell(Fact change) {
        facts.add(change);
        requestPass();
    }

    /** Asks for a pass soon; any number of requests before it starts make one pass. */
    public void requestPass() {
        if (passRequested.compareAndSet(false, true)) {
            try {
                thread.execute(this::pass);
            } catch (RejectedExecutionException closed) {
                passRequested.set(false);
            }
        }
    }

    /** Jobs queued, as of the last pass. */
    public int queueLength() {
        return queueLength;
    }

    @Override
    public void close() {
        thread.shutdown(); // not shutdownNow: an interrupt during H2's file I/O closes the database's file
        try {
            thread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void periodicPass() {
        if (System.nanoTime() - lastRebuild > REBUILD_NANOS) rebuild();
        pass();
    }

    private void rebuild() {
        try {
            record Snapshot(List<JobStatus> queued, List<MachineRow> machines, List<AttemptRow> live) {}
            Snapshot s = db.transactions().read(c -> new Snapshot(JobTable.queued(c), MachineTable.all(c), AttemptTable.live(c)));
            queue.replaceAll(s.queued().stream().map(JobStatus::pending).toList());
            load.replaceAll(s.machines(), s.live());
            queueLength = queue.size();
            lastRebuild = System.nanoTime();
        } catch (RuntimeException e) {
            log.warn("could not reload the queue from the store; will retry: {}", e.toString());
        }
    }

    private void pass() {
        passRequested.set(false);
        try {
            applyFacts();
            long now = clock.millis();
            List<Offer> offers = load.offers(now, leaseMillis);
            if (offers.isEmpty() || queue.size() == 0) return;
            List<PendingJob> window = queue.window(offers, WINDOW, SCAN_LIMIT);
            if (window.isEmpty()) return;
            List<Assignment> plan = placement.place(window, offers);
            if (plan.isEmpty()) return;
            AssignQueuedJobs.Result r = assign.write(plan, now, leaseMillis);
            for (long id : r.notQueued()) queue.remove(id);
            Map<String, List<WorkAssignment>> byMachine = new HashMap<>();
            for (AssignQueuedJobs.Started s : r.started()) {
                AttemptRow a = s.attempt();
                queue.remove(a.jobId());
                load.started(a.fencingToken(), a.machine(), a.cpuMillis(), a.memoryBytes());
                byMachine.computeIfAbsent(a.machine(), m -> new ArrayList<>()).add(s.work());
                metrics.assigned(Duration.ofMillis(now - s.queuedAt()));
            }
            JobLog.committed(r.events());
            byMachine.forEach(mailboxes::deliver);
            // A full window may have left placeable jobs behind it; look again at once.
            if (window.size() >= WINDOW && !r.started().isEmpty()) requestPass();
        } catch (RuntimeException e) {
            log.warn("scheduling pass failed; the next pass retries: {}", e.toString(), e);
        } finally {
            queueLength = queue.size();
        }
    }

    private void applyFacts() {
        for (Fact f; (f = facts.poll()) != null; ) {
            switch (f) {
                case Fact.JobQueued q -> queue.add(q.job());
                case Fact.JobLeftQueue l -> queue.remove(l.jobId());
                case Fact.AttemptEnded e -> load.ended(e.fencingToken());
                case Fact.MachineSeen m -> load.seen(m.name(), m.cpuMillis(), m.memoryBytes(), m.at(), m.accepting());
                case Fact.MachineDrained d -> load.drained(d.name(), d.drained());
            }
        }
    }
}
