package org.cyphon.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.cyphon.agent.checkpoint.AttemptCheckpoints;
import org.cyphon.agent.checkpoint.CheckpointTransfer;
import org.cyphon.agent.checkpoint.CriuAvailability;
import org.cyphon.agent.client.CoordinatorClient;
import org.cyphon.agent.client.CoordinatorRefusedException;
import org.cyphon.agent.client.CoordinatorUnreachableException;
import org.cyphon.agent.config.AgentConfig;
import org.cyphon.agent.sandbox.JobExit;
import org.cyphon.agent.sandbox.LaunchSpec;
import org.cyphon.agent.sandbox.RunningJob;
import org.cyphon.agent.sandbox.Sandbox;
import org.cyphon.agent.sandbox.SandboxSettings;
import org.cyphon.agent.sandbox.Sandboxes;
import org.cyphon.agent.sensors.RunningSensors;
import org.cyphon.agent.sensors.SensorState;
import org.cyphon.agent.sensors.Sensors;
import org.cyphon.core.owner.Presence;
import org.cyphon.core.policy.InvalidPolicyException;
import org.cyphon.core.policy.PolicySettings;
import org.cyphon.core.protocol.AttemptRef;
import org.cyphon.core.protocol.AttemptReport;
import org.cyphon.core.protocol.AttemptStatus;
import org.cyphon.core.protocol.DeskView;
import org.cyphon.core.protocol.EnrollReply;
import org.cyphon.core.protocol.EnrollRequest;
import org.cyphon.core.protocol.Heartbeat;
import org.cyphon.core.protocol.HeartbeatReply;
import org.cyphon.core.protocol.ReportBatch;
import org.cyphon.core.protocol.ReportReply;
import org.cyphon.core.protocol.ReportResult;
import org.cyphon.core.protocol.WorkAssignment;
import org.cyphon.core.protocol.WorkReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A desktop's agent: enrolls with the coordinator, long-polls for work, runs each attempt in the
 * {@link Sandbox}, ships its output and reports its end, and renews its leases by heartbeat.
 *
 * <p>Three loops, each on its own thread: <b>work</b> (long poll, start attempts), <b>beat</b>
 * (send pending reports at once, heartbeat every interval, obey stop requests) and <b>ship</b>
 * (upload new output of running attempts). An unreachable coordinator never stops a job: the
 * loops retry with back-off and jobs keep running, so a coordinator restart costs nothing.
 * An attempt stays in the heartbeat (keeping its lease) until the coordinator has taken its
 * report, so a finished job is not requeued just because its report was delayed.
 */
