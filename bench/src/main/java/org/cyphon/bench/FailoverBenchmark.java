package org.cyphon.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import org.cyphon.bench.BenchOptions.Option;
import org.cyphon.core.protocol.CoordinatorList;
import org.cyphon.core.protocol.JobList;
import org.cyphon.core.text.Durations;

/**
 * {@code bench/run failover}: how long a pool of two coordinators on one PostgreSQL stops
 * dispatching when its leader dies. Two real agents (each knowing both coordinators) run a steady
 * stream of short jobs; each repetition kills the leader with SIGKILL, measures the time to the
 * other's taking the lead (its {@code since}) and to the first attempt assigned after the kill (in
 * the store), then starts the killed one again at its address, as a follower. The coordinators
 * take turns at being killed (the repetitions interleave over both). The figure is dominated by
 * the lease ({@code leases.lease}, default 15 s): a follower may take over only once the dead
 * leader's lease has run out.
 */
public final class FailoverBenchmark {
    private static final List<Option> OPTIONS = List.of(
            new Option("repeat", "5", "leader kills, the coordinators taking turns"),
            new Option("lease", "15s", "leases.lease of both coordinators (the default is 15s)"),
            new Option(
                    "postgresql-url",
                    "jdbc:postgresql://127.0.0.1:5432/cyphon_test",
                    "the database (the run makes a schema of its own and drops it)"),
            new Option("postgresql-user", "cyphon_test", "the role"),
            new Option(
                    "postgresql-password-file",
                    "",
                    "its password, 0600 (default: the tests' file that tools/postgresql-for-tests.sh writes)"),
            new Option("keep", "false", "keep the scratch directory (logs) after a successful run"));

    private FailoverBenchmark() {}

    /** One kill: which coordinator, and milliseconds from the kill to the new lead and to the first dispatch. */
    record Failover(int killed, long takeoverMillis, long dispatchMillis) {}

    public static void main(String[] args) throws Exception {
        BenchOptions o = BenchOptions.parseOrExit(
                "failover",
                "Kill -9 the leader of two coordinators on one PostgreSQL: time to the first new dispatch.",
                OPTIONS,
                args);
        String pw = o.string("postgresql-password-file");
        Path passwordFile = pw.isEmpty() ? BulkStore.testPasswordFile() : Path.of(pw);
        BulkStore.requireReadable(passwordFile);
        Duration lease = Durations.parse(o.string("lease"));
        int repeat = o.positiveInt("repeat");
        try (ScratchDir dir = ScratchDir.create("failover", o.flag("keep"))) {
            try (BulkStore store =
                    BulkStore.postgresql(o.string("postgresql-url"), o.string("postgresql-user"), passwordFile)) {
                List<Failover> runs = measure(CyphonLauncher.fromSystemProperty(), store, dir, lease, repeat);
                print(runs, lease, store.describe());
            } catch (Exception e) {
                dir.keep();
                RunFailure.report("failover", e, dir.path());
                System.exit(1);
            }
        }
        System.exit(0);
    }

