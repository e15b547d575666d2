package org.cyphon.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.cyphon.agent.checkpoint.CheckpointTransfer;
import org.cyphon.agent.checkpoint.CriuAvailability;
import org.cyphon.agent.checkpoint.JobAccountArchiver;
import org.cyphon.agent.client.CoordinatorClient;
import org.cyphon.agent.client.CoordinatorLink;
import org.cyphon.agent.client.CoordinatorRefusedException;
import org.cyphon.agent.config.AgentConfig;
import org.cyphon.agent.config.MachineLabels;
import org.cyphon.agent.desk.DeskCommandClient;
import org.cyphon.agent.gpu.DeskGpus;
import org.cyphon.agent.gpu.GpuWallNote;
import org.cyphon.agent.priority.BackgroundPriority;
import org.cyphon.agent.priority.BackgroundThreads;
import org.cyphon.agent.sandbox.JobAccounts;
import org.cyphon.agent.sandbox.JobUser;
import org.cyphon.agent.sandbox.Sandbox;
import org.cyphon.agent.sandbox.Sandboxes;
import org.cyphon.agent.sensors.RunningSensors;
import org.cyphon.agent.sensors.SensorState;
import org.cyphon.agent.sensors.Sensors;
import org.cyphon.core.owner.Presence;
import org.cyphon.core.policy.InvalidPolicyException;
import org.cyphon.core.policy.PolicySettings;
import org.cyphon.core.protocol.EnrollRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A desktop's agent: watches the desk for its owner, joins the pool, runs the attempts the
 * coordinator assigns in the {@link Sandbox}, and leaves gracefully. This class only assembles the
 * parts, each with one job, and starts their loops:
 * <ul>
 *   <li>{@link OwnerFirst} and the sensors: the desk's own yield loop (core's policy and attempt
 *       lifecycle, carried out by {@link AttemptEffects});</li>
 *   <li>{@link Enrollment}: joining the pool, and again if the coordinator forgets us;</li>
 *   <li>{@link WorkLoop} and {@link Launcher}: long poll, start each attempt, see it to its report;</li>
 *   <li>{@link Heartbeats}: reports and heartbeats, and what each reply asks for;</li>
 *   <li>{@link OutputShipper}: jobs' output, live; {@link JobCheckpoints}: their checkpoints;</li>
 *   <li>{@link OwnersVm}: the owner's desk VM, when {@code [desk]} describes one;</li>
 *   <li>{@link PowerOffs} and {@link BoundedVacate}: leaving in time when the desk powers off,
 *       reboots or sleeps (announced by logind, or by the SIGTERM of a stop).</li>
 * </ul>
 * An unreachable coordinator never stops a job: every loop waits it out with the same
 * {@link Retry}, and jobs keep running, so a coordinator restart costs nothing. Time comes from one
 * injected {@link Clock}.
 */
