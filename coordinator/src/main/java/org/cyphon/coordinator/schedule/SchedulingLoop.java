package org.cyphon.coordinator.schedule;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.cyphon.coordinator.lifecycle.JobLog;
import org.cyphon.coordinator.metrics.CoordinatorMetrics;
import org.cyphon.coordinator.store.AttemptRow;
import org.cyphon.coordinator.store.AttemptTable;
import org.cyphon.coordinator.store.Database;
import org.cyphon.coordinator.store.JobRow;
import org.cyphon.coordinator.store.JobTable;
import org.cyphon.coordinator.store.MachineRow;
import org.cyphon.coordinator.store.MachineTable;
import org.cyphon.coordinator.store.PlacementHistory;
import org.cyphon.coordinator.store.QueuedJobs;
import org.cyphon.core.job.AttemptOutcome;
import org.cyphon.core.machine.Offer;
import org.cyphon.core.owner.IdleForecast;
import org.cyphon.core.protocol.AttemptRef;
import org.cyphon.core.protocol.ShareList;
import org.cyphon.core.protocol.ShareView;
import org.cyphon.core.protocol.WorkAssignment;
import org.cyphon.core.schedule.CheckpointInterval;
import org.cyphon.core.schedule.FairShare;
import org.cyphon.core.schedule.PendingJob;
import org.cyphon.core.schedule.PlaceByFairShareAndIdleFit;
import org.cyphon.core.schedule.Placement;
import org.cyphon.core.schedule.PlacementInput;
import org.cyphon.core.schedule.Plan;
import org.cyphon.core.schedule.Preemption;
import org.cyphon.core.schedule.RuntimeEstimates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler: runs core's {@link PlaceByFairShareAndIdleFit} over the queued jobs and the
 * offers of online, undrained machines, with each desk's idle forecast ({@link ForecastSource}),
 * the submitters' fair share ({@link FairShareBook}) and the attempts running now, and writes the
 * assignments ({@link AssignQueuedJobs}). Preemptions placement asks for are handed to the agents
 * as vacate requests ({@link #vacateRequests}), only for attempts that can checkpoint.
 *
 * <p>One thread does every pass, so two passes never race for the same machine. Passes are
 * requested on submit, release, heartbeat, enroll and attempt end; requests that arrive while a
 * pass is pending collapse into that pass, so a burst of a thousand submits costs a few passes,
 * each writing many attempts in one transaction. Whoever drives the coordinator's periodic work
 * also calls {@link #step} (every second, or when a test says), for what no request announces: a
 * machine's lease running out, a vacate taking too long, a new quarter hour's forecasts.
 *
 * <p>The queue and the machines' load are kept in memory ({@link QueueIndex}, {@link MachineLoad})
 * and rebuilt from the store at start and by the first step a minute after the last rebuild (by
 * the clock the loop is given); committed changes reach them as
 * {@link Fact}s. The store stays the truth: each assignment is a compare-and-set on the job row.
 * Fair share and learned runtimes live in memory too (charged and learned from attempt ends), so a
 * pass reads nothing from the store; fair share is written back each minute.
 */
public final class SchedulingLoop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SchedulingLoop.class);
    static final int WINDOW = 4096;
    static final int SCAN_LIMIT = 200_000;
    /** Forecasts change with the quarter hour, not the second: fetched at most this often. */
    static final Duration FORECAST_REFRESH = Duration.ofSeconds(15);
    /** A checkpoint's cost assumed when choosing an "auto" interval: pack, upload, a pause of the job. */
    static final Duration CHECKPOINT_COST = Duration.ofSeconds(30);
    /** A vacate the agent never carried out (it went away, the attempt ended otherwise) stops holding its job back. */
    private static final long VACATE_PATIENCE_MILLIS = TimeUnit.MINUTES.toMillis(3);

    private static final long REBUILD_MILLIS = TimeUnit.SECONDS.toMillis(60);
    private static final int REBUILD_QUEUE_STEP = 100_000;

    private final Database db;
    private final Clock clock;
    private final long leaseMillis;
    private final WorkMailboxes mailboxes;
    private final CoordinatorMetrics metrics;
    private final AssignQueuedJobs assign;
    private final ForecastSource forecastSource;
    private final Placement placement = new PlaceByFairShareAndIdleFit();
    private final QueueIndex queue = new QueueIndex();
    private final MachineLoad load = new MachineLoad();
    private final FairShareBook shares;
    /** Wakes sleeping desks for the jobs a pass could not place. */
    private final SleepingDeskWaker waker;

    private final org.cyphon.coordinator.ha.Leadership leadership;
    /** Other coordinators on the store learn what this one does not: re-read it at most this often. */
    private final long refreshMillis;
    /**
     * The epoch the loop's memory is up to date for: a pass in another epoch (this coordinator just
     * took the lead, and another may have led meanwhile) reloads it all from the store first.
     */
    private long ledEpoch;
    /** Written by the scheduling thread only; immutable, so readers (job views) need no lock. */
    private volatile RuntimeEstimates runtimes = RuntimeEstimates.empty();
    /** Per queued job holding a checkpoint, the work it saved (milliseconds), from the store's last rebuild. */
    private Map<Long, Long> progress = new HashMap<>();

    private Map<String, IdleForecast> forecasts = Map.of();
    private long forecastsAt = Long.MIN_VALUE;
    /** Preempting job -> the vacate it waits for; the job is held out of the window meanwhile. */
    private final Map<Long, PendingVacate> preempting = new HashMap<>();

    private final Set<Long> vacating = new HashSet<>();
    /** Vacate requests not yet handed to their agents, by machine. */
    private final ConcurrentHashMap<String, List<AttemptRef>> vacateRequests = new ConcurrentHashMap<>();

    private final ConcurrentLinkedQueue<Fact> facts = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean passRequested = new AtomicBoolean();
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "cyphon-scheduler");
        t.setDaemon(true);
        return t;
    });
    private volatile int queueLength;
    private volatile List<Map<String, String>> onlineLabels = List.of();
    /** The most disk an online desk has free for jobs, as of the last pass; null: no desk says. */
    private volatile Long largestDiskFree;
    /** Whether an online desk can give a job a network of its own, as of the last pass. */
    private volatile boolean anyOwnNetwork;

    /** The most GPUs an online machine has, as of the last pass. */
    private volatile int mostOnlineGpus;

    private long lastRebuild;

    private record PendingVacate(long token, long since) {}

    public SchedulingLoop(
            Database db, Clock clock, Duration lease, WorkMailboxes mailboxes, CoordinatorMetrics metrics) {
        this(db, clock, lease, mailboxes, metrics, ForecastSource.NONE, FairShare.DEFAULT_HALF_LIFE);
    }

    /** A loop that wakes no sleeping desk and leads alone (one coordinator on its store). */
    public SchedulingLoop(
            Database db,
            Clock clock,
            Duration lease,
            WorkMailboxes mailboxes,
            CoordinatorMetrics metrics,
            ForecastSource forecasts,
            Duration fairShareHalfLife) {
        this(
                db,
                clock,
                lease,
                mailboxes,
                metrics,
                forecasts,
                fairShareHalfLife,
                SleepingDeskWaker.NONE,
                org.cyphon.coordinator.ha.Leadership.ALONE);
    }

    /**
     * @param forecasts         each desk's idle forecast (from the machines' usage profiles)
     * @param fairShareHalfLife how fast past usage is forgotten ({@code schedule.fair_share_half_life})
     * @param waker             told after each pass of the jobs left waiting and the sleeping desks
     * @param leadership        whether this coordinator runs the passes now; each pass's write is fenced by it
     */
    public SchedulingLoop(
            Database db,
            Clock clock,
            Duration lease,
            WorkMailboxes mailboxes,
            CoordinatorMetrics metrics,
            ForecastSource forecasts,
            Duration fairShareHalfLife,
            SleepingDeskWaker waker,
            org.cyphon.coordinator.ha.Leadership leadership) {
        this.waker = waker;
        this.leadership = leadership;
        this.refreshMillis = Math.max(50, Math.min(1000, lease.toMillis() / 10));
        this.db = db;
        this.clock = clock;
        this.leaseMillis = lease.toMillis();
        this.mailboxes = mailboxes;
        this.metrics = metrics;
        this.assign = new AssignQueuedJobs(db);
        this.forecastSource = forecasts;
        this.shares = new FairShareBook(db, fairShareHalfLife);
        metrics.queueLength(() -> queueLength);
    }

    /** Loads the queue, machines, fair share and past runtimes from the store (before returning) and asks for a first pass. */
    public void start() throws Exception {
        thread.submit(() -> {
                    shares.restore();
                    learnPastRuntimes();
                    rebuild();
                    ledEpoch = leadership.epoch();
                })
                .get();
        requestPass();
    }

    /**
     * One periodic pass at the clock's now, on the loop's thread after any pass already asked for,
     * returning when it is done: first, if a minute has passed since the last rebuild (or the clock
     * went back), the queue and machines are reloaded from the store and fair share is saved.
     *
     * @throws IllegalStateException when the loop is closed, or the pass took over a minute
     */
    public void step() {
        try {
            thread.submit(this::periodicPass).get(60, TimeUnit.SECONDS);
        } catch (RejectedExecutionException e) {
            throw new IllegalStateException("the scheduler is closed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the scheduler did not finish its pass: " + e, e);
        }
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

    /**
     * This coordinator just took the lead: what it remembers of the queue, the machines and fair
     * share may be old (another coordinator led), so the next pass reloads them all first.
     */
    public void leadershipGained() {
        requestPass();
    }

    /** Jobs queued, as of the last pass. */
    public int queueLength() {
        return queueLength;
    }

    /**
     * The attempts on {@code machine} placement wants checkpointed and vacated, each handed out once
     * (the heartbeat reply carries them to the agent).
     */
    public List<AttemptRef> takeVacateRequests(String machine) {
        List<AttemptRef> out = vacateRequests.remove(machine);
        return out == null ? List.of() : out;
    }

    /**
     * Why a queued job with these requirements waits, when it is for want of a machine carrying
     * them; null when some online machine carries them (it waits for room, or its turn).
     */
    public String whyWaiting(Map<String, String> requires) {
        // A follower's view of the machines is not kept: better no reason than a wrong one.
        if (requires == null || requires.isEmpty() || leadership.epoch() == 0) return null;
        for (Map<String, String> labels : onlineLabels) {
            if (new Offer("", 0, 0, true, labels).carries(requires)) return null;
        }
        return "no online machine carries " + org.cyphon.core.machine.Labels.show(requires);
    }

    /**
     * Why a queued job waits, when it is for want of a machine carrying its labels, with as much
     * disk free as its {@code --disk} asks ({@code diskBytes} null: none asked), or able to give it
     * a network of its own ({@code ownNetwork}); null otherwise.
     */
    public String whyWaiting(Map<String, String> requires, Long diskBytes, boolean ownNetwork) {
        String labels = whyWaiting(requires);
        if (labels != null) return labels;
        if (ownNetwork && !anyOwnNetwork)
            return "no online desk can give a job a network of its own (--network none needs the agent's namespaces)";
        if (diskBytes == null) return null;
        Long most = largestDiskFree;
        if (most == null || most >= diskBytes) return null;
        return "no online desk has " + org.cyphon.core.text.Sizes.format(diskBytes)
                + " of disk free for its --disk (the most is " + org.cyphon.core.text.Sizes.format(most) + ")";
    }

    /**
     * Why a queued job with these requirements and GPUs waits, when it is for want of a machine
     * carrying the labels or having that many GPUs at all; null when it waits for room or its turn.
     */
    public String whyWaiting(Map<String, String> requires, int gpus) {
        String labels = whyWaiting(requires);
        if (labels != null || gpus <= 0 || gpus <= mostOnlineGpus) return labels;
        return "no online machine has " + gpus + (gpus == 1 ? " GPU" : " GPUs");
    }

    /**
     * Why a queued job waits, when it is for want of a machine carrying its labels, able to give it a
     * network of its own, having as many GPUs as it needs at all, or with as much disk free as its
     * {@code --disk} asks; null when it waits for room or its turn.
     */
    public String whyWaiting(Map<String, String> requires, Long diskBytes, boolean ownNetwork, int gpus) {
        String gpuReason = whyWaiting(requires, gpus);
        if (gpuReason != null) return gpuReason;
        return whyWaiting(requires, diskBytes, ownNetwork);
    }

    /** The runtime learned from completed jobs of this name and owner; null when none completed yet. */
    public Duration expectedRuntime(String owner, String name) {
        return runtimes.estimate(owner, name);
    }

    /** Fair share as it stands: each submitter's decayed usage and how many jobs they have queued and running. */
    public ShareList shares() {
        try {
            return thread.submit(() -> {
                        FairShare s = shares.current();
                        Instant now = clock.instant();
                        Map<String, Integer> queued = queue.sizesByOwner();
                        Map<String, Integer> running = load.runningByOwner();
                        Set<String> owners = new TreeSet<>(s.usages().keySet());
                        owners.addAll(queued.keySet());
                        owners.addAll(running.keySet());
                        List<ShareView> out = new ArrayList<>();
                        for (String o : owners)
                            out.add(new ShareView(
                                    o, s.usage(o, now), queued.getOrDefault(o, 0), running.getOrDefault(o, 0)));
                        out.sort(Comparator.comparingDouble(ShareView::usageCpuSeconds)
                                .thenComparing(ShareView::owner));
                        return new ShareList(s.halfLife().toSeconds(), out);
                    })
                    .get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the scheduler did not answer: " + e, e);
        }
    }

    @Override
    public void close() {
        thread.shutdown(); // not shutdownNow: an interrupt during H2's file I/O closes the database's file
        try {
            thread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            // the thread has stopped: no pass races this; a follower's shares are not the pool's
            if (ledEpoch != 0 && leadership.epoch() == ledEpoch) shares.save();
        } catch (RuntimeException e) {
            log.warn("could not save fair share at stop: {}", e.toString());
        }
    }

    /**
     * A minute, and a minute more per {@value #REBUILD_QUEUE_STEP} queued jobs: a reload reads every
     * queued job (seconds for a million, on this thread, holding up dispatch), so a big backlog is
     * reloaded less often. What the reload guards against (a committed change whose {@link Fact}
     * never arrived) is rare, and the store, not this index, decides each assignment.
     */
    private long rebuildMillis() {
        return REBUILD_MILLIS * Math.max(1, 1 + queue.size() / REBUILD_QUEUE_STEP);
    }

    private void periodicPass() {
        long now = clock.millis();
        if (leadership.epoch() == 0) {
            pass(); // forgets what it was told: the leader reads it from the store
            return;
        }
        if (now - lastRebuild >= rebuildMillis() || now < lastRebuild) {
            rebuild();
            try {
                shares.save();
            } catch (RuntimeException e) {
                log.warn("could not save fair share; will retry: {}", e.toString());
            }
        }
        pass();
    }

    private void learnPastRuntimes() {
        // One batch: learn() copies the estimates each call, which over a long job table is quadratic.
        runtimes = RuntimeEstimates.empty()
                .learnAll(db.transactions().read(PlacementHistory::completedRuns).stream()
                        .map(c ->
                                new RuntimeEstimates.Completion(c.owner(), c.name(), Duration.ofMillis(c.runMillis())))
                        .toList());
    }

    private void rebuild() {
        try {
            record Snapshot(
                    List<PendingJob> queued,
                    List<MachineRow> machines,
                    List<AttemptRow> live,
                    Map<Long, JobRow> liveJobs,
                    Map<Long, Long> progress) {}
            Snapshot s = db.transactions().read(c -> {
                List<AttemptRow> live = AttemptTable.live(c);
                Map<Long, JobRow> jobs = JobTable.rows(
                        c, live.stream().map(AttemptRow::jobId).distinct().toList());
                return new Snapshot(
                        QueuedJobs.all(c), MachineTable.all(c), live, jobs, PlacementHistory.queuedProgress(c));
            });
            queue.replaceAll(s.queued());
            List<MachineLoad.Live> live = new ArrayList<>(s.live().size());
            for (AttemptRow a : s.live()) {
                live.add(liveOf(a, s.liveJobs().get(a.jobId())));
            }
            load.replaceAll(s.machines(), live);
            progress = new HashMap<>(s.progress());
            queueLength = queue.size();
            lastRebuild = clock.millis();
        } catch (RuntimeException e) {
            log.warn("could not reload the queue from the store; will retry: {}", e.toString());
        }
    }

    /** The live attempt with what the scheduler needs of its job ({@code j} null: the job row is gone). */
    private static MachineLoad.Live liveOf(AttemptRow a, JobRow j) {
        return new MachineLoad.Live(
                a.fencingToken(),
                a.jobId(),
                a.attemptNo(),
                a.machine(),
                a.cpuMillis(),
                a.memoryBytes(),
                a.startedAt(),
                j == null ? "" : j.status().owner(),
                j == null ? null : j.name(),
                j == null ? 0 : j.status().priority(),
                j != null && WorkAssignments.checkpointable(j),
                j == null || j.diskBytes() == null ? 0 : j.diskBytes(),
                a.gpus());
    }

    /**
     * Whether this pass may schedule: only the leader's do. A follower forgets the facts it is told
     * (the leader learns them from the store) and remembers to reload everything if it takes the
     * lead; a leader among other coordinators re-reads the store every {@code refreshMillis}, since
     * submits, reports and heartbeats reach the others too.
     *
     * @return the epoch to fence this pass's writes with, or 0: do nothing
     */
    private long leadingEpoch() {
        long epoch = leadership.epoch();
        if (epoch == 0) {
            facts.clear();
            vacateRequests.clear();
            ledEpoch = 0;
            return 0;
        }
        long now = clock.millis();
        if (epoch != ledEpoch) {
            ledEpoch = 0; // until the reload is done
            preempting.clear();
            vacating.clear();
            facts.clear(); // the reload below reads everything they said, and more
            shares.restore();
            learnPastRuntimes();
            rebuild();
            ledEpoch = epoch;
        } else if (leadership.shared() && (now - lastRebuild >= refreshMillis || now < lastRebuild)) {
            rebuild();
        }
        return epoch;
    }

    private void pass() {
        passRequested.set(false);
        long epoch;
        try {
            epoch = leadingEpoch();
        } catch (RuntimeException e) {
            log.warn("could not reload the scheduler's state from the store; the next pass retries: {}", e.toString());
            return;
        }
        if (epoch == 0) return;
        try {
            applyFacts();
            long now = clock.millis();
            // A pass that left placeable jobs behind its window asks for another at once: the desks
            // it would wake may not be needed.
            if (!placeQueued(now, epoch)) wakeSleepingDesks(now);
        } catch (org.cyphon.coordinator.ha.NotLeaderException e) {
            log.warn("scheduling pass not written: {}", e.getMessage());
            ledEpoch = 0;
            leadership.lost(e.epoch());
        } catch (RuntimeException e) {
            log.warn("scheduling pass failed; the next pass retries: {}", e.toString(), e);
        } finally {
            queueLength = queue.size();
        }
    }

    /** Places what it can on the awake desks; @return whether it asked for another pass at once */
    private boolean placeQueued(long now, long epoch) {
        List<Offer> offers = load.offers(now, leaseMillis);
        onlineLabels = load.onlineLabels(now, leaseMillis);
        largestDiskFree = load.largestDiskFree(now, leaseMillis);
        anyOwnNetwork = load.anyOwnNetwork(now, leaseMillis);
        mostOnlineGpus = load.mostOnlineGpus(now, leaseMillis);
        expireVacates(now);
        if (offers.isEmpty() || queue.size() == 0) return false;
        FairShare fair = shares.current();
        Instant at = Instant.ofEpochMilli(now);
        boolean preemptible = load.anyCheckpointable();
        Map<String, Double> usage = new HashMap<>();
        for (String o : queue.owners()) usage.put(o, fair.usage(o, at));
        QueueIndex.Window window = queue.window(
                Comparator.<String>comparingDouble(usage::get).thenComparing(Comparator.naturalOrder()),
                load.bound(offers, preemptible),
                required -> carried(offers, required),
                preempting.keySet(),
                WINDOW,
                SCAN_LIMIT);
        if (window.jobs().isEmpty()) return false;
        Map<String, IdleForecast> forecastNow = forecasts(now);
        Plan plan = placement.place(new PlacementInput(
                at,
                withRuntimes(window.jobs()),
                offers,
                forecastNow,
                fair,
                preemptible ? load.running(vacating) : List.of()));
        requestVacates(plan.preemptions(), now);
        if (plan.assignments().isEmpty()) return false;
        AssignQueuedJobs.Result r = assign.write(plan.assignments(), now, leaseMillis, leadership, epoch, machine -> {
            IdleForecast f = forecastNow.get(machine);
            return f == null ? WorkAssignments.AUTO_CHECKPOINT_DEFAULT : CheckpointInterval.choose(f, CHECKPOINT_COST);
        });
        for (long id : r.notQueued()) queue.remove(id);
        Map<String, List<WorkAssignment>> byMachine = new HashMap<>();
        for (AssignQueuedJobs.Started s : r.started()) {
            AttemptRow a = s.attempt();
            queue.remove(a.jobId());
            progress.remove(a.jobId());
            load.started(liveOf(a, s.job()));
            byMachine.computeIfAbsent(a.machine(), m -> new ArrayList<>()).add(s.work());
            metrics.assigned(Duration.ofMillis(now - s.queuedAt()));
        }
        JobLog.committed(r.events());
        byMachine.forEach(mailboxes::deliver);
        if (r.failure() != null) throw r.failure(); // after delivering what was written
        // A cut window may have left placeable jobs behind it; look again at once.
        if (window.cut() && !r.started().isEmpty()) {
            requestPass();
            return true;
        }
        return false;
    }

    /**
     * The jobs still queued that a sleeping desk could take, for the waker: a window over the
     * sleeping desks' whole resources and labels, in the order placement takes jobs.
     */
    private void wakeSleepingDesks(long now) {
        if (waker == SleepingDeskWaker.NONE || queue.size() == 0) return;
        List<Offer> asleep = load.asleepOffers();
        if (asleep.isEmpty()) return;
        FairShare fair = shares.current();
        Instant at = Instant.ofEpochMilli(now);
        Map<String, Double> usage = new HashMap<>();
        for (String o : queue.owners()) usage.put(o, fair.usage(o, at));
        QueueIndex.Window window = queue.window(
                Comparator.<String>comparingDouble(usage::get).thenComparing(Comparator.naturalOrder()),
                load.bound(asleep, false),
                required -> carried(asleep, required),
                preempting.keySet(),
                WINDOW,
                SCAN_LIMIT);
        if (window.jobs().isEmpty()) return;
        waker.afterPass(at, withRuntimes(window.jobs()), asleep, forecasts(now));
    }

    private static boolean carried(List<Offer> offers, Map<String, String> required) {
        for (Offer o : offers) if (o.carries(required)) return true;
        return false;
    }

    /** The window's jobs with what the store does not know at submission: learned runtimes, saved progress. */
    private List<PendingJob> withRuntimes(List<PendingJob> jobs) {
        List<PendingJob> out = new ArrayList<>(jobs.size());
        for (PendingJob j : jobs) {
            Duration expected =
                    j.expectedRuntime() != null ? j.expectedRuntime() : runtimes.estimate(j.owner(), j.name());
            Long saved = progress.get(j.id());
            if (java.util.Objects.equals(expected, j.expectedRuntime()) && saved == null) {
                out.add(j);
            } else {
                out.add(new PendingJob(
                        j.id(),
                        j.owner(),
                        j.priority(),
                        j.cpuMillis(),
                        j.memoryBytes(),
                        j.name(),
                        j.requires(),
                        expected,
                        saved == null ? j.progress() : Duration.ofMillis(saved),
                        j.diskBytes(),
                        j.ownNetwork(),
                        j.gpus()));
            }
        }
        return out;
    }

    private Map<String, IdleForecast> forecasts(long now) {
        if (now - forecastsAt >= FORECAST_REFRESH.toMillis() || now < forecastsAt) {
            try {
                forecasts = forecastSource.forecastsAt(Instant.ofEpochMilli(now));
            } catch (RuntimeException e) {
                log.warn("no idle forecasts this time: {}", e.toString());
                forecasts = Map.of();
            }
            forecastsAt = now;
        }
        return forecasts;
    }

    /**
     * Hands placement's preemptions to the agents, as vacate requests. Only a live attempt that can
     * checkpoint is ever vacated, whatever a placement asks: the preempted job loses nothing.
     */
    private void requestVacates(List<Preemption> preemptions, long now) {
        for (Preemption p : preemptions) {
            MachineLoad.Live a = load.live(p.fencingToken());
            if (a == null || !a.checkpointable() || !a.machine().equals(p.machine()) || vacating.contains(a.token()))
                continue;
            if (preempting.containsKey(p.forJob())) continue;
            vacating.add(a.token());
            preempting.put(p.forJob(), new PendingVacate(a.token(), now));
            String why = "preempted for job " + p.forJob()
                    + (p.reason() == null || p.reason().isBlank() ? "" : ": " + p.reason());
            vacateRequests
                    .computeIfAbsent(a.machine(), m -> new java.util.concurrent.CopyOnWriteArrayList<>())
                    .add(new AttemptRef(a.jobId(), a.attemptNo(), a.token(), why));
            log.info(
                    "job {} attempt {} on {}: asking its agent to checkpoint and vacate ({})",
                    a.jobId(),
                    a.attemptNo(),
                    a.machine(),
                    why);
        }
    }

    private void expireVacates(long now) {
        if (preempting.isEmpty()) return;
        var it = preempting.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            PendingVacate v = e.getValue();
            if (load.live(v.token()) == null || now - v.since() > VACATE_PATIENCE_MILLIS) {
                it.remove();
                vacating.remove(v.token());
            }
        }
    }

    private void applyFacts() {
        List<RuntimeEstimates.Completion> completed = new ArrayList<>();
        for (Fact f; (f = facts.poll()) != null; ) {
            switch (f) {
                case Fact.JobQueued q -> queue.add(q.job());
                case Fact.JobLeftQueue l -> {
                    queue.remove(l.jobId());
                    preempting.remove(l.jobId());
                }
                case Fact.AttemptEnded e -> attemptEnded(e, completed);
                case Fact.MachineSeen m ->
                    load.seen(
                            m.name(),
                            m.cpuMillis(),
                            m.memoryBytes(),
                            m.at(),
                            m.accepting(),
                            m.labels(),
                            m.maxJobs(),
                            m.diskFreeBytes(),
                            m.ownNetwork(),
                            m.gpus(),
                            m.gpuAccepting());
                case Fact.MachineDrained d -> load.drained(d.name(), d.drained());
                case Fact.MachineAsleep a -> load.asleep(a.name());
                case Fact.MachineForgotten g -> load.forgotten(g.name());
                case Fact.MachineLabelled l -> load.labelled(l.name(), l.labels());
            }
        }
        // One copy of the estimates per pass, not one per completed attempt (hot path at thousands of jobs/s).
        if (!completed.isEmpty()) runtimes = runtimes.learnAll(completed);
    }

    private void attemptEnded(Fact.AttemptEnded e, List<RuntimeEstimates.Completion> completed) {
        MachineLoad.Live a = load.ended(e.fencingToken());
        if (a == null) return;
        long now = clock.millis();
        if (!a.owner().isEmpty()) shares.charge(a.owner(), a.cpuMillis(), a.startedAt(), now, e.cpuSeconds());
        // A vacated attempt that could checkpoint did so before leaving: its run is work the next one skips.
        if (e.outcome() == AttemptOutcome.VACATED && a.checkpointable())
            progress.merge(a.jobId(), Math.max(0, now - a.startedAt()), Long::sum);
        if (e.completed() && a.name() != null) {
            completed.add(new RuntimeEstimates.Completion(
                    a.owner(), a.name(), Duration.ofMillis(Math.max(0, now - a.startedAt()))));
        }
    }
}
