package org.cyphon.agent.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every wall around a job, tried from inside a real job with the attack it stops (issue 12): a
 * root agent's sandbox on this machine's real cgroups, jobs of two submitters in slot accounts of
 * our own (a unique prefix, removed afterwards: the machine's other tests use their own).
 */
abstract class JobWallsContract {
    static final Path CGROUP_ROOT = Path.of("/sys/fs/cgroup");
    static final Duration PATIENCE = Duration.ofSeconds(60);

    final String parent = "cyphon-walls-" + UUID.randomUUID().toString().substring(0, 8);
    final String prefix = "cyw" + UUID.randomUUID().toString().substring(0, 6) + "-";

    @TempDir
    Path temp;

    Sandbox sandbox;
    JobAccounts accounts;
    private final List<RunningJob> started = new ArrayList<>();
    private final List<JobAccounts.Account> taken = new ArrayList<>();

    abstract String mode();

    SandboxSettings settings() {
        return new SandboxSettings(
                CGROUP_ROOT, parent, mode(), SandboxSettings.DEFAULT_PIDS_MAX, List.of(), "slot", prefix, 4);
    }

    @BeforeEach
    void makeSandbox() {
        sandbox = Sandboxes.detect(settings());
        accounts = JobAccounts.of("slot", prefix, 4, temp.resolve("locks"));
    }

    @AfterEach
    void cleanUp() throws Exception {
        try {
            for (RunningJob job : started) job.kill();
            for (RunningJob job : started) job.exit().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            taken.forEach(JobAccounts.Account::close);
        } finally {
            CgroupCleanup.removeEverywhere(CGROUP_ROOT, parent);
            TestAccounts.removeAll(prefix, 8);
        }
    }

    /** A job of {@code submitter} running {@code sh -c script} in its own work dir under the test's temp dir. */
    RunningJob start(String submitter, String id, String script, long diskBytes, String network) throws Exception {
        return start(submitter, id, script, diskBytes, network, List.of());
    }

    RunningJob start(
            String submitter, String id, String script, long diskBytes, String network, List<DeviceNode> hidden)
            throws Exception {
        JobAccounts.Account account = accounts.take(submitter);
        taken.add(account);
        Path work = Files.createDirectories(temp.resolve(id));
        work.toFile().setExecutable(true, false);
        temp.toFile().setExecutable(true, false);
        RunningJob job = sandbox.start(new LaunchSpec(
                id,
                List.of("sh", "-c", script),
                Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "HOME", work.toString(), "SECRET", "of-" + submitter),
                work,
                temp.resolve(id + ".out"),
                temp.resolve(id + ".err"),
                1000,
                512L << 20,
                account.user(),
                diskBytes,
                network,
                List.of(),
                hidden));
        started.add(job);
        return job;
    }

    RunningJob start(String submitter, String id, String script) throws Exception {
        return start(submitter, id, script, LaunchSpec.DEFAULT_DISK_BYTES, "host");
    }

    String out(String id) throws Exception {
        return Files.readString(temp.resolve(id + ".out"));
    }

    static JobExit endOf(RunningJob job) throws Exception {
        return job.exit().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void twoSubmittersGetTwoAccountsAndNeitherCanReadKillOrTraceTheOther() throws Exception {
        RunningJob bob = start("bob", "bob", "mkdir -p .cyphon-checkpoint; echo $$ > main.pid; exec sleep 1000");
        await().atMost(PATIENCE).until(() -> Files.exists(temp.resolve("bob/main.pid")));
        long bobPid = bob.pid();
        String bobWork = temp.resolve("bob").toString();
        // Alice knows bob's host pid and paths (as an attacker on the same desk would) and tries them all.
        String attack = String.join(
                "\n",
                "P=" + bobPid,
                "cat /proc/$P/environ >/dev/null 2>&1 && echo environ-read || echo environ-refused",
                "kill -0 $P 2>/dev/null && echo signal-reached || echo signal-refused",
                "kill -9 $P 2>/dev/null && echo kill-reached || echo kill-refused",
                "python3 -c 'import ctypes,sys; libc=ctypes.CDLL(None, use_errno=True);"
                        + " sys.exit(0 if libc.ptrace(16, int(sys.argv[1]), 0, 0) == 0 else 1)' $P"
                        + " && echo ptrace-attached || echo ptrace-refused",
                "echo 'rm -rf ~' > " + bobWork
                        + "/.cyphon-checkpoint/evil.sh 2>/dev/null && echo planted || echo plant-refused",
                "ls /proc | grep -c '^[0-9]' ",
                "id -un");
        JobExit end = endOf(start("alice", "alice", attack));

        assertThat(end.exitCode()).isZero();
        List<String> lines = out("alice").lines().toList();
        assertThat(lines)
                .contains(
                        "environ-refused",
                        "signal-refused",
                        "kill-refused",
                        "ptrace-refused",
                        "plant-refused",
                        prefix + "2");
        assertThat(Integer.parseInt(lines.get(lines.size() - 2).trim()))
                .as("processes alice's job sees: its own shell, ls, grep at most")
                .isLessThan(6);
        assertThat(ProcFacts.alive(bobPid)).as("bob's job survived").isTrue();
        assertThat(ProcFacts.uid(bobPid))
                .isNotEqualTo(ProcFacts.uid(ProcessHandle.current().pid()));
        assertThat(temp.resolve("bob/.cyphon-checkpoint/evil.sh")).doesNotExist();
    }

    @Test
    void aJobsTmpVarTmpAndShmAreItsOwnAndGoWithIt() throws Exception {
        String name = "cyphon-walls-" + UUID.randomUUID();
        RunningJob job = start(
                "alice",
                "shm",
                "dd if=/dev/zero of=/dev/shm/" + name + " bs=1M count=64 2>/dev/null; echo x > /tmp/" + name
                        + "; echo x > /var/tmp/" + name
                        + "; ls /dev/shm /tmp /var/tmp; ls /home | wc -l; touch go; exec sleep 1000");
        await().atMost(PATIENCE).until(() -> Files.exists(temp.resolve("shm/go")));

        assertThat(out("shm")).contains(name);
        assertThat(Path.of("/dev/shm", name)).as("not in the desk's /dev/shm").doesNotExist();
        assertThat(Path.of("/tmp", name)).as("not in the desk's /tmp").doesNotExist();
        assertThat(Path.of("/var/tmp", name)).as("not in the desk's /var/tmp").doesNotExist();
        assertThat(out("shm").lines().toList()).as("no home directory visible").contains("0");
        job.kill();
        endOf(job);

        RunningJob next = start("alice", "shm2", "ls /dev/shm /var/tmp | grep -c " + name);
        endOf(next);
        assertThat(out("shm2").trim())
                .as("the next job's /dev/shm and /var/tmp hold nothing of the last")
                .isEqualTo("0");
    }

    @Test
    void writingPastTheDiskLimitStopsTheJobWithTheReason() throws Exception {
        RunningJob job = start(
                "alice",
                "disk",
                "i=0; while :; do dd if=/dev/zero of=f$i bs=1M count=4 2>/dev/null; i=$((i + 1)); done",
                20L << 20,
                "host");

        JobExit end = endOf(job);

        assertThat(end.signal()).isEqualTo(9);
        assertThat(end.message()).contains("over its disk limit 20M").contains("work directory holds");
    }

    @Test
    void oneFilePastTheDiskLimitIsStoppedByTheKernel() throws Exception {
        JobExit end = endOf(start("alice", "fsize", "exec dd if=/dev/zero of=big bs=1M count=64", 8L << 20, "host"));

        assertThat(end.message()).contains("a file reached its disk limit 8M");
        assertThat(Files.size(temp.resolve("fsize/big"))).isEqualTo(8L << 20);
    }

    @Test
    void networkNoneLeavesOnlyLoopback() throws Exception {
        endOf(start("alice", "net", "tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '", 1L << 30, "none"));
        endOf(start("alice", "hostnet", "tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '", 1L << 30, "host"));

        assertThat(out("net").lines().toList()).containsExactly("lo");
        assertThat(out("hostnet").lines().count()).isGreaterThan(1);
    }

    /** Tries to open each device read-write and prints its name and the errno (or "opened"). */
    static final String OPEN_EACH = """
            python3 -c '
            import errno, os, sys
            for p in sys.argv[1:]:
                try:
                    os.close(os.open(p, os.O_RDWR))
                    print(os.path.basename(p), "opened")
                except OSError as e:
                    print(os.path.basename(p), errno.errorcode[e.errno])
            ' "$@"
            """;

    /** A wall's refusal: EPERM from a device cgroup, EACCES from a covered path. ENXIO is the node reaching no driver. */
    static final java.util.Set<String> REFUSED = java.util.Set.of("EPERM", "EACCES");

    java.util.Map<String, String> opened(String id) throws Exception {
        java.util.Map<String, String> out = new java.util.HashMap<>();
        for (String line : out(id).lines().toList()) {
            String[] f = line.split(" ");
            if (f.length == 2) out.put(f[0], f[1]);
        }
        return out;
    }

    String openScript(org.cyphon.agent.gpu.FakeNvidiaGpus fake, String... names) {
        StringBuilder args = new StringBuilder();
        for (String n : names) args.append(' ').append(fake.node(n));
        return "set --" + args + "\n" + OPEN_EACH;
    }

    @Test
    void aJobGivenGpuZeroCannotOpenGpuOneAndAJobWithoutAGpuOpensNone() throws Exception {
        // Under /srv: jobs see /tmp and /home replaced by their own.
        try (var fake = org.cyphon.agent.gpu.FakeNvidiaGpus.create(Path.of("/srv"), 2)) {
            var nodes = org.cyphon.agent.gpu.NvidiaNodes.scan(fake.devDir);
            String[] all = {"nvidia0", "nvidia1", "nvidiactl", "nvidia-uvm"};

            endOf(start(
                    "alice", "gpu0", openScript(fake, all), 1L << 30, "host", nodes.hiddenFrom(java.util.Set.of(0))));
            endOf(start("bob", "nogpu", openScript(fake, all), 1L << 30, "host", nodes.hiddenFrom(java.util.Set.of())));

            var gpu0 = opened("gpu0");
            assertThat(gpu0.get("nvidia1")).as("the other GPU: " + gpu0).isIn(REFUSED);
            // Its own GPU and the shared nodes are not walled: they reach no driver on this machine.
            assertThat(gpu0.get("nvidia0")).as("its own GPU: " + gpu0).isEqualTo("ENXIO");
            assertThat(gpu0.get("nvidiactl")).isEqualTo("ENXIO");
            assertThat(gpu0.get("nvidia-uvm")).isEqualTo("ENXIO");
            var none = opened("nogpu");
            assertThat(none).as("every node refused: " + none).hasSize(4);
            assertThat(none.values()).allMatch(REFUSED::contains);
            // The walls are the job's alone: the desk still reaches the nodes.
            assertThat(fake.node("nvidia1")).exists();
            assertThat(org.cyphon.agent.sandbox.DeviceNode.read(fake.node("nvidia1")))
                    .isNotNull();
        }
    }
}