public final class Agent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Agent.class);
    private static final String VERSION = "0.1.0";
    /** Longest wait at start for every sensor's first look (an X display that does not answer, say). */
    private static final Duration FIRST_LOOK_MAX = Duration.ofSeconds(10);

    private final AgentConfig config;
    private final Sandbox sandbox;
    /** What each heartbeat says of the desk's room for jobs. */
    private final JobRoom room;

    private final CoordinatorLink link;
    private final Shutdown shutdown = new Shutdown();
    private final HeldAttempts attempts = new HeldAttempts();
    private final PoolNews news = new PoolNews();
    private final ExecutorService threads = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("agent-", 0).factory());
    /** The work, beat and ship loops: periodic work at nice 19 (BackgroundPriority), never the freeze path. */
    private final ExecutorService loops =
            Executors.newThreadPerTaskExecutor(new BackgroundThreads("agent-loop", BackgroundPriority.NICE_19));
    /** The owner's desk VM, or null when this machine has none. */
    private final OwnersVm vm;
    /** The desk's events on their way to the coordinator's desk audit log. */
    private final DeskEvents deskEvents;
    /** The agent's desk calls to the coordinator: desk commands, desk events, the owner's away and back. */
    private final DeskCommandClient deskClient;
    /** The owner's own line to the agent, or null when it could not be opened. */
    private final OwnerSocket ownerSocket;

    private final OwnerFirst ownerFirst;
    private final DeskGpus gpus;
    private final RunningSensors sensors;
    private final Enrollment enrollment;
    private final Heartbeats beats;
    private final WorkLoop work;
    private final OutputShipper shipper;
    private final BoundedVacate vacate;
    /** The desk going down: logind's announcements, or the SIGTERM alone. */
    private final PowerOffs power;
    /** Puts the desk to sleep when idle ({@code power.suspend_when_idle}); null when it never sleeps. */
    private volatile DeskSleep deskSleep;

    /**
     * Joins the pool and starts the loops. Waits (retrying) while the coordinator is unreachable;
     * fails at once if it refuses the enrollment token.
     */
    public static Agent start(AgentConfig config)
            throws IOException, CoordinatorRefusedException, InterruptedException {
        // Checked first: plain HTTP off this machine is refused before anything starts.
        // Several coordinators of one pool: move to the next when one is unreachable.
        List<org.cyphon.agent.client.CoordinatorTransport> transports = config.transports();
        CoordinatorLink client = transports.size() == 1
                ? new CoordinatorClient(transports.get(0))
                : new org.cyphon.agent.client.FailoverLink(
                        transports.stream().map(CoordinatorClient::new).toList(),
                        config.coordinators().stream().map(Object::toString).toList());
        // Each agent gets its own cgroup sub-tree, so several agents on one host (tests, `up
        // --agents 2`) never touch each other's jobs, and leftovers can be found by machine.
        var s = config.sandbox();
        Sandbox sandbox = Sandboxes.detect(s.withParent(s.parent() + "/" + config.name()));
        log.info(
                "agent {}: sandbox {}{}",
                config.name(),
                sandbox.kind(),
                sandbox.note().isEmpty() ? "" : " (" + sandbox.note() + ")");
        int reaped = sandbox.reapLeftovers();
        if (reaped > 0)
            log.info("agent {}: killed {} jobs left running by an earlier agent process", config.name(), reaped);
        Agent agent = assemble(config, sandbox, client, Clock.systemUTC());
        agent.loops.execute(agent.work::run);
        agent.loops.execute(agent.beats::run);
        agent.loops.execute(agent.shipper::run);
        DeskSleep sleep = agent.deskSleep;
        if (sleep != null) agent.loops.execute(sleep::run);
        agent.deskEvents.sendTo(agent.deskClient::sendEvents);
        return agent;
    }

    /**
     * Everything but the loops: the desk watched (owner-first loop and sensors, before any job can
     * start), the desk VM kept, the pool joined. Tests drive the parts from here, against any link.
     */
    static Agent assemble(AgentConfig config, Sandbox sandbox, CoordinatorLink link, Clock clock)
            throws IOException, CoordinatorRefusedException, InterruptedException {
        Files.createDirectories(config.stateDir().resolve("work"));
        Files.createDirectories(config.stateDir().resolve("output"));
        // Jobs (another user when the agent is root) must pass through the state dir and work/ to
        // their own working directories, but list nothing: 0711. output/ is the agent's alone (the
        // job writes through descriptors the agent opened), so no job reads another's output.
        StateDirModes.apply(config.stateDir());
        // The policy is checked before anything joins the pool: a bad CEL expression stops the agent
        // here, naming the key, line and column.
        PolicySettings policy;
        try {
            policy = PolicySettings.fromConfig(config.policy());
        } catch (InvalidPolicyException e) {
            throw new IllegalArgumentException("agent.toml: " + e.getMessage(), e);
        }
        Agent agent = new Agent(config, sandbox, policy, link, clock);
        try {
            agent.enrollment.join();
        } catch (IOException | CoordinatorRefusedException | InterruptedException | RuntimeException e) {
            agent.release();
            throw e;
        }
        if (agent.vm != null) agent.vm.serve(agent.deskClient);
        return agent;
    }

    private Agent(AgentConfig config, Sandbox sandbox, PolicySettings policy, CoordinatorLink link, Clock clock) {
        this.config = config;
        this.sandbox = sandbox;
        this.link = link;
        CriuAvailability criu = CriuAvailability.detect(config.checkpoint().criu());
        log.info("agent {}: transparent checkpointing (CRIU): {}", config.name(), criu.describe());
        this.vm = config.desk() != null ? OwnersVm.open(config) : null;

        // The desk is watched before any job can start.
        this.ownerFirst = new OwnerFirst(
                policy,
                clock,
                config.cpuMillis() / 1000.0,
                attempts.all(),
                new AttemptEffects(threads),
                new OwnerFirst.Listener() {
                    @Override
                    public void startChanged(boolean allowed) {
                        beatSoon(); // the coordinator should know at once that this desk takes work again (or not)
                    }

                    @Override
                    public void presenceChanged(boolean present) {
                        if (vm != null) vm.reconsider();
                        DeskSleep sleep = deskSleep; // null until assembled, and on desks that never sleep
                        if (sleep != null) sleep.ownerChanged();
                    }
                });
        this.gpus = DeskGpus.open(config.gpu());
        log.info(
                "agent {}: GPUs: {}{}",
                config.name(),
                gpus.gpus().size(),
                gpus.status().equals("ok") ? "" : " (" + gpus.status() + ")");
        this.sensors = Sensors.start(
                config.sensors(),
                attempts::jobCpuSeconds,
                attempts::jobsRunning,
                config.sandbox().cgroupRoot(),
                "cgroup-v2".equals(sandbox.kind()) ? config.sandbox().parent() : null,
                gpus,
                new JobsOwnProcesses(attempts, config.sensors().procDir()),
                config.desk() != null ? config.desk().presenceSocket() : null,
                ownerFirst::signal,
                clock);
        for (SensorState st : sensors.states())
            log.info("agent {}: sensor {}: {}", config.name(), st.name(), st.running() ? "running" : st.status());
        decideHeadless();
        this.deskEvents = new DeskEvents(config.stateDir().resolve("desk-events.jsonl"));
        this.deskClient = new DeskCommandClient(
                config.transport(),
                () -> AgentCredentials.load(config.stateDir())
                        .map(c -> new DeskCommandClient.Identity(c.machine(), c.token()))
                        .orElse(null));
        if (vm != null) {
            vm.keep(
                    () -> {
                        Presence p = ownerFirst.presence();
                        // The owner's claim of the whole machine counts as them being here.
                        return new DeskKeeper.OwnerNow(ownerFirst.ownerHere(), p.idleFor());
                    },
                    news,
                    clock,
                    deskEvents::add,
                    this::beatSoon);
            vm.listenForSession(ownerFirst::signal, clock);
        }
        OwnerActions owner = new OwnerActions(
                ownerFirst,
                vm == null ? null : vm::view,
                deskClient,
                deskEvents::add,
                this::beatSoon,
                config.stateDir(),
                clock);
        owner.resume();
        this.ownerSocket = openOwnerSocket(config, owner);

        Retry retry = new Retry(config.name(), () -> !shutdown.stopped());
        // What keeps a job from GPUs not its own, in the note admins read, on desks with GPUs.
        String sandboxNote = GpuWallNote.note(
                sandbox.note(), sandbox.deviceWall(), gpus.nodes().any());
        this.enrollment = new Enrollment(config, link, enrollRequest(config, sandbox, sandboxNote, criu), retry);
        String policyName = config.policy().getOrDefault("preset", "desktop");
        DeskReport desk = new DeskReport(
                ownerFirst,
                sensors::states,
                policyName,
                shutdown,
                news,
                vm,
                attempts,
                config.owner(),
                config.stateDir(),
                clock,
                this::powerView);
        // What this desk mounts from the office server: told to the coordinator with every beat.
        org.cyphon.agent.files.SharedStorage storage = org.cyphon.agent.files.SharedStorage.of(config.storage());
        JobAccounts accounts = Launcher.accountsFor(config);
        this.room = new JobRoom(config, sandbox, accounts, attempts);
        this.beats = new Heartbeats(
                config,
                link,
                sandbox,
                criu.describe(),
                MachineLabels.of(config.labels()),
                attempts,
                desk,
                vm,
                news,
                ownerFirst,
                enrollment,
                retry,
                shutdown,
                threads,
                clock,
                storage::available,
                room,
                sandboxNote,
                gpus);
        CheckpointTransfer transfer;
        try {
            transfer = new CheckpointTransfer(
                    link,
                    config.stateDir().resolve("checkpoints"),
                    config.checkpoint().maxBytes(),
                    // A root agent's jobs run as other accounts, which pack and restore their own checkpoints.
                    JobUser.currentUid() == 0
                            ? JobAccountArchiver.prepare(config.stateDir().resolve("job-side"))
                            : null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + config.stateDir().resolve("checkpoints"), e);
        }
        this.shipper = new OutputShipper(link, attempts, config.uploadEvery(), retry, shutdown);
        AttemptFiles files;
        try {
            files = new AttemptFiles(
                    link,
                    retry,
                    storage,
                    new org.cyphon.agent.files.InputCache(
                            config.storage().cacheDirIn(config.stateDir()),
                            config.storage().cacheSize(),
                            clock));
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot prepare the input cache " + config.storage().cacheDirIn(config.stateDir()), e);
        }
        Launcher launcher = new Launcher(
                config,
                link::machine,
                sandbox,
                attempts,
                transfer,
                new JobCheckpoints(retry, shutdown, files),
                shipper,
                ownerFirst,
                this::beatSoon,
                threads,
                clock,
                files,
                accounts,
                gpus);
        this.work = new WorkLoop(link, attempts, launcher, beats, enrollment, retry, shutdown, threads);
        BoundedVacate vacate = new BoundedVacate(config.name(), attempts, ownerFirst, beats, vm, threads, clock);
        this.vacate = vacate;
        this.power = new PowerOffs(config, shutdown, vacate, vm, beats);
        power.watch();
        if (config.power().sleeps()) {
            var sleepConfig = config.power();
            var logind = new org.cyphon.agent.power.LogindSleep(config.sensors().dbusAddress());
            this.deskSleep = new DeskSleep(
                    sleepConfig,
                    ownerFirst,
                    attempts,
                    desk,
                    link,
                    beats,
                    () -> org.cyphon.agent.power.NetworkCards.ofThisMachine().read(sleepConfig.wakeBroadcast()),
                    how -> logind.sleep(how, DeskSleep.START_WITHIN, DeskSleep.RESUME_WITHIN),
                    shutdown,
                    clock);
        }
    }

    /** What {@code cyphon machine} shows of power-offs here; null while the parts are still being assembled. */
    org.cyphon.core.protocol.DeskView.PowerView powerView() {
        PowerOffs p = power;
        return p == null ? null : p.view();
    }

    /**
     * Whether anyone can sit at this machine, decided from what the sensors report at start: it
     * waits for their first look (as long as the slowest takes, at most {@link #FIRST_LOOK_MAX}).
     */
    private void decideHeadless() {
        try {
            if (!sensors.awaitFirstLook(FIRST_LOOK_MAX))
                log.info(
                        "agent {}: some sensor has not reported after {}; deciding from what the others saw",
                        config.name(),
                        FIRST_LOOK_MAX);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (ownerFirst.decideHeadless())
            log.info(
                    "agent {}: no sensor sees a keyboard, mouse, display or local session: a headless machine, nobody at it",
                    config.name());
    }

    /** The owner's socket; a desk without it still runs, the owner's actions then need a token. */
    private static OwnerSocket openOwnerSocket(AgentConfig config, OwnerActions owner) {
        try {
            OwnerSocket socket = new OwnerSocket(config.stateDir(), config.owner(), owner::serve);
            log.info(
                    "agent {}: the owner's socket is {} (serving {})",
                    config.name(),
                    socket.path(),
                    config.owner() == null ? "root only: no owner in agent.toml" : config.owner() + " and root");
            return socket;
        } catch (IOException e) {
            log.warn(
                    "agent {}: no owner socket ({}): cyphon claim and cyphon desk status do not work here",
                    config.name(),
                    e.getMessage());
            return null;
        }
    }

    private static EnrollRequest enrollRequest(
            AgentConfig config, Sandbox sandbox, String sandboxNote, CriuAvailability criu) {
        return new EnrollRequest(
                config.name(),
                config.cpuMillis() / 1000.0,
                config.memoryBytes(),
                sandbox.kind(),
                sandboxNote,
                VERSION,
                criu.describe(),
                config.owner(),
                // The desk's own clock zone: its track record counts the owner's local hours.
                ZoneId.systemDefault().getId(),
                // What the machine has, whatever agent.toml says: the coordinator flags claims beyond it.
                new org.cyphon.core.protocol.MeasuredResources(
                        Runtime.getRuntime().availableProcessors(),
                        org.cyphon.agent.config.MachineFacts.totalMemoryBytes(),
                        MachineLabels.detected()),
                // Placement keeps to it from the first pass, before the first heartbeat says it again.
                config.sandbox().maxJobs());
    }

    private void beatSoon() {
        Heartbeats b = beats; // null while the parts are still being assembled
        if (b != null) b.soon();
    }

    public String machine() {
        return link.machine();
    }

    public String sandboxKind() {
        return sandbox.kind();
    }

    /** Attempts this agent holds now (running, or finished and not yet reported). */
    public int attemptCount() {
        return attempts.size();
    }

    HeldAttempts attempts() {
        return attempts;
    }

    Heartbeats heartbeats() {
        return beats;
    }

    JobRoom jobRoom() {
        return room;
    }

    WorkLoop workLoop() {
        return work;
    }

    OwnerFirst ownerFirst() {
        return ownerFirst;
    }

    /** Null on a desk that never sleeps. */
    DeskSleep deskSleep() {
        return deskSleep;
    }

    DeskEvents deskEvents() {
        return deskEvents;
    }

    /** The owner's desk VM, or null when this machine has none. */
    OwnersVm ownersVm() {
        return vm;
    }

    /** The owner's socket's path, or null when there is none. */
    java.nio.file.Path ownerSocketPath() {
        return ownerSocket == null ? null : ownerSocket.path();
    }

    /**
     * Leaves the pool gracefully: no new work is taken; every running attempt is vacated as the
     * desk policy would (a checkpointing job is asked to checkpoint and given its grace period,
     * its checkpoint stored), and reported, so the coordinator requeues it at once instead of
     * waiting for its lease to expire. Bounded by the checkpoint grace period plus a margin.
     */
    @Override
    public void close() {
        if (!shutdown.begin()) return;
        try {
            var o = vacate.run("agent shutting down", power.stopBound(), false);
            if (o.unreported() > 0)
                log.warn(
                        "agent {}: {} attempts not reported before stopping; their leases will expire",
                        machine(),
                        o.unreported());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        release();
        log.info("agent {}: stopped", machine());
    }

    /** Stops every loop and thread and lets go of the sensors and the desk VM (which keeps running). */
    private void release() {
        shutdown.finish();
        power.close(); // lets go of the delay lock: a stopped agent holds no shutdown up
        threads.shutdownNow();
        loops.shutdownNow();
        sensors.close();
        ownerFirst.close();
        if (ownerSocket != null) ownerSocket.close();
        deskEvents.close();
        if (vm != null) vm.close(); // the VM keeps running; the next agent takes it over
    }
}
