package org.cyphon.bench;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.cyphon.core.protocol.JobList;

/**
 * One scale measurement: a coordinator process on H2 or PostgreSQL, {@code jobs} submitted up
 * front, {@code agents} simulated agents on the real protocol (enroll, a 25 s work long poll,
 * heartbeats at the interval the coordinator gives, spread over it), every job dispatched and
 * completed, then a stretch of heartbeats alone. Measured at each point: the time of {@code cyphon
 * q}'s request, the coordinator's resident memory, the database's size.
 */
final class ScaleRun {
    static final String COORDINATOR = "coordinator";
    static final String LOAD_GENERATOR = "load generator";
    /** What {@code cyphon q} asks by default: the unfinished jobs, the coordinator's default limit. */
    static final String Q_PATH = "/jobs?state=waiting,queued,running,suspended,held";

    /** {@code cyphon q}'s request timed {@code n} times, and the CLI itself (its own JVM) once. */
    record QueryTiming(String when, LatencySamples api, long cliNanos, String cliTail) {}

    /** Resident memory (kB) and database size (bytes) at a point of the run. */
    record Footprint(String when, long rssKb, long dbBytes) {}

    record Result(
            String coordinatorHow,
            String storeHow,
            long heartbeatMillis,
            JobSubmitter.Submitted submitted,
            long enrollNanos,
            DispatchTally tally,
            LatencySamples heartbeatsFirst,
            LatencySamples heartbeatsDispatching,
            LatencySamples heartbeatsIdle,
            CoordinatorBeatCounts.Window countedDispatching,
            CoordinatorBeatCounts.Window countedIdle,
            LatencySamples healthDispatching,
            LatencySamples healthIdle,
            List<QueryTiming> queries,
            List<Footprint> footprints,
            long peakRssKb,
            CpuAccount.Usage dispatchCpu,
            String loadBefore,
            String loadAfter,
            String check,
            boolean checked) {

        double jobsPerSecond() {
            return tally.expected() / (tally.elapsedNanos() / 1e9);
        }

        boolean verified() {
            return checked && tally.refused() == 0 && tally.acceptedTwice() == 0 && tally.stopsUnexpected() == 0;
        }
    }

    private ScaleRun() {}

