package org.cyphon.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cyphon.bench.BenchOptions.Option;

/**
 * {@code bench/run e2e}: trivial jobs ({@code true}) through the whole real system — coordinator
 * and one agent as separate processes, each job a real process in its own sandbox (cgroup, job
 * user, output files shipped, exit reported) — in jobs per second. The figure is the per-job
 * overhead of Cyphon itself, since the jobs do nothing.
 */
public final class EndToEndBenchmark {
    static final String AGENT = "agent";
    static final String COORDINATOR = "coordinator";
    static final String BENCHMARK = "benchmark";

    private static final List<Option> OPTIONS = List.of(
            new Option("jobs", "1000", "jobs of `true` to run"),
            new Option(
                    "agent-cpus",
                    Integer.toString(Runtime.getRuntime().availableProcessors()),
                    "cpus the agent offers (agent.toml cpus; default: this machine's cores)"),
            new Option("agent-memory", "4G", "memory the agent offers (agent.toml memory)"),
            new Option("job-cpus", "0.1", "cpus each job requests (small, so many run at once)"),
            new Option("job-memory", "32M", "memory each job requests (its cgroup limit)"),
            new Option("upload-every", "", "agent.toml [output] upload_every (default: the agent's own)"),
            // The default desktop preset rightly holds new work back while the owner is active or
            // the machine busy; on a shared benchmark machine that measures the neighbours, not Cyphon.
            new Option(
                    "policy", "dedicated", "agent.toml [policy] preset (dedicated: always run; desktop: owner first)"),
            new Option("timeout", "10m", "give up if the jobs have not all ended by then"),
            new Option(
                    "keep", "false", "keep the scratch directory (database, agent state, logs) after a successful run"),
            new Option(
                    "repeat",
                    "1",
                    "runs, each with a fresh coordinator and agent; the last line then gives their median"));

    /** What the run was asked to do. */
    record Settings(
            int jobs,
            double agentCpus,
            String agentMemory,
            double jobCpus,
            String jobMemory,
            String uploadEvery,
            String policy,
            Duration timeout) {}

    /** What it measured. {@code wallNanos}: submit call to the benchmark seeing every job ended. */
    record Result(
            Settings settings,
            String coordinatorHow,
            String store,
            AgentProcess agent,
            String agentTiming,
            long agentRssKb,
            long agentPeakRssKb,
            int requests,
            long wallNanos,
            CpuAccount.Usage cpu,
            String loadBefore,
            String loadAfter,
            CompletionCheck.Result check) {
        double jobsPerSecond() {
            return settings.jobs() / (wallNanos / 1e9);
        }
    }

    private EndToEndBenchmark() {}

    public static void main(String[] args) throws Exception {
        BenchOptions o = BenchOptions.parseOrExit(
                "e2e",
                "Trivial jobs (`true`) through a real coordinator and ONE real agent, both separate processes: jobs/s.",
                OPTIONS,
                args);
        Settings s = new Settings(
                o.positiveInt("jobs"),
                o.positiveDouble("agent-cpus"),
                o.string("agent-memory"),
                o.positiveDouble("job-cpus"),
                o.string("job-memory"),
                o.string("upload-every").isEmpty() ? null : o.string("upload-every"),
                o.string("policy"),
                o.duration("timeout"));
        if (s.jobs() > CompletionCheck.MAX_LISTING) {
            System.err.println("bench/run e2e: --jobs must be at most " + CompletionCheck.MAX_LISTING);
            System.exit(2);
        }
        int repeat = o.positiveInt("repeat");
        RepeatedRuns runs = new RepeatedRuns();
        Result last = null;
        for (int i = 1; i <= repeat; i++) {
            if (repeat > 1) System.out.println((i > 1 ? "\n" : "") + "=== run " + i + " of " + repeat);
            last = runOnce(s, o.flag("keep"));
            if (last == null || !last.check().ok()) System.exit(1); // a broken run makes the median meaningless
            runs.add(last.jobsPerSecond());
        }
        if (repeat > 1)
            System.out.println("\n"
                    + EndToEndReport.summary(last, Figures.rate(runs.median()) + " jobs/s", runs.describe() + "; "));
        System.exit(0);
    }

    /** One measurement with its own scratch dir; null if it broke (the reason is printed). */
    private static Result runOnce(Settings s, boolean keep) throws Exception {
        try (ScratchDir dir = ScratchDir.create("e2e", keep)) {
            try {
                Result r = measure(s, dir);
                if (!r.check().ok()) dir.keep();
                EndToEndReport.print(System.out, r, dir);
                return r;
            } catch (Exception e) {
                dir.keep();
                RunFailure.report("e2e", e, dir.path());
                return null;
            }
        }
    }

    private static Result measure(Settings s, ScratchDir dir) throws Exception {
        CyphonLauncher launcher = CyphonLauncher.fromSystemProperty();
        String loadBefore = MachineLoad.now();
        try (CoordinatorProcess c = CoordinatorProcess.start(
                        launcher, dir.resolve("coordinator"), dir.resolve("coordinator.log"), List.of());
                AgentProcess agent = AgentProcess.start(
                        launcher,
                        c,
                        new AgentProcess.Settings("bench", s.agentCpus(), s.agentMemory(), s.uploadEvery(), s.policy()),
                        dir.path())) {
            ApiClient admin = new ApiClient(ApiClient.newHttpClient(), c.url(), c.adminToken());
            Map<String, Long> pids = new LinkedHashMap<>();
            pids.put(AGENT, agent.pid());
            pids.put(COORDINATOR, c.pid().getAsLong());
            pids.put(BENCHMARK, ProcessHandle.current().pid());
            CpuAccount cpu = CpuAccount.start(pids);

            long t0 = System.nanoTime();
            JobSubmitter.Submitted submitted = JobSubmitter.submit(
                    admin,
                    new JobSubmitter.Template("bench-e2e", List.of("true"), s.jobCpus(), s.jobMemory()),
                    s.jobs());
            if (!JobWaiter.awaitAllEnded(admin, submitted.ids(), s.timeout())) {
                throw new IllegalStateException(
                        "the jobs had not all ended after " + s.timeout() + "; agent log tail:\n" + agent.tail());
            }
            long wall = System.nanoTime() - t0;
            CpuAccount.Usage used = cpu.stop();
            ProcessMeter.Sample agentNow = new ProcessMeter(agent.pid()).sample();
            String loadAfter = MachineLoad.now();
            CompletionCheck.Result check = CompletionCheck.check(admin, submitted.ids());
            return new Result(
                    s,
                    c.how(),
                    c.store(),
                    agent,
                    agent.timing(),
                    agentNow.rssKb(),
                    agentNow.peakRssKb(),
                    submitted.requests(),
                    wall,
                    used,
                    loadBefore,
                    loadAfter,
                    check);
        }
    }
}
