package org.cyphon.bench;

import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * One dispatch measurement, start to finish: coordinator up, jobs submitted, agents enrolled,
 * the timed window, the idle-dispatch probes, the check against the coordinator's own listing.
 */
final class DispatchRun {
    static final String COORDINATOR = "coordinator";
    static final String LOAD_GENERATOR = "load generator";

    /** Everything the report shows. */
    record Result(
            String coordinatorHow,
            String store,
            long heartbeatMillis,
            JobSubmitter.Submitted submitted,
            DispatchTally tally,
            DispatchLatencyProbe probe,
            CpuAccount.Usage cpu,
            StoreWriterLoad.Window writer,
            double jitCores,
            int warmupRounds,
            String loadBefore,
            String loadAfter,
            CompletionCheck.Result check) {

        double jobsPerSecond() {
            return tally.expected() / (tally.elapsedNanos() / 1e9);
        }

        boolean verified() {
            return check.ok() && tally.refused() == 0 && tally.acceptedTwice() == 0 && tally.stopsUnexpected() == 0;
        }
    }

    private DispatchRun() {}

    static Result measure(DispatchSettings s, ScratchDir dir) throws Exception {
        String loadBefore = MachineLoad.now();
        if (s.postgres()) BulkStore.requireReadable(s.pgPasswordFile());
        try (BulkStore store = s.postgres()
                        ? BulkStore.postgresql(s.pgUrl(), s.pgUser(), s.pgPasswordFile())
                        : BulkStore.h2();
                CoordinatorUnderTest c = start(s, dir, store)) {
            ApiClient admin = new ApiClient(ApiClient.newHttpClient(), c.url(), c.adminToken());
            JobSubmitter.Template template =
                    new JobSubmitter.Template("bench-dispatch", List.of("true"), s.jobCpus(), null);
            List<SimulatedAgent> pool = enrollAll(c, s);
            long jvm = c.pid().orElse(ProcessHandle.current().pid()); // the coordinator's JVM
            int warmupRounds = s.warmup() > 0 ? warmUp(admin, template, pool, s, jvm) : 0;
            JobSubmitter.Submitted submitted = JobSubmitter.submit(admin, template, s.jobs());

            DispatchTally tally = new DispatchTally(s.jobs());
            for (SimulatedAgent a : pool) a.heartbeat(tally); // the coordinator now knows every offer

            Map<String, Long> pids = new LinkedHashMap<>();
            c.pid().ifPresent(pid -> pids.put(COORDINATOR, pid));
            pids.put(LOAD_GENERATOR, ProcessHandle.current().pid());
            StoreWriterLoad writerBefore = StoreWriterLoad.read(c.url());
            JitCompilerCpu.Reading jitBefore = JitCompilerCpu.read(jvm);
            CpuAccount cpu = CpuAccount.start(pids);
            ExecutorService loops = Executors.newVirtualThreadPerTaskExecutor();
            for (SimulatedAgent a : pool) {
                loops.execute(() -> a.workLoop(tally, s.longPoll()));
                loops.execute(() -> a.heartbeatLoop(tally));
            }
            boolean finished = tally.awaitAllAccepted(s.timeout().toMillis(), TimeUnit.MILLISECONDS);
            CpuAccount.Usage used = cpu.stop();
            StoreWriterLoad writerAfter = StoreWriterLoad.read(c.url());
            double jitCores = jitBefore.coresUntil(JitCompilerCpu.read(jvm));
            String loadAfter = MachineLoad.now();
            if (!finished) {
                loops.shutdownNow();
                throw new IllegalStateException("only " + Figures.count(s.jobs() - tally.remaining()) + " of "
                        + Figures.count(s.jobs()) + " jobs completed within " + s.timeout() + " (" + tally.errors()
                        + " errors; first: " + tally.firstError() + ")");
            }

            Thread.sleep(300); // let every agent settle back into its long poll: the probes measure an idle pool
            DispatchLatencyProbe probe = new DispatchLatencyProbe();
            probe.run(admin, tally, template, s.probes());
            loops.shutdownNow();
            for (SimulatedAgent a : pool) a.disconnect(); // ends long polls blocked in a read
            loops.awaitTermination(s.longPoll().toSeconds() + 30, TimeUnit.SECONDS);

            List<Long> all = new ArrayList<>(submitted.ids());
            all.addAll(probe.ids);
            CompletionCheck.Result check = CompletionCheck.check(admin, all);
            return new Result(
                    c.how(),
                    store.isH2() ? c.store() : store.describe(),
                    pool.get(0).heartbeatMillis(),
                    submitted,
                    tally,
                    probe,
                    used,
                    new StoreWriterLoad.Window(writerBefore, writerAfter),
                    jitCores,
                    warmupRounds,
                    loadBefore,
                    loadAfter,
                    check);
        }
    }

