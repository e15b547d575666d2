package org.cyphon.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cyphon.bench.BenchOptions.Option;
import org.cyphon.core.protocol.JobList;

/**
 * {@code bench/run bulk}: the bulk operations a person runs on a big queue, each one command, one
 * request and one transaction, timed end to end as the person waits for them (the {@code cyphon}
 * process's own JVM start included): {@code submit -n 100000}, then {@code hold}, {@code release}
 * and {@code cancel --all-mine} of all of them. On H2 (the default store) or PostgreSQL. No agent:
 * the jobs stay queued, as in a queue far bigger than the pool.
 */
public final class BulkBenchmark {
    static final String COORDINATOR = "coordinator";
    private static final String BENCHMARK = "benchmark";
    private static final String POSTGRES = "postgresql ";

    private static final List<Option> OPTIONS = List.of(
            new Option("jobs", "100000", "instances submitted with one `cyphon submit -n`"),
            new Option("store", "h2", "the coordinator's database: h2 (its file, the default) or postgresql"),
            new Option(
                    "postgresql-url",
                    "jdbc:postgresql://127.0.0.1:5432/cyphon_test",
                    "with --store postgresql: the database (the run makes a schema of its own and drops it)"),
            new Option("postgresql-user", "cyphon_test", "with --store postgresql: the role"),
            new Option(
                    "postgresql-password-file",
                    "",
                    "with --store postgresql: its password, 0600 (default: the tests' file that"
                            + " tools/postgresql-for-tests.sh writes)"),
            new Option("keep", "false", "keep the scratch directory (database, logs) after a successful run"),
            new Option(
                    "repeat", "1", "runs, each with a fresh coordinator and store; the last line then gives medians"));

    record Settings(int jobs, String store, String pgUrl, String pgUser, Path pgPasswordFile) {}

    /**
     * One timed command and what the machine did meanwhile, in cores: the coordinator, the
     * {@code cyphon} client process, the PostgreSQL server (all its processes; 0 on H2) and
     * everything else (other people's work: near 0 means an undisturbed figure).
     */
    record Step(
            String command,
            CyphonCommand.Result result,
            double coordinatorCores,
            double clientCores,
            double postgresCores,
            double otherCores) {}

    record Result(
            Settings settings,
            String coordinatorHow,
            String storeHow,
            String loadBefore,
            List<Step> steps,
            String loadAfter,
            String check,
            boolean ok) {}

    private BulkBenchmark() {}

    public static void main(String[] args) throws Exception {
        BenchOptions o = BenchOptions.parseOrExit(
                "bulk",
                "One `cyphon submit -n N`, then hold, release and cancel --all-mine of them all, each timed end to end.",
                OPTIONS,
                args);
        String pw = o.string("postgresql-password-file");
        Settings s = new Settings(
                o.positiveInt("jobs"),
                o.oneOf("store", "h2", "postgresql"),
                o.string("postgresql-url"),
                o.string("postgresql-user"),
                pw.isEmpty() ? BulkStore.testPasswordFile() : Path.of(pw));
        int repeat = o.positiveInt("repeat");
        Map<String, RepeatedRuns> runs = new LinkedHashMap<>();
        Result last = null;
        for (int i = 1; i <= repeat; i++) {
            if (repeat > 1) System.out.println((i > 1 ? "\n" : "") + "=== run " + i + " of " + repeat);
            last = runOnce(s, o.flag("keep"));
            if (last == null || !last.ok()) System.exit(1);
            for (int k = 0; k < last.steps().size(); k++)
                runs.computeIfAbsent(BulkReport.label(last.steps(), k), x -> new RepeatedRuns())
                        .add(last.steps().get(k).result().wallNanos() / 1e9);
        }
        if (repeat > 1) System.out.println("\n" + BulkReport.summary(last, runs));
        System.exit(0);
    }

    private static Result runOnce(Settings s, boolean keep) throws Exception {
        try (ScratchDir dir = ScratchDir.create("bulk", keep)) {
            try {
                Result r = measure(s, dir);
                if (!r.ok()) dir.keep();
                BulkReport.print(System.out, r, dir);
                return r;
            } catch (Exception e) {
                dir.keep();
                RunFailure.report("bulk", e, dir.path());
                return null;
            }
        }
    }

