package org.cyphon.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The Debian package, installed on this machine with dpkg as an admin would: version N installed,
 * its units checked by systemd-analyze, coordinator and agent started as the units' ExecStart lines
 * start them, jobs submitted by another user; then N+1 installed over it, and finally purged.
 *
 * <p>What cannot be real here: systemd (this machine runs none). The test plays it: it runs the
 * units' ExecStart= lines itself, as the unit's User= (setpriv), with stderr to a file named in
 * JOURNAL_STREAM, and the agent inside a cgroup2 group it made for it (Delegate=); the units'
 * sandboxing (ProtectSystem=, StateDirectory=, ...) is checked by systemd-analyze, not enforced.
 * On this hybrid host the cgroup2 hierarchy has no cpu or memory controller, so the agent is told
 * {@code sandbox.mode = "cgroup-v2"} to use its delegated group all the same.
 *
 * <p>Refuses to run when a cyphon package it did not install is present, and purges what it
 * installed at the end, so a developer's machine is left as it was.
 */
@Tag("packaging")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DebPackageIT {
    /** Versions this test builds; an installed version like these was left by an earlier run of it. */
    static final String N = "0.1.0~it1";

    static final String N_PLUS_1 = "0.1.0~it2";
    static final Path REPO =
            Path.of(System.getProperty("cyphon.repo", "..")).toAbsolutePath().normalize();
    static final Path OUT =
            Path.of(System.getProperty("cyphon.deb.out", "target/deb-it")).toAbsolutePath();
    static final Path UNITS = Path.of("/lib/systemd/system");
    static final Path LOGIND_DROP_IN = Path.of("/usr/lib/systemd/logind.conf.d/cyphon.conf");
    static final Path UNIFIED = Path.of("/sys/fs/cgroup/unified");
    static final Duration START = Duration.ofMinutes(2);

    private final Path agentUnitGroup = UNIFIED.resolve(
                    "cyphon-it-" + UUID.randomUUID().toString().substring(0, 8))
            .resolve("cyphon-agent.service");
    private final List<Daemon> daemons = new ArrayList<>();
    private final List<String> jobsOnN = new ArrayList<>();
    private final Map<String, Long> timings = new HashMap<>();
    private Path debN;
    private Path debN1;
    private int port;
    private String adminToken;

    @BeforeAll
    void refuseToTouchARealInstallationThenBuildBothVersions() throws Exception {
        assertThat(Run.of("id", "-u").ok().stdout().strip())
                .as("installing a package needs root (CI runs as root)")
                .isEqualTo("0");
        String installed = installedVersion();
        if (installed != null) {
            assertThat(installed)
                    .as("cyphon %s is installed on this machine, not by this test: refusing to touch it", installed)
                    .matches(".*~it\\d+");
            Run.of("dpkg", "--purge", "cyphon").ok(); // left by an earlier run of this test that died
        }
        assertThat(Run.of("getent", "passwd", "cyphon").exitCode())
                .as("a user 'cyphon' exists that no installation by this test made: refusing to run")
                .isNotZero();
        for (Path p : List.of(Path.of("/etc/cyphon"), Path.of("/var/lib/cyphon"), Path.of("/usr/lib/cyphon")))
            assertThat(p)
                    .as("%s exists without the package: refusing to run", p)
                    .doesNotExist();

        long t0 = System.nanoTime();
        debN = build(N);
        timings.put("build N", System.nanoTime() - t0);
        debN1 = build(N_PLUS_1);
        port = freePort();
    }

    @AfterAll
    void stopEverythingAndPurge() throws Exception {
        for (Daemon d : daemons) d.close();
        if (Files.isDirectory(agentUnitGroup.getParent())) removeGroups(agentUnitGroup.getParent());
        String v = installedVersion();
        if (v != null && v.matches(".*~it\\d+"))
            Run.of("dpkg", "--purge", "cyphon").ok();
        // The package's user was made by this test's install (the first check refuses otherwise). A
        // purge after a failed test can leave it, when a daemon of it outlived its close: then the
        // next run would refuse to start. Remove what is left of it, so the machine is as it was.
        if (debN != null && Run.of("getent", "passwd", "cyphon").exitCode() == 0) {
            Run.of("pkill", "-KILL", "-u", "cyphon");
            Run.of("deluser", "--system", "cyphon");
            Run.of("delgroup", "--system", "cyphon");
        }
        System.out.println("DebPackageIT timings (ms): "
                + timings.entrySet().stream()
                        .sorted(Map.Entry.comparingByKey())
                        .map(e -> e.getKey() + " " + e.getValue() / 1_000_000)
                        .toList());
    }

    @Test
    @Order(1)
    void installsAndItsUnitsPassSystemdAnalyzeVerify() throws Exception {
        System.out.println("DebPackageIT: " + debN.getFileName() + " is " + Files.size(debN) + " bytes");
        long t0 = System.nanoTime();
        Run.of("dpkg", "-i", debN.toString()).ok();
        timings.put("install N", System.nanoTime() - t0);
        assertThat(installedVersion()).isEqualTo(N);

        Run verify = Run.of(
                "systemd-analyze",
                "verify",
                UNITS.resolve("cyphon-coordinator.service").toString(),
                UNITS.resolve("cyphon-agent.service").toString());
        assertThat(verify.exitCode()).as(verify.toString()).isZero();
        assertThat(verify.stderr() + verify.stdout()).as("no warning either").isEmpty();
        // A typo is caught: systemd-analyze only warns (exit 0), so the test reads what it says.
        Path typo = Files.createTempDirectory("units").resolve("cyphon-agent.service");
        Files.writeString(
                typo, Files.readString(UNITS.resolve("cyphon-agent.service")).replace("KillMode=", "KillMod="));
        assertThat(Run.of("systemd-analyze", "verify", typo.toString()).stderr())
                .contains("Unknown key");

        UnitFile coordinator = UnitFile.read(UNITS.resolve("cyphon-coordinator.service"));
        UnitFile agent = UnitFile.read(UNITS.resolve("cyphon-agent.service"));
        assertThat(coordinator.value("User")).isEqualTo("cyphon");
        assertThat(coordinator.value("ProtectSystem")).isEqualTo("strict");
        assertThat(coordinator.value("NoNewPrivileges")).isEqualTo("yes");
        assertThat(agent.value("Delegate")).isEqualTo("yes");
        assertThat(agent.value("KillMode")).isEqualTo("process");
        // logind waits up to 30 s at power-off for the agent's delay lock (jobs checkpointed, desk VM saved).
        assertThat(UnitFile.read(LOGIND_DROP_IN).value("InhibitDelayMaxSec")).isEqualTo("30");
        assertThat(Run.of("systemd-analyze", "cat-config", "systemd/logind.conf")
                        .ok()
                        .stdout())
                .as("where systemd reads logind's drop-ins from")
                .contains("# " + LOGIND_DROP_IN)
                .contains("InhibitDelayMaxSec=30");

        assertThat(Run.of("getent", "passwd", "cyphon").ok().stdout()).contains("/usr/sbin/nologin");
        assertThat(mode(Path.of("/var/lib/cyphon"))).isEqualTo("rwx--x--x");
        assertThat(mode(Path.of("/var/lib/cyphon/coordinator"))).isEqualTo("rwx------");
        assertThat(owner(Path.of("/var/lib/cyphon/coordinator"))).isEqualTo("cyphon");
        assertThat(Run.of("dpkg-query", "-W", "-f", "${Conffiles}", "cyphon")
                        .ok()
                        .stdout())
                .contains("/etc/cyphon/coordinator.toml")
                .contains("/etc/cyphon/agent.toml");
        // On every user's PATH, runnable by anyone, with no Java of the system's.
        Run version = asNobody(List.of("cyphon", "--version"), Map.of("PATH", "/usr/local/bin:/usr/bin:/bin"));
        assertThat(version.ok().stdout()).startsWith("cyphon ");
    }

    @Test
    @Order(2)
    void coordinatorAndAgentStartAsTheirUnitsStartThemAndRunJobsSubmittedByAnotherUser() throws Exception {
        edit("/etc/cyphon/coordinator.toml", "# port = 7070", "port = " + port);
        edit("/etc/cyphon/agent.toml", "# name = \"desk-042\"", "name = \"it-desk\"");
        edit("/etc/cyphon/agent.toml", "# coordinator = \"http://127.0.0.1:7070\"", "coordinator = \"" + url() + "\"");
        edit("/etc/cyphon/agent.toml", "# enroll_token_file = ", "enroll_token_file = ");
        edit("/etc/cyphon/agent.toml", "# mode = \"auto\"", "mode = \"cgroup-v2\"");
        edit("/etc/cyphon/agent.toml", "# preset = \"desktop\"", "preset = \"dedicated\"");

        startBoth();
        Daemon coordinator = daemons.get(0);
        assertThat(coordinator.stderr())
                .as("journal lines: a syslog priority, no timestamp of ours")
                .contains("<6>INFO")
                .doesNotContainPattern("(?m)^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} ");
        // The JVM flags of bin/jvm-flags.sh reach the services' JVMs (which start with them: an
        // unknown flag would stop them). Both give glibc's free memory back every 5 s, where the
        // packaged runtime can: a coordinator of 10,000 desks stayed under 1 GB only so (README).
        List<String> trims = trimsNativeHeap() ? List.of("-XX:TrimNativeHeapInterval=5000") : List.of();
        assertThat(jvmFlags(coordinator.pid()))
                .contains("-XX:+UseParallelGC", "-XX:+ExitOnOutOfMemoryError")
                .containsAll(trims);
        assertThat(jvmFlags(daemons.get(1).pid()))
                .contains("-XX:+UseSerialGC", "-Xmx64m")
                .containsAll(trims);

        for (int i = 1; i <= 3; i++) jobsOnN.add(submitAsNobody("echo job " + i + "; cat /proc/self/cgroup"));
        for (String id : jobsOnN) awaitCompleted(id);
        String logs = client("logs", jobsOnN.get(0)).ok().stdout();
        assertThat(logs).contains("job 1");
        String group = "/" + UNIFIED.relativize(agentUnitGroup) + "/jobs/";
        assertThat(logs).as("the job ran in the agent's delegated cgroup").contains("0::" + group);
        assertThat(Files.readAllLines(agentUnitGroup.resolve("agent/cgroup.procs")))
                .as("the agent moved itself into its leaf")
                .contains(Long.toString(daemons.get(1).pid()));

        stopBoth();
        assertThat(agentStopPost()).contains("agent-stopped:");
    }

    @Test
    @Order(3)
    void upgradeKeepsTheEditedConfigTheDataAndEveryJob() throws Exception {
        assertThat(jobsOnN).as("jobs run on version N").hasSize(3);
        long t0 = System.nanoTime();
        Run.of("dpkg", "-i", debN1.toString()).ok(); // stdin is /dev/null: a conffile prompt would fail it
        timings.put("upgrade N to N+1", System.nanoTime() - t0);
        assertThat(installedVersion()).isEqualTo(N_PLUS_1);
        assertThat(Files.readString(Path.of("/etc/cyphon/coordinator.toml"))).contains("port = " + port);
        assertThat(Files.readString(Path.of("/etc/cyphon/agent.toml"))).contains("name = \"it-desk\"");

        startBoth();
        String queue = client("q", "--all").ok().stdout();
        for (String id : jobsOnN)
            assertThat(queue.lines().filter(l -> l.trim().startsWith(id + " ")))
                    .as("job %s after the upgrade:\n%s", id, queue)
                    .singleElement()
                    .asString()
                    .contains("completed");
        assertThat(client("logs", jobsOnN.get(2)).ok().stdout()).contains("job 3");
        String after = submitAsNobody("echo after the upgrade");
        awaitCompleted(after);
        stopBoth();
        agentStopPost();
    }

    @Test
    @Order(4)
    void purgeLeavesNothingBehind() throws Exception {
        long t0 = System.nanoTime();
        Run.of("dpkg", "--purge", "cyphon").ok();
        timings.put("purge", System.nanoTime() - t0);
        assertThat(installedVersion()).isNull();
        for (String p : List.of(
                "/usr/bin/cyphon",
                "/usr/lib/cyphon",
                "/etc/cyphon",
                "/var/lib/cyphon",
                "/usr/share/doc/cyphon",
                "/lib/systemd/system/cyphon-coordinator.service",
                "/lib/systemd/system/cyphon-agent.service",
                LOGIND_DROP_IN.toString())) assertThat(Path.of(p)).doesNotExist();
        assertThat(Run.of("getent", "passwd", "cyphon").exitCode()).isNotZero();
        assertThat(Run.of("getent", "group", "cyphon").exitCode()).isNotZero();
    }

    // ---- playing systemd

    /** Both services, as their units' ExecStart= lines start them. */
    private void startBoth() throws Exception {
        UnitFile cu = UnitFile.read(UNITS.resolve("cyphon-coordinator.service"));
        List<String> asUser = List.of(
                "setpriv", "--reuid=" + cu.value("User"), "--regid=" + cu.value("Group"), "--init-groups", "--");
        Daemon coordinator = Daemon.start("coordinator", OUT, Map.of(), concat(asUser, cu.command("ExecStart")));
        daemons.addFirst(coordinator);
        assertThat(coordinator.awaitLine("coordinator listening on (\\S+)", START))
                .isEqualTo(url());
        adminToken = Files.readString(Path.of("/var/lib/cyphon/coordinator/admin.token"))
                .strip();

        UnitFile au = UnitFile.read(UNITS.resolve("cyphon-agent.service"));
        Files.createDirectories(agentUnitGroup);
        // Delegate=: systemd puts the process into the unit's own cgroup before it execs ExecStart.
        List<String> inUnitGroup =
                List.of("sh", "-c", "echo $$ > " + agentUnitGroup.resolve("cgroup.procs") + " && exec \"$@\"", "sh");
        Daemon agent = Daemon.start("agent", OUT, Map.of(), concat(inUnitGroup, au.command("ExecStart")));
        daemons.add(agent);
        agent.awaitLine("agent \\S+ joined", START);
    }

    private void stopBoth() throws Exception {
        assertThat(daemons.get(1).stop()).as(daemons.get(1).log()).isIn(0, 143);
        assertThat(daemons.get(0).stop()).as(daemons.get(0).log()).isIn(0, 143);
        daemons.clear();
    }

    /** The agent unit's ExecStopPost=, run in the unit's .control group as systemd runs it. */
    private String agentStopPost() throws Exception {
        UnitFile au = UnitFile.read(UNITS.resolve("cyphon-agent.service"));
        Path control = agentUnitGroup.resolve(".control");
        Files.createDirectories(control);
        Run r = Run.of(
                Map.of(),
                120,
                concat(
                        List.of("sh", "-c", "echo $$ > " + control.resolve("cgroup.procs") + " && exec \"$@\"", "sh"),
                        au.command("ExecStopPost")));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        // The kernel may still call an emptied group busy for a moment.
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
            Files.delete(control);
            return true;
        });
        return r.stdout();
    }

    // ---- the client, as another user

    private String submitAsNobody(String script) throws Exception {
        Run r = asNobody(List.of("/usr/bin/cyphon", "submit", "--", "sh", "-c", script), clientEnv());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r.stdout().strip();
    }

    private void awaitCompleted(String id) throws Exception {
        Run wait = client("wait", id);
        assertThat(wait.exitCode()).as(wait + daemons.get(1).log()).isZero();
    }

    private Run client(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/cyphon"));
        cmd.addAll(List.of(args));
        return asNobody(cmd, clientEnv());
    }

    private Map<String, String> clientEnv() {
        return Map.of("CYPHON_URL", url(), "CYPHON_TOKEN", adminToken);
    }

    private static Run asNobody(List<String> command, Map<String, String> env) throws Exception {
        return Run.of(
                env,
                120,
                concat(List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"), command));
    }

    // ---- helpers

    private Path build(String version) throws Exception {
        Run r = Run.of(
                Map.of(),
                1200,
                List.of(
                        REPO.resolve("tools/build-deb.sh").toString(),
                        "--no-build",
                        "--gzip",
                        "--version",
                        version,
                        "--out",
                        OUT.toString()));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        Path deb = Path.of(r.stdout().strip().lines().reduce((a, b) -> b).orElseThrow());
        assertThat(deb).exists();
        return deb;
    }

    private String url() {
        return "http://127.0.0.1:" + port;
    }

    private static String installedVersion() throws Exception {
        Run r = Run.of("dpkg-query", "-W", "-f", "${db:Status-Status} ${Version}", "cyphon");
        if (r.exitCode() != 0) return null;
        String[] f = r.stdout().strip().split(" ");
        return f[0].equals("not-installed") || f.length < 2 ? null : f[1];
    }

    private static void edit(String file, String from, String to) throws IOException {
        Path p = Path.of(file);
        String text = Files.readString(p);
        assertThat(text).as("%s as shipped", file).contains(from);
        Files.writeString(p, text.replace(from, to), StandardOpenOption.TRUNCATE_EXISTING);
    }

    /** The JVM options of the running java process {@code pid}: its arguments before {@code -jar}. */
    private static List<String> jvmFlags(long pid) throws IOException {
        List<String> args =
                List.of(Files.readString(Path.of("/proc/" + pid + "/cmdline")).split("\0"));
        assertThat(args.getFirst()).as("process %d runs java: %s", pid, args).endsWith("/java");
        return args.subList(1, Math.max(1, args.indexOf("-jar")));
    }

    /** Whether the package's Java runtime knows -XX:TrimNativeHeapInterval (21.0.0 does not). */
    private static boolean trimsNativeHeap() throws Exception {
        return Run.of("/usr/lib/cyphon/runtime/bin/java", "-XX:TrimNativeHeapInterval=5000", "-version")
                        .exitCode()
                == 0;
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private static String owner(Path p) throws IOException {
        return Files.readAttributes(p, PosixFileAttributes.class).owner().getName();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** Kills whatever is left in the test's cgroups and removes them, deepest first. */
    private static void removeGroups(Path top) throws Exception {
        List<Path> groups;
        try (Stream<Path> walk = Files.walk(top)) {
            groups = walk.filter(Files::isDirectory)
                    .sorted(Comparator.comparingInt(Path::getNameCount).reversed())
                    .toList();
        }
        for (Path g : groups) {
            Files.writeString(g.resolve("cgroup.kill"), "1", StandardOpenOption.WRITE);
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
                Files.delete(g);
                return true;
            });
        }
    }
}
