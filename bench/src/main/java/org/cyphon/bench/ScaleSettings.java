package org.cyphon.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.cyphon.bench.BenchOptions.Option;

/** The knobs of {@code bench/run scale}, parsed and checked against each other and the machine. */
record ScaleSettings(
        int agents,
        double agentCpus,
        int jobs,
        String store,
        String pgUrl,
        String pgUser,
        Path pgPasswordFile,
        Duration longPoll,
        Duration idle,
        int queryTimings,
        Duration timeout,
        Path jfr,
        boolean keep,
        Duration lease,
        String heap) {

    /** File descriptors each simulated agent holds (its work and heartbeat connections), on both sides. */
    static final int FDS_PER_AGENT = 2;
    /** What either process needs besides the agents' sockets: jars, the database files, logs, epoll. */
    static final int FDS_SPARE = 600;

    static final List<Option> OPTIONS = List.of(
            new Option("agents", "10000", "simulated agents (each: a work long poll and a heartbeat connection)"),
            new Option("agent-cpus", "4", "cpus each simulated agent offers"),
            new Option("jobs", "1000000", "jobs submitted up front, then dispatched and completed"),
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
            new Option("long-poll", "25s", "waitMs of each agent's work long poll (the real agent's)"),
            new Option(
                    "idle",
                    "30s",
                    "after the dispatch, heartbeats alone for this long (the steady state of a big idle pool)"),
            new Option("query-timings", "5", "times `cyphon q`'s request is timed at each point"),
            new Option("timeout", "60m", "give up if the jobs are not all completed by then"),
            new Option("jfr", "", "record the coordinator process with JFR (settings=profile) into this file"),
            new Option("keep", "false", "keep the scratch directory (database, logs) after a successful run"),
            new Option(
                    "lease",
                    "",
                    "the coordinator's leases.lease (e.g. 2m: the README's sizing for a pool this big); default:"
                            + " the coordinator's own (15s)"),
            new Option("heap", "", "the coordinator's -Xmx (e.g. 1g); default: the JVM's (a quarter of the RAM)"));

    static ScaleSettings parseOrExit(String[] args) {
        BenchOptions o = BenchOptions.parseOrExit(
                "scale",
                "Many desks and a big backlog: simulated agents on the real protocol, a million jobs;"
                        + " dispatch rate, heartbeat latency, `cyphon q`, coordinator memory, database size.",
                OPTIONS,
                args);
        String pw = o.string("postgresql-password-file");
        ScaleSettings s = new ScaleSettings(
                o.positiveInt("agents"),
                o.positiveDouble("agent-cpus"),
                o.positiveInt("jobs"),
                o.oneOf("store", "h2", "postgresql"),
                o.string("postgresql-url"),
                o.string("postgresql-user"),
                pw.isEmpty() ? BulkStore.testPasswordFile() : Path.of(pw),
                o.duration("long-poll"),
                o.duration("idle"),
                o.positiveInt("query-timings"),
                o.duration("timeout"),
                o.string("jfr").isEmpty() ? null : Path.of(o.string("jfr")).toAbsolutePath(),
                o.flag("keep"),
                o.string("lease").isEmpty() ? null : o.duration("lease"),
                o.string("heap"));
        if (!s.heap().isEmpty() && !s.heap().matches("[1-9][0-9]*[kKmMgG]?"))
            exit("--heap '" + s.heap() + "' is not a JVM heap size such as 1g or 768m");
        long limit = openFileLimit();
        long needed = (long) s.agents() * FDS_PER_AGENT + FDS_SPARE;
        if (limit > 0 && needed > limit) {
            exit("--agents " + s.agents() + " needs about " + needed + " open files in the coordinator and in this"
                    + " load generator (" + FDS_PER_AGENT + " connections per agent), but the limit here is " + limit
                    + " (ulimit -n; hard limit " + hardOpenFileLimit() + "): at most "
                    + (limit - FDS_SPARE) / FDS_PER_AGENT + " agents on this machine");
        }
        return s;
    }

    boolean postgres() {
        return store.equals("postgresql");
    }

    List<String> coordinatorJvmFlags() {
        List<String> flags = new java.util.ArrayList<>();
        if (jfr != null) flags.add("-XX:StartFlightRecording=filename=" + jfr + ",settings=profile,dumponexit=true");
        if (!heap.isEmpty()) flags.add("-Xmx" + heap);
        return flags;
    }

    /** The coordinator.toml lines besides the store's: the lease when one is given. */
    String leasesToml() {
        return lease == null ? "" : "[leases]\nlease = \"" + lease.toSeconds() + "s\"\n";
    }

    /** This process's soft limit on open files (the coordinator it starts inherits it); 0 if unknown. */
    static long openFileLimit() {
        return limitField(3);
    }

    static long hardOpenFileLimit() {
        return limitField(4);
    }

    private static long limitField(int field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (!line.startsWith("Max open files")) continue;
                String v = line.trim().split("\\s+")[field];
                return v.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(v);
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }

    private static void exit(String message) {
        System.err.println("bench/run scale: " + message);
        System.exit(2);
    }
}