    static Result measure(ScaleSettings s, ScratchDir dir) throws Exception {
        CyphonLauncher launcher = CyphonLauncher.fromSystemProperty();
        if (s.postgres()) BulkStore.requireReadable(s.pgPasswordFile());
        String loadBefore = MachineLoad.now();
        try (BulkStore store = s.postgres()
                        ? BulkStore.postgresql(s.pgUrl(), s.pgUser(), s.pgPasswordFile())
                        : BulkStore.h2();
                CoordinatorProcess c = start(launcher, store, dir, s)) {
            String storeHow = store.describe();
            long pid = c.pid().getAsLong();
            ProcessMeter meter = new ProcessMeter(pid);
            ApiClient admin = new ApiClient(ApiClient.newHttpClient(), c.url(), c.adminToken());
            List<QueryTiming> queries = new ArrayList<>();
            List<Footprint> footprints = new ArrayList<>();

            JobSubmitter.Template template = new JobSubmitter.Template("bench-scale", List.of("true"), 1, null);
            System.err.println("scale: submitting " + Figures.count(s.jobs()) + " jobs...");
            JobSubmitter.Submitted submitted = JobSubmitter.submit(admin, template, s.jobs());
            footprints.add(footprint("after submitting " + Figures.count(s.jobs()), meter, store, c.dataDir()));
            queries.add(timeQ("all queued", s, launcher, c, admin, dir));

            System.err.println("scale: enrolling " + Figures.count(s.agents()) + " agents...");
            long e0 = System.nanoTime();
            List<SimulatedAgent> pool = enrollAll(c, s);
            long enrollNanos = System.nanoTime() - e0;

            DispatchTally tally = new DispatchTally(s.jobs());
            AtomicLong peakRss = new AtomicLong();
            ExecutorService loops = Executors.newVirtualThreadPerTaskExecutor();
            loops.execute(() -> sampleRss(meter, peakRss));
            long beat = pool.get(0).heartbeatMillis();
            HealthProbe health = new HealthProbe(c.url());
            for (SimulatedAgent a : pool) {
                loops.execute(
                        () -> a.heartbeatLoop(tally, ThreadLocalRandom.current().nextLong(beat)));
            }
            // Dispatch starts once every agent's first beat is answered: the coordinator then knows
            // every offer, and the beats timed while dispatching are not the pool's first (9,500
            // desks beating for the first time within two intervals, timed apart).
            long joinDeadline = System.nanoTime() + s.timeout().toNanos();
            while (tally.agentsBeaten() < pool.size() && System.nanoTime() < joinDeadline) Thread.sleep(50);
            LatencySamples heartbeatsFirst = tally.newHeartbeatPhase();
            var unused = health.newPhase();
            System.err.println(
                    "scale: first beats of " + Figures.count(pool.size()) + " desks: " + heartbeatsFirst.summary());

            Map<String, Long> pids = new LinkedHashMap<>();
            pids.put(COORDINATOR, pid);
            pids.put(LOAD_GENERATOR, ProcessHandle.current().pid());
            System.err.println("scale: dispatching...");
            CoordinatorBeatCounts countedAtStart = CoordinatorBeatCounts.read(c.url());
            CpuAccount cpu = CpuAccount.start(pids);
            for (SimulatedAgent a : pool) loops.execute(() -> a.workLoop(tally, s.longPoll()));
            // Midway, as a user would look at a busy queue.
            long started = System.nanoTime();
            boolean finished = tally.awaitAllAccepted(1, TimeUnit.MILLISECONDS);
            while (!finished && tally.remaining() > s.jobs() / 2) {
                finished = tally.awaitAllAccepted(10, TimeUnit.SECONDS);
                progress(tally, started, peakRss);
            }
            if (!finished) {
                queries.add(timeQ("dispatching, half done", s, launcher, c, admin, dir));
                progress("q half done: " + queries.get(queries.size() - 1).api().summary());
            }
            long deadline = System.nanoTime() + s.timeout().toNanos();
            while (!finished && System.nanoTime() < deadline) {
                finished = tally.awaitAllAccepted(10, TimeUnit.SECONDS);
                progress(tally, started, peakRss);
            }
            CpuAccount.Usage dispatchCpu = cpu.stop();
            LatencySamples heartbeatsDispatching = tally.newHeartbeatPhase();
            LatencySamples healthDispatching = health.newPhase();
            CoordinatorBeatCounts countedAtEnd = CoordinatorBeatCounts.read(c.url());
            if (!finished) {
                loops.shutdownNow();
                health.close();
                throw new IllegalStateException("only " + Figures.count(s.jobs() - tally.remaining()) + " of "
                        + Figures.count(s.jobs()) + " jobs completed within " + s.timeout() + " (" + tally.errors()
                        + " errors; first: " + tally.firstError() + ")");
            }

            System.err.println("scale: idle pool for " + s.idle().toSeconds() + " s...");
            Thread.sleep(s.idle().toMillis());
            LatencySamples heartbeatsIdle = tally.newHeartbeatPhase();
            LatencySamples healthIdle = health.newPhase();
            health.close();
            CoordinatorBeatCounts countedAfterIdle = CoordinatorBeatCounts.read(c.url());
            footprints.add(footprint("all completed, pool idle", meter, store, c.dataDir()));
            queries.add(timeQ("all completed", s, launcher, c, admin, dir));
            String loadAfter = MachineLoad.now();

            loops.shutdownNow();
            for (SimulatedAgent a : pool) a.disconnect();
            loops.awaitTermination(s.longPoll().toSeconds() + 30, TimeUnit.SECONDS);

            // Every job accepted once by the agents' count; the coordinator's own: none left unfinished,
            // failed or cancelled (counts stop at 100,000 per state, so the completed are not counted).
            JobList left = admin.get(
                    "/jobs?state=waiting,queued,running,suspended,held,failed,cancelled&limit=1", JobList.class);
            long notCompleted = left.matching() == null
                    ? left.jobs().size()
                    : left.matching().values().stream()
                            .mapToLong(Long::longValue)
                            .sum();
            boolean ok = notCompleted == 0 && tally.remaining() == 0;
            String check = (ok ? "" : "FAILED: ") + Figures.count(s.jobs() - tally.remaining()) + " of "
                    + Figures.count(s.jobs()) + " jobs completed, each accepted once; the coordinator lists "
                    + Figures.count(notCompleted) + " jobs not completed"
                    + (left.matching() == null ? "" : " " + left.matching());
            return new Result(
                    c.how(),
                    storeHow,
                    beat,
                    submitted,
                    enrollNanos,
                    tally,
                    heartbeatsFirst,
                    heartbeatsDispatching,
                    heartbeatsIdle,
                    new CoordinatorBeatCounts.Window(countedAtStart, countedAtEnd),
                    new CoordinatorBeatCounts.Window(countedAtEnd, countedAfterIdle),
                    healthDispatching,
                    healthIdle,
                    queries,
                    footprints,
                    peakRss.get(),
                    dispatchCpu,
                    loadBefore,
                    loadAfter,
                    check,
                    ok);
        }
    }