    /**
     * Runs rounds of {@code s.warmup()} jobs through the pool, untimed and unchecked beyond their
     * completion, until the coordinator's JIT compiler threads used less than
     * {@value #WARM_JIT_CORES} of a core during a round (at most {@value #MAX_WARMUP_ROUNDS} rounds);
     * then stops the agents' loops. The timed window that follows measures a coordinator whose JIT
     * has compiled the dispatch path, as one that has been up for a while has: in a cold 10 s
     * window the compiler threads took ~40% of its CPU, and after a single round of 30,000 jobs
     * they still compiled for about as long as the timed window lasted (JFR), which is what made
     * identical runs differ by a quarter. The agents stay enrolled.
     *
     * @return the rounds run
     */
    private static int warmUp(
            ApiClient admin, JobSubmitter.Template template, List<SimulatedAgent> pool, DispatchSettings s, long jvm)
            throws Exception {
        for (int round = 1; ; round++) {
            JitCompilerCpu.Reading before = JitCompilerCpu.read(jvm);
            warmUpRound(admin, template, pool, s);
            double jit = before.coresUntil(JitCompilerCpu.read(jvm));
            System.err.println("dispatch: warm-up round " + round + ": the coordinator's JIT compilers used "
                    + Figures.decimal(jit, 2) + " cores");
            if (jit < WARM_JIT_CORES || round == MAX_WARMUP_ROUNDS) return round;
        }
    }

    /** A warm-up round counts as quiet when the JIT compiler threads used less than this many cores in it. */
    static final double WARM_JIT_CORES = 0.10;

    static final int MAX_WARMUP_ROUNDS = 5;

    private static void warmUpRound(
            ApiClient admin, JobSubmitter.Template template, List<SimulatedAgent> pool, DispatchSettings s)
            throws Exception {
        JobSubmitter.submit(admin, template, s.warmup());
        DispatchTally warm = new DispatchTally(s.warmup());
        for (SimulatedAgent a : pool) a.heartbeat(warm);
        ExecutorService loops = Executors.newVirtualThreadPerTaskExecutor();
        for (SimulatedAgent a : pool) {
            loops.execute(() -> a.workLoop(warm, s.longPoll()));
            loops.execute(() -> a.heartbeatLoop(warm));
        }
        boolean finished = warm.awaitAllAccepted(s.timeout().toMillis(), TimeUnit.MILLISECONDS);
        loops.shutdownNow();
        for (SimulatedAgent a : pool) a.disconnect(); // ends long polls blocked in a read
        loops.awaitTermination(s.longPoll().toSeconds() + 30, TimeUnit.SECONDS);
        // The coordinator still holds the long polls of the closed connections until they time out,
        // and would hand the next jobs to them (written to a closed socket: lost, then retried as
        // lost attempts). So the timed jobs are submitted once every such poll has ended.
        Thread.sleep(s.longPoll().toMillis() + 1000);
        if (!finished || warm.refused() > 0 || warm.acceptedTwice() > 0)
            throw new IllegalStateException("the warm-up did not complete cleanly: " + warm.remaining()
                    + " jobs left, " + warm.refused() + " refused, " + warm.acceptedTwice()
                    + " accepted twice; first error: " + warm.firstError());
    }

    private static CoordinatorUnderTest start(DispatchSettings s, ScratchDir dir, BulkStore store) throws Exception {
        if (!s.separateProcess()) return InProcessCoordinator.start(dir.resolve("coordinator"));
        CyphonLauncher launcher = CyphonLauncher.fromSystemProperty();
        if (store.isH2())
            return CoordinatorProcess.start(
                    launcher, dir.resolve("coordinator"), dir.resolve("coordinator.log"), s.coordinatorJvmFlags());
        java.nio.file.Path config = dir.resolve("coordinator.toml");
        java.nio.file.Files.writeString(config, store.configToml());
        return CoordinatorProcess.startWithConfig(
                launcher, config, dir.resolve("coordinator"), dir.resolve("coordinator.log"), s.coordinatorJvmFlags());
    }

    /** Enrolls all agents concurrently (as a fleet booting at 9:00 would), spread over the HTTP clients. */
    private static List<SimulatedAgent> enrollAll(CoordinatorUnderTest c, DispatchSettings s) throws Exception {
        List<HttpClient> http = new ArrayList<>();
        for (int i = 0; i < Math.min(s.clients(), s.agents()); i++) http.add(ApiClient.newHttpClient());
        long memory = 64L << 30; // never binds: the figure is about dispatch, and cpus are what the jobs ask for
        try (ExecutorService enrolling = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<SimulatedAgent>> futures = new ArrayList<>();
            for (int i = 0; i < s.agents(); i++) {
                ApiClient enroll = new ApiClient(http.get(i % http.size()), c.url(), c.enrollToken());
                String name = String.format("sim-%04d", i + 1);
                futures.add(
                        enrolling.submit(() -> SimulatedAgent.enroll(enroll, c.url(), name, s.agentCpus(), memory)));
            }
            List<SimulatedAgent> pool = new ArrayList<>();
            for (Future<SimulatedAgent> f : futures) pool.add(f.get());
            return pool;
        }
    }
}
