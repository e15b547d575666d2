package org.cyphon.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.cyphon.bench.BenchOptions.Option;

/** The knobs of {@code bench/run dispatch}, parsed and checked against each other. */
record DispatchSettings(
        int agents,
        double agentCpus,
        int jobs,
        int warmup,
        double jobCpus,
        boolean separateProcess,
        int probes,
        Duration longPoll,
        int clients,
        Duration timeout,
        Path jfr,
        boolean keep,
        int repeat,
        String store,
        String pgUrl,
        String pgUser,
        Path pgPasswordFile) {

    static final List<Option> OPTIONS = List.of(
            new Option("agents", "50", "simulated agents"),
            new Option("agent-cpus", "16", "cpus each simulated agent offers"),
            new Option("jobs", "50000", "jobs to dispatch (submitted up front)"),
            new Option(
                    "warmup",
                    "30000",
                    "jobs per warm-up round, run through the same coordinator and agents first, not timed;"
                            + " rounds repeat (at most 5) until the coordinator's JIT compiler threads used < 0.1 core"
                            + " in one, so the timed window sees a coordinator that has been up a while"
                            + " (0: time a cold coordinator)"),
            new Option("job-cpus", "1", "cpus each job requests"),
            new Option(
                    "coordinator",
                    "process",
                    "process (separate JVM, as deployed) or in-process (same JVM as the load)"),
            new Option(
                    "probes",
                    "200",
                    "single jobs submitted one by one to the idle pool afterwards, to time idle dispatch"),
            new Option("long-poll", "5s", "waitMs of each agent's work long poll"),
            new Option("clients", "8", "HTTP clients (connection pools) the simulated agents share, round robin"),
            new Option("timeout", "10m", "give up if the jobs are not all completed by then"),
            new Option("jfr", "", "record the coordinator process with JFR (settings=profile) into this file"),
            new Option("keep", "false", "keep the scratch directory (database, logs) after a successful run"),
            new Option("repeat", "1", "runs, each with a fresh coordinator; the last line then gives their median"),
            new Option("store", "h2", "the coordinator's database: h2 (its file, the default) or postgresql"),
            new Option(
                    "postgresql-url",
                    "jdbc:postgresql://127.0.0.1:5432/cyphon_test",
                    "with --store postgresql: the database (each run makes a schema of its own and drops it)"),
            new Option("postgresql-user", "cyphon_test", "with --store postgresql: the role"),
            new Option(
                    "postgresql-password-file",
                    "",
                    "with --store postgresql: its password, 0600 (default: the tests' file that"
                            + " tools/postgresql-for-tests.sh writes)"));

    /** The settings, or an exit with status 2 and a message naming the option at fault. */
    static DispatchSettings parseOrExit(String[] args) {
        BenchOptions o = BenchOptions.parseOrExit(
                "dispatch",
                "Coordinator throughput: jobs assigned and completed per second by many simulated agents over real HTTP.",
                OPTIONS,
                args);
        DispatchSettings s = new DispatchSettings(
                o.positiveInt("agents"),
                o.positiveDouble("agent-cpus"),
                o.positiveInt("jobs"),
                o.nonNegativeInt("warmup"),
                o.positiveDouble("job-cpus"),
                o.oneOf("coordinator", "process", "in-process").equals("process"),
                o.nonNegativeInt("probes"),
                o.duration("long-poll"),
                o.positiveInt("clients"),
                o.duration("timeout"),
                o.string("jfr").isEmpty() ? null : Path.of(o.string("jfr")).toAbsolutePath(),
                o.flag("keep"),
                o.positiveInt("repeat"),
                o.oneOf("store", "h2", "postgresql"),
                o.string("postgresql-url"),
                o.string("postgresql-user"),
                o.string("postgresql-password-file").isEmpty()
                        ? BulkStore.testPasswordFile()
                        : Path.of(o.string("postgresql-password-file")));
        if (s.postgres() && !s.separateProcess()) exit("--store postgresql needs --coordinator process");
        if (s.jobs() + s.warmup() + s.probes() > CompletionCheck.MAX_LISTING) {
            exit("--jobs + --warmup + --probes must be at most " + CompletionCheck.MAX_LISTING
                    + " (the largest job listing the API serves, used to verify the run)");
        }
        if (s.jfr() != null && !s.separateProcess()) {
            exit(
                    "--jfr records the coordinator process; with --coordinator in-process use CYPHON_BENCH_JAVA_OPTS=-XX:StartFlightRecording=... instead");
        }
        return s;
    }

    private static void exit(String message) {
        System.err.println("bench/run dispatch: " + message);
        System.exit(2);
    }

    boolean postgres() {
        return store.equals("postgresql");
    }

    /** JVM flags for the coordinator process: a JFR recording when asked for. */
    List<String> coordinatorJvmFlags() {
        return jfr == null
                ? List.of()
                : List.of("-XX:StartFlightRecording=filename=" + jfr + ",settings=profile,dumponexit=true");
    }
}