    private static Result measure(Settings s, ScratchDir dir) throws Exception {
        CyphonLauncher launcher = CyphonLauncher.fromSystemProperty();
        if (s.store().equals("postgresql")) BulkStore.requireReadable(s.pgPasswordFile());
        String loadBefore = MachineLoad.now();
        try (BulkStore store = s.store().equals("postgresql")
                        ? BulkStore.postgresql(s.pgUrl(), s.pgUser(), s.pgPasswordFile())
                        : BulkStore.h2();
                CoordinatorProcess c = start(launcher, store, dir)) {
            String storeHow = store.describe();
            String token = c.adminToken();
            String n = Integer.toString(s.jobs());
            List<Step> steps = new ArrayList<>();
            boolean pg = !store.isH2();
            steps.add(timed(launcher, c, token, dir, pg, "submit", "-n", n, "--name", "bulk", "--", "true"));
            steps.add(timed(launcher, c, token, dir, pg, "hold", "--all-mine"));
            steps.add(timed(launcher, c, token, dir, pg, "release", "--all-mine"));
            steps.add(timed(launcher, c, token, dir, pg, "cancel", "--all-mine"));
            // The same again on the coordinator now warmed up (its JIT has compiled the bulk paths), as
            // a coordinator that has run for a while meets it; the first is its first request of the kind.
            steps.add(timed(launcher, c, token, dir, pg, "submit", "-n", n, "--name", "bulk2", "--", "true"));
            String loadAfter = MachineLoad.now();

            List<String> problems = new ArrayList<>();
            for (Step step : steps) {
                if (!step.result().ok())
                    problems.add(step.command() + " exited " + step.result().exitCode() + ": "
                            + step.result().stderr());
            }
            for (Step step : steps) {
                if (step.command().equals("submit") && step.result().stdoutLines() != s.jobs())
                    problems.add("submit printed " + step.result().stdoutLines() + " ids, not " + s.jobs());
            }
            for (String[] want : new String[][] {{"hold", "held"}, {"release", "released"}, {"cancel", "cancelled"}}) {
                String said = steps.stream()
                        .filter(st -> st.command().equals(want[0]))
                        .findFirst()
                        .orElseThrow()
                        .result()
                        .stdoutTail();
                if (!said.equals(s.jobs() + " " + want[1]))
                    problems.add(want[0] + " said '" + said + "', not '" + s.jobs() + " " + want[1] + "'");
            }
            ApiClient admin = new ApiClient(ApiClient.newHttpClient(), c.url(), token);
            JobList cancelled = admin.get("/jobs?state=cancelled&limit=1", JobList.class);
            long nCancelled = cancelled.matching() == null
                    ? cancelled.jobs().size()
                    : cancelled.matching().getOrDefault("cancelled", 0L);
            if (nCancelled != s.jobs()) problems.add(nCancelled + " jobs cancelled in the store, not " + s.jobs());
            JobList queued = admin.get("/jobs?state=queued&limit=1", JobList.class);
            long nQueued = queued.matching() == null
                    ? queued.jobs().size()
                    : queued.matching().getOrDefault("queued", 0L);
            if (nQueued != s.jobs()) problems.add(nQueued + " jobs queued in the store, not " + s.jobs());
            String check = problems.isEmpty()
                    ? "ok: " + Figures.count(s.jobs()) + " ids printed by each submit; every other command changed all "
                            + Figures.count(s.jobs()) + "; the store holds " + Figures.count(nCancelled)
                            + " cancelled and " + Figures.count(nQueued) + " queued"
                    : "FAILED: " + String.join("; ", problems);
            return new Result(s, c.how(), storeHow, loadBefore, steps, loadAfter, check, problems.isEmpty());
        }
    }

    private static CoordinatorProcess start(CyphonLauncher launcher, BulkStore store, ScratchDir dir) throws Exception {
        Path data = dir.resolve("coordinator");
        Path log = dir.resolve("coordinator.log");
        if (store.isH2()) return CoordinatorProcess.start(launcher, data, log, List.of());
        Path config = dir.resolve("coordinator.toml");
        Files.writeString(config, store.configToml());
        return CoordinatorProcess.startWithConfig(launcher, config, data, log, List.of());
    }

    private static Step timed(
            CyphonLauncher launcher,
            CoordinatorProcess c,
            String token,
            ScratchDir dir,
            boolean postgres,
            String... args)
            throws Exception {
        Map<String, Long> pids = new LinkedHashMap<>();
        pids.put(COORDINATOR, c.pid().getAsLong());
        // The client process is this JVM's child: its CPU shows as our reaped children's once it exits.
        pids.put(BENCHMARK, ProcessHandle.current().pid());
        if (postgres) for (long pid : PostgresProcesses.pids()) pids.put(POSTGRES + pid, pid);
        CpuAccount cpu = CpuAccount.start(pids);
        CyphonCommand.Result r = CyphonCommand.run(launcher, c.url(), token, dir.path(), args);
        CpuAccount.Usage used = cpu.stop();
        double pg = used.cores().entrySet().stream()
                .filter(e -> e.getKey().startsWith(POSTGRES))
                .mapToDouble(Map.Entry::getValue)
                .sum();
        return new Step(args[0], r, used.of(COORDINATOR), used.of(CpuAccount.childrenOf(BENCHMARK)), pg, used.others());
    }
}