public final class Agent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Agent.class);
    private static final Duration LONG_POLL = Duration.ofSeconds(25);
    private static final String VERSION = "0.1.0";

    private final AgentConfig config;
    private final java.time.Clock clock = java.time.Clock.systemUTC();
    private final Sandbox sandbox;
    private final CoordinatorClient client;
    private final OutputShipper shipper;
    private final CheckpointTransfer checkpoints;
    private final CriuAvailability criu;
    /** What jobs may require of this machine: found (os, arch, gpu) and configured ([labels]). */
    private final java.util.Map<String, String> labels;

    private final Map<Long, LocalAttempt> attempts = new ConcurrentHashMap<>(); // by fencing token
    private final Semaphore beatNow = new Semaphore(0);
    private final ExecutorService threads = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("agent-", 0).factory());
    private volatile boolean running = true;
    /** Set by close(): take no new work, vacate what runs. */
    private volatile boolean closing;

    private volatile long heartbeatMillis = 2000;
    /**
     * The beat interval while the agent holds no attempt: a third of the lease the last reply
     * showed (so two beats may be lost before the coordinator counts the machine offline), never
     * faster than the coordinator's interval. An idle desk then beats every 5 s instead of every 2 s
     * with the default 15 s lease, which is most of an idle agent's CPU (bench/run agent-idle). A
     * change that matters (the desk starts or stops taking work) still beats at once.
     */
    private volatile long idleBeatMillis = 2000;
    /** When the pool's overload mode ends, from the last heartbeat reply; null: off. */
    private volatile java.time.Instant overloadUntil;
    /** What the coordinator's track record of this desk expects of its owner (from the heartbeat reply). */
    private volatile org.cyphon.core.desk.OwnerOutlook ownerOutlook = org.cyphon.core.desk.OwnerOutlook.UNKNOWN;

    private OwnerFirst ownerFirst;
    /** The owner's desk VM ({@code [desk]}), or null when this machine has none. */
    private org.cyphon.agent.desk.AgentDesk deskVm;
    /** Keeps the desk VM where its plan says (running, paused, saved); null without a desk. */
    private volatile DeskKeeper deskKeeper;

    private RunningSensors sensors;
    private final String policyName;
    private volatile boolean headless;
    /** CPU-seconds of finished attempts, so the owner-load sensor's counter never goes backwards. */
    private final java.util.concurrent.atomic.DoubleAdder finishedJobCpu =
            new java.util.concurrent.atomic.DoubleAdder();

    private Agent(AgentConfig config, Sandbox sandbox) {
        this.config = config;
        this.policyName = config.policy().getOrDefault("preset", "desktop");
        this.sandbox = sandbox;
        this.client = new CoordinatorClient(config.coordinator());
        this.shipper = new OutputShipper(client);
        try {
            this.checkpoints = new CheckpointTransfer(
                    client,
                    config.stateDir().resolve("checkpoints"),
                    config.checkpoint().maxBytes());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(
                    "cannot prepare " + config.stateDir().resolve("checkpoints"), e);
        }
        this.criu = CriuAvailability.detect(config.checkpoint().criu());
        this.labels = org.cyphon.agent.config.MachineLabels.of(config.labels());
        log.info("agent {}: transparent checkpointing (CRIU): {}", config.name(), criu.describe());
    }

    /**
     * Joins the pool and starts the loops. Waits (retrying) while the coordinator is unreachable;
     * fails at once if it refuses the enrollment token.
     */
    public static Agent start(AgentConfig config)
            throws IOException, CoordinatorRefusedException, InterruptedException {
        Files.createDirectories(config.stateDir().resolve("work"));
        Files.createDirectories(config.stateDir().resolve("output"));
        // Each agent gets its own cgroup sub-tree, so several agents on one host (tests, `up
        // --agents 2`) never touch each other's jobs, and leftovers can be found by machine.
        var s = config.sandbox();
        Sandbox sandbox =
                Sandboxes.detect(new SandboxSettings(s.cgroupRoot(), s.parent() + "/" + config.name(), s.mode()));
        log.info(
                "agent {}: sandbox {}{}",
                config.name(),
                sandbox.kind(),
                sandbox.note().isEmpty() ? "" : " (" + sandbox.note() + ")");
        int reaped = sandbox.reapLeftovers();
        if (reaped > 0)
            log.info("agent {}: killed {} jobs left running by an earlier agent process", config.name(), reaped);
        // The policy is checked before anything joins the pool: a bad CEL expression stops the agent
        // here, naming the key, line and column.
        PolicySettings policy;
        try {
            policy = PolicySettings.fromConfig(config.policy());
        } catch (InvalidPolicyException e) {
            throw new IllegalArgumentException("agent.toml: " + e.getMessage(), e);
        }
        Agent agent = new Agent(config, sandbox);
        if (config.desk() != null) agent.deskVm = openDesk(config);
        agent.watchTheDesk(policy);
        if (agent.deskVm != null) agent.keepTheDeskVm();
        agent.joinPool();
        if (agent.deskVm != null)
            agent.deskVm.serve(new org.cyphon.agent.desk.DeskCommandClient(
                    config.coordinator(),
                    () -> AgentCredentials.load(config.stateDir())
                            .map(c -> new org.cyphon.agent.desk.DeskCommandClient.Identity(c.machine(), c.token()))
                            .orElse(null)));
        agent.threads.execute(agent::workLoop);
        agent.threads.execute(agent::beatLoop);
        agent.threads.execute(agent::shipLoop);
        return agent;
    }

    public String machine() {
        return client.machine();
    }

    /** The desk VM follows the owner: running while they work, paused or saved while they are away. */
    private void keepTheDeskVm() {
        var spec = config.desk().spec();
        deskKeeper = new DeskKeeper(
                deskVm.vm(),
                config.desk().plan(),
                spec.memoryMaxMiB(),
                spec.memoryMinMiB(),
                () -> {
                    Presence p = ownerFirst.presence();
                    return new DeskKeeper.OwnerNow(p.present(), p.idleFor());
                },
                () -> overloadUntil,
                () -> ownerOutlook,
                java.time.Clock.systemUTC());
        deskKeeper.reconsider();
    }

    /** A desk VM that cannot be used here (QEMU or virsh missing) stops the agent, saying what to install. */
    private static org.cyphon.agent.desk.AgentDesk openDesk(AgentConfig config) {
        try {
            return org.cyphon.agent.desk.AgentDesk.open(config.desk());
        } catch (org.cyphon.agent.desk.DeskException e) {
            throw new IllegalArgumentException("agent.toml: [desk]: " + e.getMessage(), e);
        }
    }

    /** Starts the owner-first loop and the sensors feeding it, before any job can start. */
    private void watchTheDesk(PolicySettings policy) {
        ownerFirst = new OwnerFirst(
                policy,
                java.time.Clock.systemUTC(),
                config.cpuMillis() / 1000.0,
                attempts.values(),
                new AttemptEffects(threads),
                new OwnerFirst.Listener() {
                    @Override
                    public void startChanged(boolean allowed) {
                        beatNow.release(); // the coordinator should know at once that this desk takes work again (or
                        // not)
                    }

                    @Override
                    public void presenceChanged(boolean present) {
                        DeskKeeper k = deskKeeper;
                        if (k != null) k.reconsider();
                    }
                });
        sensors = Sensors.start(
                config.sensors(),
                this::jobCpuSeconds,
                this::jobsRunning,
                config.sandbox().cgroupRoot(),
                "cgroup-v2".equals(sandbox.kind()) ? config.sandbox().parent() : null,
                ownerFirst::signal);
        for (SensorState st : sensors.states())
            log.info("agent {}: sensor {}: {}", config.name(), st.name(), st.running() ? "running" : st.status());
        // Sampling sensors (X11) report within one interval: after it, a machine none of whose
        // sensors has seen an input device, a display or a local session is headless.
        try {
            Thread.sleep(config.sensors().sampleEvery().toMillis() + 300);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        headless = !ownerFirst.sawPerson();
        if (headless) {
            log.info(
                    "agent {}: no sensor sees a keyboard, mouse, display or local session: a headless machine, nobody at it",
                    config.name());
            ownerFirst.headless(policy);
        }
    }

    private boolean jobsRunning() {
        for (LocalAttempt a : attempts.values()) {
            if (a.hasLiveJob()) return true;
        }
        return false;
    }

    /** All CPU Cyphon's jobs have used since the agent started (finished attempts included). */
    private double jobCpuSeconds() {
        double live = 0;
        for (LocalAttempt a : attempts.values()) {
            RunningJob job = a.job();
            if (job != null) live += job.cpuSecondsSoFar();
        }
        return finishedJobCpu.sum() + live;
    }

    /** The desk VM as last read, with where the keeper is taking it (the DESK column shows both). */
    private org.cyphon.core.protocol.DeskVmView deskVmView() {
        var view = deskVm.view();
        DeskKeeper k = deskKeeper;
        if (view == null || k == null || k.lastDecision() == null) return view;
        return view.withKeeperTarget(k.lastDecision().target().name().toLowerCase(java.util.Locale.ROOT));
    }

    /** What the desk's owner-first loop knows now, for the heartbeat and cyphon machine NAME. */
    private DeskView desk() {
        Presence p = ownerFirst.presence();
        var start = ownerFirst.startDecision();
        List<String> reasons = new ArrayList<>();
        if (headless) reasons.add("headless: no input device, display or login session to watch");
        reasons.addAll(p.reasons());
        reasons.addAll(start.reasons());
        List<DeskView.SensorView> sensorViews = sensors.states().stream()
                .map(st -> new DeskView.SensorView(st.name(), st.running(), st.status()))
                .toList();
        if (closing) reasons.add(0, "agent shutting down: takes no new work");
        java.time.Instant overload = overloadUntil;
        if (overload != null && java.time.Instant.now().isBefore(overload))
            reasons.add(0, "overload mode on until " + overload);
        DeskKeeper k = deskKeeper;
        if (k != null && k.lastDecision() != null)
            k.lastDecision().reasons().forEach(r -> reasons.add("desk VM: " + r));
        return new DeskView(
                p.state().name().toLowerCase(java.util.Locale.ROOT),
                p.idleFor().toSeconds(),
                start.allowed() && !closing,
                policyName,
                reasons,
                sensorViews);
    }

    public String sandboxKind() {
        return sandbox.kind();
    }

    /** Attempts this agent holds now (running, or finished and not yet reported). */
    public int attemptCount() {
        return attempts.size();
    }

    private void joinPool() throws IOException, CoordinatorRefusedException, InterruptedException {
        var saved = AgentCredentials.load(config.stateDir())
                .filter(c -> c.coordinator().equals(config.coordinator().toString())
                        && c.machine().equals(config.name()));
        if (saved.isPresent() && config.enrollToken() == null) {
            client.useCredentials(saved.get().machine(), saved.get().token());
            log.info("agent {}: rejoining {} with saved credentials", config.name(), config.coordinator());
            return;
        }
        enroll();
    }

    private void enroll() throws IOException, CoordinatorRefusedException, InterruptedException {
        if (config.enrollToken() == null) {
            throw new CoordinatorRefusedException(
                    401,
                    "no enrollment token configured (enroll_token or enroll_token_file in agent.toml)",
                    "enroll_token");
        }
        long backoff = 500;
        while (true) {
            try {
                EnrollReply r = client.enroll(
                        config.enrollToken(),
                        new EnrollRequest(
                                config.name(),
                                config.cpuMillis() / 1000.0,
                                config.memoryBytes(),
                                sandbox.kind(),
                                sandbox.note(),
                                VERSION,
                                criu.describe(),
                                config.owner(),
                                // The desk's own clock zone: its track record counts the owner's local hours.
                                java.time.ZoneId.systemDefault().getId()));
                heartbeatMillis = r.heartbeatMillis();
                new AgentCredentials(config.coordinator().toString(), r.machine(), r.agentToken())
                        .save(config.stateDir());
                log.info(
                        "agent {}: enrolled with {} (heartbeat {} ms, lease {} ms)",
                        r.machine(),
                        config.coordinator(),
                        r.heartbeatMillis(),
                        r.leaseMillis());
                return;
            } catch (CoordinatorUnreachableException e) {
                if (!running) throw new InterruptedException("agent closed");
                log.warn(
                        "agent {}: coordinator not reachable yet ({}); retrying in {} ms",
                        config.name(),
                        e.getMessage(),
                        backoff);
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, 10_000);
            }
        }
    }

    // ---- work loop: long poll, start attempts ----

    private void workLoop() {
        long backoff = 500;
        while (running) {
            try {
                WorkReply reply = client.pollWork(LONG_POLL);
                backoff = 500;
                // Each start on its own thread: a slow launch on a busy desk must not delay the
                // next poll, nor the other attempts' starts.
                for (WorkAssignment w : reply.assignments()) {
                    if (attempts.containsKey(w.fencingToken())) continue; // re-sent after a coordinator restart
                    LocalAttempt a = admit(w);
                    if (closing) {
                        // Arrived as we leave: hand it straight back (vacated: requeued, no attempt used).
                        a.handedBack("agent shutting down");
                        beatNow.release();
                        continue;
                    }
                    threads.execute(() -> launch(a));
                }
            } catch (CoordinatorUnreachableException e) {
                backoff = pause("work poll", e, backoff);
            } catch (CoordinatorRefusedException e) {
                backoff = onRefused("work poll", e, backoff);
            } catch (RuntimeException e) {
                log.error("agent {}: work loop error", machine(), e);
                backoff = pause("work poll", e, backoff);
            }
        }
    }

    /** Registers the attempt at once, so the next heartbeat already lists it and keeps its lease. */
    private LocalAttempt admit(WorkAssignment w) {
        String id = "j" + w.jobId() + "-a" + w.attempt();
        Path workDir = config.stateDir().resolve("work").resolve(id);
        Path out = config.stateDir().resolve("output").resolve(id + ".stdout");
        Path err = config.stateDir().resolve("output").resolve(id + ".stderr");
        LocalAttempt a = new LocalAttempt(
                w, workDir, out, err, new AttemptCheckpoints(w, workDir, checkpoints, config.checkpoint()));
        attempts.put(w.fencingToken(), a);
        return a;
    }

    /**
     * Restores the job's last checkpoint into its checkpoint directory (before the sandbox hands the
     * work dir to the job user) and returns the variables that tell the job where it is.
     */
    private Map<String, String> restoreCheckpoint(LocalAttempt a) throws IOException {
        long backoff = 500;
        while (true) {
            try {
                return a.checkpoints.prepare();
            } catch (CoordinatorUnreachableException e) {
                if (!running) throw new IOException("agent stopping");
                backoff = pause("checkpoint restore", e, backoff);
            } catch (CoordinatorRefusedException e) {
                throw new IOException("cannot restore the checkpoint: " + e.getMessage(), e);
            }
        }
    }

    /** Asks a checkpointing job to save its state every checkpointEvery while it runs unfrozen. */
    private void checkpointPeriodically(LocalAttempt a, RunningJob job) {
        java.time.Duration every = a.checkpoints.every();
        while (running && !job.exit().isDone()) {
            try {
                Thread.sleep(every.toMillis());
                synchronized (a) {
                    if (!(a.phase() instanceof LocalAttempt.Running r)) return; // leaving, stopped or gone
                    if (r.life().state() == org.cyphon.core.policy.AttemptState.FROZEN)
                        continue; // a frozen job cannot answer
                }
                var outcome = a.checkpoints.askPeriodic(job.pid(), job.exit());
                if (outcome != org.cyphon.agent.checkpoint.CheckpointRequest.Outcome.SETTLED) continue;
                var packed = a.checkpoints.packIfChanged(job.cpuSecondsSoFar());
                if (packed != null) storeCheckpoint(a, packed);
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                log.warn(
                        "job {} attempt {}: periodic checkpoint failed: {}",
                        a.work.jobId(),
                        a.work.attempt(),
                        e.getMessage());
            }
        }
    }

    private void storeCheckpoint(LocalAttempt a, AttemptCheckpoints.Packed packed) {
        long backoff = 500;
        while (running) {
            try {
                a.checkpoints.store(packed);
                log.info("job {} attempt {}: checkpoint stored", a.work.jobId(), a.work.attempt());
                return;
            } catch (CoordinatorUnreachableException e) {
                backoff = pause("checkpoint upload", e, backoff);
            } catch (CoordinatorRefusedException e) {
                log.warn("job {} attempt {}: checkpoint refused: {}", a.work.jobId(), a.work.attempt(), e.getMessage());
                return;
            }
        }
    }

    private void launch(LocalAttempt a) {
        WorkAssignment w = a.work;
        try {
            Files.createDirectories(a.workDir);
            Map<String, String> env = environment(w, a.workDir);
            env.putAll(restoreCheckpoint(a));
            RunningJob job = sandbox.start(new LaunchSpec(
                    a.id(),
                    w.command(),
                    env,
                    a.workDir,
                    a.stdout,
                    a.stderr,
                    (int) Math.round(w.cpus() * 1000),
                    w.memoryBytes(),
                    config.jobUser()));
            String stopNow = a.started(job, clock.instant()); // non-null: cancelled while it was starting
            log.info(
                    "job {} attempt {} on {}: started pid {} ({})",
                    w.jobId(),
                    w.attempt(),
                    machine(),
                    job.pid(),
                    String.join(" ", w.command()));
            var unused = job.exit().whenComplete((exit, failure) -> threads.execute(() -> finish(a, exit, failure)));
            if (stopNow != null) job.kill();
            ownerFirst.attemptsChanged(); // decide for it at once: the owner may be typing right now
            if (a.checkpoints.every() != null) threads.execute(() -> checkpointPeriodically(a, job));
        } catch (IOException | RuntimeException e) {
            log.warn("job {} attempt {} on {}: failed to start: {}", w.jobId(), w.attempt(), machine(), e.getMessage());
            a.failedToStart(e.getMessage());
            beatNow.release();
        }
    }

    private Map<String, String> environment(WorkAssignment w, Path workDir) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin");
        env.put("LANG", "C.UTF-8");
        env.put("HOME", workDir.toString());
        env.put("TMPDIR", workDir.toString());
        env.putAll(w.env());
        env.put("CYPHON_JOB_ID", Long.toString(w.jobId()));
        env.put("CYPHON_ATTEMPT", Integer.toString(w.attempt()));
        env.put("CYPHON_INDEX", Integer.toString(w.index()));
        env.put("CYPHON_CPUS", formatCpus(w.cpus()));
        env.put("CYPHON_MACHINE", machine());
        return env;
    }

    static String formatCpus(double cpus) {
        return cpus == Math.rint(cpus) ? Long.toString((long) cpus) : Double.toString(cpus);
    }

    /** The tree is gone: ship the rest of its output, then queue its report (in that order, see docs/api.md). */
    private void finish(LocalAttempt a, JobExit exit, Throwable failure) {
        JobExit e = exit != null ? exit : new JobExit(null, null, 0, "sandbox error: " + failure);
        long backoff = 500;
        while (running) {
            try {
                synchronized (a.shipping) {
                    shipper.ship(a);
                }
                break;
            } catch (CoordinatorUnreachableException ex) {
                backoff = pause("output upload", ex, backoff);
            }
        }
        if (a.keepsCheckpoint(e)) storeCheckpointIfChanged(a, e.cpuSeconds());
        AttemptReport r;
        synchronized (a) {
            r = a.toReport(e);
            a.end(r);
        }
        finishedJobCpu.add(e.cpuSeconds());
        ownerFirst.attemptsChanged();
        log.info(
                "job {} attempt {} on {}: {} (exit {}, {} CPU-s)",
                r.jobId(),
                r.attempt(),
                machine(),
                r.outcome(),
                r.exitCode(),
                String.format("%.2f", r.cpuSeconds()));
        beatNow.release();
    }

    private void storeCheckpointIfChanged(LocalAttempt a, double cpu) {
        long backoff = 500;
        while (running) {
            try {
                if (a.checkpoints.storeIfChanged(cpu))
                    log.info("job {} attempt {}: final checkpoint stored", a.work.jobId(), a.work.attempt());
                return;
            } catch (CoordinatorUnreachableException ex) {
                backoff = pause("checkpoint upload", ex, backoff);
            } catch (CoordinatorRefusedException | IOException ex) {
                log.warn(
                        "job {} attempt {}: final checkpoint not stored: {}",
                        a.work.jobId(),
                        a.work.attempt(),
                        ex.getMessage());
                return;
            }
        }
    }

    // ---- beat loop: reports first, then the heartbeat ----

    private void beatLoop() {
        long nextBeat = 0;
        long backoff = 500;
        while (running) {
            try {
                sendReports();
                long now = System.currentTimeMillis();
                if (now >= nextBeat) {
                    heartbeat();
                    nextBeat = System.currentTimeMillis() + (attempts.isEmpty() ? idleBeatMillis : heartbeatMillis);
                }
                backoff = 500;
                beatNow.tryAcquire(Math.max(1, nextBeat - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
                beatNow.drainPermits();
            } catch (CoordinatorUnreachableException e) {
                backoff = pause("heartbeat", e, backoff);
            } catch (CoordinatorRefusedException e) {
                backoff = onRefused("heartbeat", e, backoff);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.error("agent {}: beat loop error", machine(), e);
                backoff = pause("heartbeat", e, backoff);
            }
        }
    }

    private void sendReports() throws CoordinatorUnreachableException, CoordinatorRefusedException {
        List<LocalAttempt> done = new ArrayList<>();
        for (LocalAttempt a : attempts.values()) if (a.finished()) done.add(a);
        if (done.isEmpty()) return;
        List<AttemptReport> batch = done.stream().map(LocalAttempt::report).toList();
        ReportReply reply = client.report(new ReportBatch(batch));
        for (ReportResult r : reply.results()) {
            if (!r.accepted()) log.info("job {} attempt {}: report not taken ({})", r.jobId(), r.attempt(), r.reason());
        }
        // Taken or refused as stale/already reported: either way the coordinator has decided.
        for (LocalAttempt a : done) forget(a);
    }

    private void forget(LocalAttempt a) {
        attempts.remove(a.work.fencingToken());
        deleteQuietly(a.workDir);
        deleteQuietly(a.stdout);
        deleteQuietly(a.stderr);
    }

    private void heartbeat() throws CoordinatorUnreachableException, CoordinatorRefusedException {
        List<AttemptStatus> held = attempts.values().stream()
                .sorted(Comparator.comparingLong(a -> a.work.fencingToken()))
                .map(a -> new AttemptStatus(
                        a.work.jobId(),
                        a.work.attempt(),
                        a.work.fencingToken(),
                        a.wireState(),
                        a.cpuSecondsSinceCheckpoint()))
                .toList();
        DeskView deskNow = desk();
        HeartbeatReply reply = client.heartbeat(new Heartbeat(
                config.cpuMillis() / 1000.0,
                config.memoryBytes(),
                sandbox.kind(),
                sandbox.note(),
                held,
                criu.describe(),
                deskNow,
                deskVm == null ? null : deskVmView(),
                labels));
        writeOwnerStatus(deskNow, reply.overloadUntil());
        org.cyphon.core.desk.OwnerOutlook outlook =
                new org.cyphon.core.desk.OwnerOutlook(reply.ownerExpectedBy(), reply.awayUntil());
        if (!outlook.equals(ownerOutlook)) {
            // The track record's expectation moved (a new forecast, a declared absence): the desk VM's schedule may
            // change.
            ownerOutlook = outlook;
            DeskKeeper k = deskKeeper;
            if (k != null) k.reconsider();
        }
        java.time.Instant overload = reply.overloadUntil();
        if (!java.util.Objects.equals(overload, overloadUntil)) {
            log.info("agent {}: overload mode {}", machine(), overload == null ? "off" : "on until " + overload);
            overloadUntil = overload;
            DeskKeeper k = deskKeeper;
            if (k != null) k.reconsider();
        }
        if (reply.leaseExpiresAt() != null) {
            long lease = reply.leaseExpiresAt().toEpochMilli() - System.currentTimeMillis();
            idleBeatMillis = Math.max(heartbeatMillis, lease / 3);
        }
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
                job = a.stop(why); // null while still starting: launch() kills it once started
            }
            log.info("job {} attempt {} on {}: stopping ({})", stop.jobId(), stop.attempt(), machine(), why);
            if (job != null) threads.execute(job::kill); // kill() waits for the tree to die; keep beating meanwhile
        }
    }

    /** For {@code cyphon status} at the desk; a failure to write it never stops the beat. */
    private void writeOwnerStatus(DeskView deskNow, java.time.Instant overload) {
        List<String> jobs = attempts.values().stream()
                .filter(a -> !a.finished())
                .sorted(Comparator.comparingLong(a -> a.work.jobId()))
                .map(a -> "job " + a.work.jobId() + ": " + a.policyStateName())
                .toList();
        try {
            new OwnerStatusFile(machine(), java.time.Instant.now(), deskNow, jobs, overload).write(config.stateDir());
        } catch (IOException | RuntimeException e) {
            log.debug("agent {}: owner status not written: {}", machine(), e.toString());
        }
    }

    // ---- ship loop: new output of running attempts ----

    private void shipLoop() {
        while (running) {
            try {
                Thread.sleep(config.uploadEvery().toMillis());
                for (LocalAttempt a : attempts.values()) {
                    if (a.hasLiveJob()) {
                        synchronized (a.shipping) {
                            shipper.ship(a);
                        }
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (CoordinatorUnreachableException e) {
                // The beat loop reports the outage; shipping resumes from the same offsets.
            } catch (RuntimeException e) {
                log.error("agent {}: ship loop error", machine(), e);
            }
        }
    }

    // ---- shared ----

    private long pause(String what, Exception e, long backoff) {
        log.warn(
                "agent {}: {} failed ({}); retrying in {} ms, jobs keep running",
                machine(),
                what,
                e.getMessage(),
                backoff);
        try {
            Thread.sleep(backoff);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
        return Math.min(backoff * 2, 10_000);
    }

    private long onRefused(String what, CoordinatorRefusedException e, long backoff) {
        if (e.status() == 401 && config.enrollToken() != null) {
            log.warn("agent {}: coordinator no longer knows our token; enrolling again", machine());
            try {
                enroll();
                return 500;
            } catch (Exception again) {
                return pause("re-enrollment", again, backoff);
            }
        }
        return pause(what, e, backoff);
    }

    private static void deleteQuietly(Path p) {
        try {
            if (Files.isDirectory(p)) {
                try (var walk = Files.walk(p)) {
                    walk.sorted(Comparator.reverseOrder())
                            .forEach(x -> x.toFile().delete());
                }
            } else {
                Files.deleteIfExists(p);
            }
        } catch (IOException | java.io.UncheckedIOException ignored) {
            // A leftover directory is harmless and cleaned on the next start.
        }
    }

    /**
     * Leaves the pool gracefully: no new work is taken; every running attempt is vacated as the
     * desk policy would (a checkpointing job is asked to checkpoint and given its grace period,
     * its checkpoint stored), and reported, so the coordinator requeues it at once instead of
     * waiting for its lease to expire. Bounded by the checkpoint grace period plus a margin.
     */
    @Override
    public void close() {
        if (!running || closing) return;
        closing = true;
        try {
            heartbeat(); // say "no new work" first, so nothing vacated below is handed straight back to us
        } catch (Exception e) {
            log.warn("agent {}: could not announce the shutdown ({})", machine(), e.getMessage());
        }
        for (LocalAttempt a : attempts.values()) ownerFirst.vacate(a, "agent shutting down");
        long deadline = System.currentTimeMillis() + config.checkpoint().grace().toMillis() + 15_000;
        while (!attempts.isEmpty() && System.currentTimeMillis() < deadline) {
            beatNow.release(); // send the vacated reports as they come
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (!attempts.isEmpty())
            log.warn(
                    "agent {}: {} attempts not reported before stopping; their leases will expire",
                    machine(),
                    attempts.size());
        running = false;
        threads.shutdownNow();
        if (sensors != null) sensors.close();
        if (ownerFirst != null) ownerFirst.close();
        if (deskKeeper != null) deskKeeper.close();
        if (deskVm != null) deskVm.close(); // the VM keeps running; the next agent takes it over
        log.info("agent {}: stopped", machine());
    }
}