    /** A line on stderr as the run goes: a run cut short still leaves its figures so far. */
    private static void progress(String line) {
        System.err.println("scale: " + line);
    }

    private static void progress(DispatchTally tally, long startedNanos, AtomicLong peakRss) {
        long done = tally.expected() - tally.remaining();
        double seconds = (System.nanoTime() - startedNanos) / 1e9;
        progress(Figures.count(done) + " completed in " + Figures.decimal(seconds, 0) + " s ("
                + Figures.rate(done / seconds) + " jobs/s); heartbeats "
                + tally.heartbeatCalls().summary()
                + "; coordinator peak RSS " + Figures.megabytes(peakRss.get()));
    }

    private static CoordinatorProcess start(CyphonLauncher launcher, BulkStore store, ScratchDir dir, ScaleSettings s)
            throws Exception {
        Path data = dir.resolve("coordinator");
        Path log = dir.resolve("coordinator.log");
        if (store.isH2() && s.lease() == null)
            return CoordinatorProcess.start(launcher, data, log, s.coordinatorJvmFlags());
        Path config = dir.resolve("coordinator.toml");
        Files.writeString(config, store.configToml() + s.leasesToml());
        return CoordinatorProcess.startWithConfig(launcher, config, data, log, s.coordinatorJvmFlags());
    }

    private static QueryTiming timeQ(
            String when,
            ScaleSettings s,
            CyphonLauncher launcher,
            CoordinatorProcess c,
            ApiClient admin,
            ScratchDir dir)
            throws Exception {
        LatencySamples api = new LatencySamples();
        for (int i = 0; i < s.queryTimings(); i++) {
            long t0 = System.nanoTime();
            admin.get(Q_PATH, JobList.class);
            api.add(System.nanoTime() - t0);
        }
        CyphonCommand.Result cli = CyphonCommand.run(launcher, c.url(), c.adminToken(), dir.path(), "q");
        if (!cli.ok()) throw new IOException("cyphon q exited " + cli.exitCode() + ": " + cli.stderr());
        String[] tail = cli.stdoutTail().split("\n");
        return new QueryTiming(when, api, cli.wallNanos(), tail[tail.length - 1]);
    }

    private static Footprint footprint(String when, ProcessMeter meter, BulkStore store, Path dataDir)
            throws Exception {
        return new Footprint(when, meter.sample().rssKb(), store.sizeBytes(dataDir));
    }

    private static void sampleRss(ProcessMeter meter, AtomicLong peak) {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                long rss = meter.sample().rssKb();
                peak.accumulateAndGet(rss, Math::max);
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                return; // the coordinator has gone: the run reports why
            }
        }
    }

    /** Enrolls the agents, a few hundred at a time (a fleet booting at 9:00), over 8 HTTP clients. */
    private static List<SimulatedAgent> enrollAll(CoordinatorProcess c, ScaleSettings s) throws Exception {
        List<HttpClient> http = new ArrayList<>();
        for (int i = 0; i < 8; i++) http.add(ApiClient.newHttpClient());
        long memory = 64L << 30;
        List<SimulatedAgent> pool = new ArrayList<>(s.agents());
        try (ExecutorService enrolling = Executors.newFixedThreadPool(64)) {
            List<Future<SimulatedAgent>> futures = new ArrayList<>();
            for (int i = 0; i < s.agents(); i++) {
                ApiClient enroll = new ApiClient(http.get(i % http.size()), c.url(), c.enrollToken());
                String name = String.format("sim-%05d", i + 1);
                futures.add(
                        enrolling.submit(() -> SimulatedAgent.enroll(enroll, c.url(), name, s.agentCpus(), memory)));
            }
            for (Future<SimulatedAgent> f : futures) pool.add(f.get());
        }
        return pool;
    }
}