    private static List<Failover> measure(
            CyphonLauncher launcher, BulkStore store, ScratchDir dir, Duration lease, int repeat) throws Exception {
        Path data = dir.resolve("coordinator"); // one data dir for both: tokens, output, checkpoints
        Files.createDirectories(data);
        int[] ports = {freePort(), freePort()};
        ChildProcess[] coordinators = new ChildProcess[2];
        List<AutoCloseable> toClose = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++)
                coordinators[i] = startCoordinator(launcher, store, dir, data, ports, i, lease, 0);
            String[] urls = {"http://127.0.0.1:" + ports[0], "http://127.0.0.1:" + ports[1]};
            String token = Files.readString(data.resolve("admin.token")).trim();
            for (int i = 0; i < 2; i++) {
                AgentProcess a = AgentProcess.start(
                        launcher,
                        new Listed(urls[i] + "," + urls[1 - i], data),
                        new AgentProcess.Settings("desk-" + i, 2.0, "2G", null, "dedicated"),
                        dir.path());
                toClose.add(a);
            }
            AtomicBoolean feeding = new AtomicBoolean(true);
            Thread feeder = Thread.ofPlatform().daemon().start(() -> feed(urls, token, feeding));
            try {
                List<Failover> out = new ArrayList<>();
                int starts = 1;
                for (int rep = 0; rep < repeat; rep++) {
                    // Steady state first: both coordinators up, work flowing.
                    long since = System.currentTimeMillis();
                    awaitUntil(Duration.ofSeconds(60), () -> store.firstAssignmentAfter(since) > 0);
                    int leader = leader(urls, token, -1, Duration.ofSeconds(60));
                    long killedAt = System.currentTimeMillis();
                    ProcessHandle.of(coordinators[leader].pid()).ifPresent(ProcessHandle::destroyForcibly);
                    ProcessHandle.of(coordinators[leader].pid())
                            .ifPresent(h -> h.onExit().join());
                    long dispatched = awaitValue(
                            lease.multipliedBy(4).plusSeconds(30), () -> store.firstAssignmentAfter(killedAt));
                    CoordinatorList now = api(urls[1 - leader], token).get("/coordinators", CoordinatorList.class);
                    long takeover =
                            now.leaderSince() == null ? -1 : now.leaderSince().toEpochMilli() - killedAt;
                    out.add(new Failover(leader, takeover, dispatched - killedAt));
                    System.out.printf(
                            java.util.Locale.ROOT,
                            "kill %d: coordinator %d; lead taken after %d ms, first dispatch after %d ms%n",
                            rep + 1,
                            leader,
                            takeover,
                            dispatched - killedAt);
                    coordinators[leader] = startCoordinator(launcher, store, dir, data, ports, leader, lease, starts++);
                }
                return out;
            } finally {
                feeding.set(false);
                feeder.join(30_000);
            }
        } finally {
            for (AutoCloseable c : toClose) c.close();
            for (ChildProcess c : coordinators) if (c != null) c.close();
        }
    }

    private static void print(List<Failover> runs, Duration lease, String storeHow) {
        ResultTable t = new ResultTable("bench/run failover: kill -9 the leader of two coordinators on one PostgreSQL")
                .row("store", storeHow)
                .row("pool", "two coordinators, two agents (2 cpus each), `sleep 0.3` jobs at 0.5 cpu kept queued")
                .row("leases.lease", Durations.format(lease))
                .section(
                        "each kill: the coordinator killed, then ms to the other's taking the lead / to the first dispatch");
        for (int i = 0; i < runs.size(); i++) {
            Failover f = runs.get(i);
            t.row(
                    "kill " + (i + 1) + " (coordinator " + f.killed() + ")",
                    f.takeoverMillis() + " / " + f.dispatchMillis());
        }
        List<Long> gaps = runs.stream().map(Failover::dispatchMillis).sorted().toList();
        long median = gaps.size() % 2 == 1
                ? gaps.get(gaps.size() / 2)
                : (gaps.get(gaps.size() / 2 - 1) + gaps.get(gaps.size() / 2)) / 2;
        t.print(
                System.out,
                String.format(
                        java.util.Locale.ROOT,
                        "failover (kill -9 leader -> first new dispatch), lease %s: median %.2f s (range %.2f-%.2f s, %d kills)",
                        Durations.format(lease),
                        median / 1000.0,
                        gaps.get(0) / 1000.0,
                        gaps.get(gaps.size() - 1) / 1000.0,
                        gaps.size()));
    }

    /** Keeps some work queued: a batch of short jobs whenever fewer than 20 wait. */
    private static void feed(String[] urls, String token, AtomicBoolean feeding) {
        int at = 0;
        while (feeding.get()) {
            try {
                ApiClient api = api(urls[at], token);
                JobList queued = api.get("/jobs?state=queued&limit=1", JobList.class);
                long n = queued.matching() == null ? 0 : queued.matching().getOrDefault("queued", 0L);
                if (n < 20)
                    api.post(
                            "/jobs",
                            Map.of("command", List.of("sleep", "0.3"), "cpus", 0.5, "count", 20, "name", "failover"),
                            Map.class);
                Thread.sleep(100); // the feeder's pace, not a wait for a state
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                at = 1 - at; // that coordinator is down: the other takes submits
            }
        }
    }

    /** The index of the coordinator leading now (not {@code except}), waiting for one. */
    private static int leader(String[] urls, String token, int except, Duration atMost) throws Exception {
        return (int) awaitValue(atMost, () -> {
                    for (int i = 0; i < urls.length; i++) {
                        try {
                            CoordinatorList l = api(urls[i], token).get("/coordinators", CoordinatorList.class);
                            for (int k = 0; k < urls.length; k++)
                                if (k != except && urls[k].endsWith(":" + portOf(l.leader()))) return k + 1L;
                        } catch (IOException e) {
                            // down: ask the other
                        }
                    }
                    return 0;
                })
                - 1;
    }

    private static String portOf(String id) {
        return id == null ? "none" : id.substring(id.lastIndexOf(':') + 1);
    }

    private static ApiClient api(String url, String token) {
        return new ApiClient(ApiClient.newHttpClient(), url, token);
    }

    private static ChildProcess startCoordinator(
            CyphonLauncher launcher,
            BulkStore store,
            ScratchDir dir,
            Path data,
            int[] ports,
            int i,
            Duration lease,
            int start)
            throws IOException, InterruptedException {
        Path config = dir.resolve("coordinator-" + i + ".toml");
        long heartbeat = Math.min(2000, lease.toMillis() / 4);
        Files.writeString(config, """
                data_dir = "%s"
                [http]
                port = %d
                [leases]
                heartbeat = "%dms"
                lease = "%dms"
                """.formatted(data, ports[i], heartbeat, lease.toMillis()) + store.configToml());
        ChildProcess p = ChildProcess.start(
                "coordinator " + i,
                launcher.command("coordinator", List.of(), "--config", config.toString()),
                dir.resolve("coordinator-" + i + "-" + start + ".log"));
        p.awaitLine("coordinator listening on (http\\S+)", Duration.ofSeconds(90));
        return p;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private interface Probe {
        long value() throws Exception;
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    /** Polls every 10 ms until the probe is positive; returns it. */
    private static long awaitValue(Duration atMost, Probe p) throws Exception {
        long end = System.nanoTime() + atMost.toNanos();
        while (true) {
            long v = p.value();
            if (v > 0) return v;
            if (System.nanoTime() > end) throw new IOException("nothing within " + atMost);
            Thread.sleep(10);
        }
    }

    private static void awaitUntil(Duration atMost, Check c) throws Exception {
        awaitValue(atMost, () -> c.ok() ? 1 : 0);
    }

    /** The coordinators as an agent lists them, and where the enrollment token lies. */
    private record Listed(String url, Path data) implements CoordinatorUnderTest {
        @Override
        public String adminToken() {
            throw new UnsupportedOperationException();
        }

        @Override
        public String enrollToken() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Path enrollTokenFile() {
            return data.resolve("enroll.token");
        }

        @Override
        public Path dataDir() {
            return data;
        }

        @Override
        public String how() {
            return "two coordinator processes on one PostgreSQL";
        }

        @Override
        public OptionalLong pid() {
            return OptionalLong.empty();
        }

        @Override
        public void close() {}
    }
}
