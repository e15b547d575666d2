package org.cyphon.coordinator;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicBoolean;
import org.cyphon.coordinator.agents.ApplyReports;
import org.cyphon.coordinator.agents.EnrollMachine;
import org.cyphon.coordinator.agents.ProcessHeartbeat;
import org.cyphon.coordinator.auth.Authenticate;
import org.cyphon.coordinator.auth.DataDirTokens;
import org.cyphon.coordinator.auth.MintToken;
import org.cyphon.coordinator.checkpoints.CheckpointFiles;
import org.cyphon.coordinator.checkpoints.DeleteFinishedCheckpoints;
import org.cyphon.coordinator.checkpoints.FetchCheckpoint;
import org.cyphon.coordinator.checkpoints.JobLocks;
import org.cyphon.coordinator.checkpoints.StoreCheckpoint;
import org.cyphon.coordinator.http.ApiServer;
import org.cyphon.coordinator.http.Services;
import org.cyphon.coordinator.jobs.ChangeJobState;
import org.cyphon.coordinator.jobs.ReadJobs;
import org.cyphon.coordinator.jobs.SubmitJobs;
import org.cyphon.coordinator.leases.ExpireLeases;
import org.cyphon.coordinator.logs.OutputFiles;
import org.cyphon.coordinator.logs.ReadOutput;
import org.cyphon.coordinator.logs.UploadOutput;
import org.cyphon.coordinator.machines.DrainMachine;
import org.cyphon.coordinator.machines.ReadMachines;
import org.cyphon.coordinator.metrics.CoordinatorMetrics;
import org.cyphon.coordinator.schedule.RedeliverUnfetchedWork;
import org.cyphon.coordinator.schedule.SchedulingLoop;
import org.cyphon.coordinator.schedule.WorkMailboxes;
import org.cyphon.coordinator.store.AttemptTable;
import org.cyphon.coordinator.store.Database;
import org.cyphon.coordinator.tls.ServerIdentity;
import org.cyphon.coordinator.tls.ServerTls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running coordinator: the store, the scheduler, the lease keeper and the HTTP API.
 *
 * <p>{@link #start} migrates the database, makes the admin and enrollment tokens on first start
 * (files in the data dir, mode 0600), gives every live attempt a fresh lease (agents could not
 * reach us while we were down), hands out again any work no agent acknowledged, deletes checkpoint
 * files no stored checkpoint names (and from then on those of finished jobs), deletes stored files
 * no row names (and from then on those no job needs, after a grace period), and starts serving:
 * plain HTTP on loopback, HTTPS on any other address ({@link ServerTls}).
 * {@link #close} stops it all and closes the database; a kill -9 instead loses nothing committed.
 *
 * <p>{@link #startStepped} is the same coordinator without the threads that do its
 * {@link PeriodicWork}: its caller (a test with a clock it moves) calls the steps itself.
 */
public final class Coordinator implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Coordinator.class);

    private final String url;
    private final int port;
    private final DataDirTokens tokens;
    private final WorkMailboxes mailboxes;
    private final Deque<AutoCloseable> parts;
    private final AtomicBoolean closed = new AtomicBoolean();
    private org.cyphon.coordinator.profile.TrackRecord trackRecord;
    private PeriodicWork periodicWork;
    private String caFingerprint;
    private java.util.List<String> routes;

    private Coordinator(
            String url, int port, DataDirTokens tokens, WorkMailboxes mailboxes, Deque<AutoCloseable> parts) {
        this.url = url;
        this.mailboxes = mailboxes;
        this.port = port;
        this.tokens = tokens;
        this.parts = parts;
    }

    public static Coordinator start(CoordinatorConfig config) throws Exception {
        return start(config, Clock.systemUTC());
    }

    /** @param clock every decision's "now" */
    public static Coordinator start(CoordinatorConfig config, Clock clock) throws Exception {
        return start(config, clock, true);
    }

    /**
     * A coordinator whose {@link #periodicWork} no thread of its own does: leases run out, the
     * periodic pass runs and finished checkpoints go only when the caller calls those steps. For
     * tests: they move {@code clock}, then step, and never wait for a thread's next turn.
     */
    public static Coordinator startStepped(CoordinatorConfig config, Clock clock) throws Exception {
        return start(config, clock, false);
    }

    private static Coordinator start(CoordinatorConfig config, Clock clock, boolean ownThreads) throws Exception {
        Path dataDir = config.dataDir().toAbsolutePath().normalize();
        // Private whatever the umask: the database, jobs' environments, output, checkpoints, tokens
        // and the secrets key live here. Made before the database opens, so H2's files are born inside.
        org.cyphon.coordinator.files.PrivateFiles.traversableDirectory(dataDir);
        org.cyphon.coordinator.files.PrivateFiles.directory(dataDir.resolve("db"));
        org.cyphon.coordinator.files.TightenDataDir.run(dataDir);
        Deque<AutoCloseable> parts = new ArrayDeque<>(); // closed in reverse order of opening
        try {
            Database db =
                    Database.open(config.jdbcUrl(), config.storeUser(), config.storePassword(), config.poolSize());
            parts.push(db);
            // Closed after the loop and the periodic work (pushed after them), before the database:
            // a clean stop hands the lead over at once.
            org.cyphon.coordinator.ha.LeaderLease leaderLease = new org.cyphon.coordinator.ha.LeaderLease(
                    db.dataSource(),
                    clock,
                    config.leaderLease(),
                    db.dialect() == org.cyphon.coordinator.store.Dialect.H2);
            parts.push(leaderLease);
            org.cyphon.coordinator.files.TightenDataDir.databaseFiles(dataDir.resolve("db"));
            DataDirTokens tokens = DataDirTokens.load(dataDir, db, clock);
            int refreshed = db.transactions()
                    .write(c -> AttemptTable.extendAllLive(
                            c, clock.millis() + config.lease().toMillis()));
            if (refreshed > 0) log.info("{} live attempt(s) given a fresh lease after the restart", refreshed);

            CoordinatorMetrics metrics = new CoordinatorMetrics();
            WorkMailboxes mailboxes = new WorkMailboxes();
            parts.push(mailboxes);
            metrics.longPollsWaiting(mailboxes::waitingPolls);
            metrics.storeWriter(db.transactions());
            org.cyphon.coordinator.profile.TrackRecord trackRecord = new org.cyphon.coordinator.profile.TrackRecord(
                    db, clock, config.lease(), config.historyRetention(), java.time.ZoneId.systemDefault());
            parts.push(trackRecord);
            // Desks that sleep: restored from the store, woken by magic packets for queued work.
            org.cyphon.coordinator.power.SleepingDesks sleeping = new org.cyphon.coordinator.power.SleepingDesks();
            java.util.List<org.cyphon.coordinator.store.MachineRow> rows =
                    db.transactions().read(org.cyphon.coordinator.store.MachineTable::all);
            sleeping.restore(rows);
            for (var m : rows)
                if (m.asleep()) trackRecord.restoreAsleep(m.name(), java.time.Instant.ofEpochMilli(m.asleepSince()));
            org.cyphon.coordinator.power.WakeDesk wakeDesk = new org.cyphon.coordinator.power.WakeDesk(
                    db, clock, config.power(), sleeping, new org.cyphon.coordinator.power.MagicPackets());
            // Placement ranks desks by their track record's idle forecast.
            SchedulingLoop loop = new SchedulingLoop(
                    db,
                    clock,
                    config.lease(),
                    mailboxes,
                    metrics,
                    trackRecord::forecastsAt,
                    config.fairShareHalfLife(),
                    new org.cyphon.coordinator.power.WakeForQueuedWork(db, clock, config.power(), sleeping, wakeDesk),
                    leaderLease);
            leaderLease.whenGained(epoch -> loop.leadershipGained());
            parts.push(loop);
            int redelivered = RedeliverUnfetchedWork.run(db, mailboxes);
            if (redelivered > 0) log.info("{} unacknowledged assignment(s) offered to their agents again", redelivered);
            loop.start();

            Authenticate auth = new Authenticate(db.transactions(), clock);
            OutputFiles output = new OutputFiles(dataDir.resolve("logs"), config.maxLogBytes());
            CheckpointFiles checkpointFiles =
                    new CheckpointFiles(dataDir.resolve("checkpoints"), config.maxCheckpointBytes());
            JobLocks checkpointLocks = new JobLocks();
            DeleteFinishedCheckpoints sweeper = new DeleteFinishedCheckpoints(db, checkpointFiles, checkpointLocks);
            // Clearing files no row names is safe only when no other coordinator may be writing one
            // (they share the data dir): alone, before we serve.
            boolean alone = !org.cyphon.coordinator.ha.LeaderLease.othersAlive(db, clock, config.leaderLease());
            if (alone) sweeper.start();
            org.cyphon.coordinator.files.BlobFiles blobFiles =
                    new org.cyphon.coordinator.files.BlobFiles(dataDir.resolve("files"));
            org.cyphon.coordinator.files.CollectUnusedBlobs collector =
                    new org.cyphon.coordinator.files.CollectUnusedBlobs(db, clock, blobFiles, config.files());
            if (alone) collector.start();
            else log.info("other coordinators are running on this store: files no row names are left for later");
            org.cyphon.coordinator.schedule.DeliverStoredWork storedWork =
                    new org.cyphon.coordinator.schedule.DeliverStoredWork(db, mailboxes, leaderLease);
            PeriodicWork periodic = new PeriodicWork(
                    new ExpireLeases(db, clock, config.lease(), loop, metrics, leaderLease),
                    config.lease(),
                    loop,
                    sweeper,
                    collector,
                    leaderLease,
                    storedWork,
                    new org.cyphon.coordinator.jobs.ArchiveOldJobs(db, clock, config.jobHistoryRetention()));
            parts.push(periodic); // its threads stop before the loop and the database they use
            if (ownThreads) periodic.startThreads();
            org.cyphon.coordinator.secrets.SecretsKey secrets =
                    org.cyphon.coordinator.secrets.SecretsKey.loadOrCreate(dataDir);
            org.cyphon.coordinator.jobs.JobVisibility visibility =
                    new org.cyphon.coordinator.jobs.JobVisibility(config.privacy(), secrets);
            ReadJobs readJobs = new ReadJobs(db, clock, loop, visibility);
            org.cyphon.coordinator.machines.DeskReports desks = new org.cyphon.coordinator.machines.DeskReports();
            org.cyphon.coordinator.overload.Overload overload = new org.cyphon.coordinator.overload.Overload(db, clock);
            org.cyphon.coordinator.profile.TrackRecordApi trackRecordApi =
                    org.cyphon.coordinator.profile.TrackRecordApi.over(trackRecord);
            ReadMachines readMachines = new ReadMachines(
                    db,
                    clock,
                    config.lease(),
                    desks,
                    overload::current,
                    trackRecordApi.views(),
                    (machine, now) -> sleeping.view(machine, now, config.power().wakeTimeout()));
            org.cyphon.coordinator.desk.DeskControl deskControl = new org.cyphon.coordinator.desk.DeskControl(
                    db, clock, auth, readMachines, desks, config.longPollMax());
            parts.push(deskControl);
            // Chosen before the services: join lines carry the CA's fingerprint.
            org.cyphon.coordinator.simulate.RunSimulations simulations =
                    new org.cyphon.coordinator.simulate.RunSimulations(dataDir.resolve("traces"));
            parts.push(simulations);
            ServerIdentity tls = ServerTls.choose(config.listen(), config.tls(), dataDir, clock.instant());
            Services services = new Services(
                    auth,
                    new SubmitJobs(db, clock, config.maxAttempts(), loop, metrics, secrets, config.files()),
                    readJobs,
                    new ChangeJobState(db, clock, loop, mailboxes, metrics, readJobs),
                    new ReadOutput(db, output, visibility),
                    readMachines,
                    new DrainMachine(db, loop, readMachines),
                    new MintToken(db, clock, auth),
                    new EnrollMachine(
                            db,
                            clock,
                            config.heartbeat(),
                            config.lease(),
                            auth,
                            loop,
                            metrics,
                            trackRecord,
                            config.joinApprove()),
                    new ProcessHeartbeat(
                            db,
                            clock,
                            config.lease(),
                            loop,
                            metrics,
                            mailboxes,
                            desks,
                            overload::activeUntil,
                            trackRecord,
                            sleeping),
                    new ApplyReports(db, clock, loop, metrics),
                    new UploadOutput(db, output, clock),
                    new StoreCheckpoint(db, clock, checkpointFiles, checkpointLocks),
                    new FetchCheckpoint(db, clock, checkpointFiles, checkpointLocks),
                    mailboxes,
                    deskControl,
                    metrics,
                    config.longPollMax(),
                    overload,
                    trackRecordApi,
                    new org.cyphon.coordinator.machines.LabelMachine(db, loop, readMachines),
                    loop,
                    // The CA fingerprint join lines carry: null on plain HTTP.
                    new org.cyphon.coordinator.auth.JoinSecrets(
                            db,
                            clock,
                            () -> tls == null ? null : tls.caFingerprint().text()),
                    new org.cyphon.coordinator.auth.ListTokens(db),
                    new org.cyphon.coordinator.auth.RevokeTokens(db, auth),
                    new org.cyphon.coordinator.machines.MachineIdentity(
                            db, clock, config.lease(), auth, loop, metrics, trackRecord, readMachines),
                    secrets,
                    new org.cyphon.coordinator.files.FileServices(
                            config.files(),
                            new org.cyphon.coordinator.files.UploadBlobs(db, clock, blobFiles, config.files()),
                            new org.cyphon.coordinator.files.ServeBlobs(db, blobFiles),
                            new org.cyphon.coordinator.files.RecordOutputs(db, clock, config.files()),
                            new org.cyphon.coordinator.files.ListOutputs(db, clock, config.files()),
                            new org.cyphon.coordinator.files.SharedStorageSeen(db, clock, config.lease())),
                    new org.cyphon.coordinator.power.GoToSleep(db, clock, loop, mailboxes, sleeping, trackRecord),
                    wakeDesk,
                    simulations,
                    new org.cyphon.coordinator.harvest.ReadHarvest(db, clock),
                    new org.cyphon.coordinator.ha.ListCoordinators(db, clock, leaderLease),
                    config.poolSize());
            ApiServer server = ApiServer.start(
                    config.listen(), config.port(), config.maxBodyBytes(), config.bodyTimeout(), services, tls);
            parts.push(server);
            String url = (tls == null ? "http://" : "https://") + urlHost(config.listen()) + ":" + server.port();
            // Named by its address, so a coordinator restarted there takes its own lead back at once.
            String coordinatorId = org.cyphon.coordinator.ha.CoordinatorId.of(config.listen(), server.port());
            metrics.leader(coordinatorId, leaderLease::epoch);
            leaderLease.begin(coordinatorId, url);
            log.info(
                    "coordinator listening on {} (data dir {}, database {})", url, dataDir, describe(config.jdbcUrl()));
            Coordinator started = new Coordinator(url, server.port(), tokens, mailboxes, parts);
            started.caFingerprint = tls == null ? null : tls.caFingerprint().text();
            started.trackRecord = trackRecord;
            started.periodicWork = periodic;
            started.routes = server.routes();
            return started;
        } catch (Exception | Error e) {
            closeAll(parts);
            throw e;
        }
    }

    public int port() {
        return port;
    }

    /**
     * {@code sha256:<hex>} of the DER of the CA certificate desks and users pin (the last of the
     * chain served), or null when the coordinator serves plain HTTP (loopback).
     */
    public String caFingerprint() {
        return caFingerprint;
    }

    /** {@code http(s)://HOST:PORT}, with 127.0.0.1 when listening on every address. */
    public String url() {
        return url;
    }

    /** Every desk's track record: the scheduler asks it for {@code forecastsAt(now)}. */
    public org.cyphon.coordinator.profile.TrackRecord trackRecord() {
        return trackRecord;
    }

    /**
     * The steps of the work done because time passes (lease expiry, the periodic pass, checkpoint
     * deletion); a coordinator from {@link #startStepped} does them only when they are called.
     */
    public PeriodicWork periodicWork() {
        return periodicWork;
    }

    /** Every HTTP route, "METHOD /path/{param}": what a test that attacks them all must reach. */
    public java.util.List<String> routes() {
        return routes;
    }

    /** The contents of {@code dataDir/admin.token}. */
    public String adminToken() {
        return tokens.admin();
    }

    /** The contents of {@code dataDir/enroll.token}. */
    public String enrollToken() {
        return tokens.enroll();
    }

    /** Stops HTTP, the loops and the long polls, then closes the database. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            mailboxes.close(); // long polls end first, so the HTTP server has no request left to wait for
            closeAll(parts);
            log.info("coordinator stopped");
        }
    }

    private static void closeAll(Deque<AutoCloseable> parts) {
        while (!parts.isEmpty()) {
            AutoCloseable p = parts.pop();
            try {
                p.close();
            } catch (Exception e) {
                log.warn("while stopping {}: {}", p.getClass().getSimpleName(), e.toString());
            }
        }
    }

    private static String urlHost(String listen) {
        if (listen.equals("0.0.0.0") || listen.equals("::") || listen.equals("[::]")) return "127.0.0.1";
        if (listen.contains(":") && !listen.startsWith("[")) return "[" + listen + "]";
        return listen;
    }

    private static String describe(String jdbcUrl) {
        int semi = jdbcUrl.indexOf(';');
        int q = jdbcUrl.indexOf('?');
        int cut = semi < 0 ? q : q < 0 ? semi : Math.min(semi, q);
        return cut < 0 ? jdbcUrl : jdbcUrl.substring(0, cut);
    }
}
