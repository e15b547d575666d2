package org.cyphon.agent.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every kind of sandbox promises, run against each real kind on this machine (the way
 * db-scheduler runs one compatibility suite against every database). Subclasses say how to make
 * their sandbox and how to see, from the outside, that a job is frozen and that its cgroup is gone.
 */
abstract class SandboxContract {
    /** Generous: jobs run at idle priority, so on a machine busy with other builds they start and progress slowly. */
    static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path temp;

    JobDir dir;
    Sandbox sandbox;
    private final List<RunningJob> started = new ArrayList<>();

    abstract Sandbox makeSandbox() throws Exception;

    /** Asserts, from the kernel's side, that every process of the job is stopped. */
    abstract void assertStoppedByTheKernel(String jobId, RunningJob job) throws Exception;

    /** Asserts that nothing of the job's containment (cgroup directories) is left. */
    abstract void assertContainmentRemoved(String jobId) throws Exception;

    /** Removes whatever a failed test left in the cgroup file system. */
    abstract void removeCgroups() throws Exception;

    @BeforeEach
    void makeJobDirAndSandbox() throws Exception {
        dir = JobDir.in(temp);
        sandbox = makeSandbox();
    }

    @AfterEach
    void killEverythingTheTestStarted() throws Exception {
        try {
            for (RunningJob job : started) job.kill();
            for (RunningJob job : started) job.exit().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            // Processes a failing test may have left behind: every *.pid file the scripts wrote.
            try (DirectoryStream<Path> pids = Files.newDirectoryStream(dir.work(), "*.pid")) {
                for (Path p : pids)
                    ProcessHandle.of(dir.number(p.getFileName().toString())).ifPresent(ProcessHandle::destroyForcibly);
            }
        } finally {
            removeCgroups();
        }
    }

    RunningJob start(LaunchSpec spec) throws IOException {
        RunningJob job = sandbox.start(spec);
        started.add(job);
        return job;
    }

    static JobExit endOf(RunningJob job) throws Exception {
        return job.exit().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    }

    /** Pids the job's scripts wrote to {@code names}, once all are written. */
    List<Long> awaitPids(String... names) {
        await().atMost(PATIENCE).until(() -> List.of(names).stream().allMatch(n -> dir.number(n) > 0));
        return List.of(names).stream().map(dir::number).toList();
    }

    @Test
    void outputGoesToTheFilesTheExitCodeIsReportedAndTheContainmentIsRemoved() throws Exception {
        RunningJob job = start(dir.shell("out", "echo to-stdout; echo to-stderr >&2; pwd; exit 3"));

        JobExit end = endOf(job);

        assertThat(end.exitCode()).isEqualTo(3);
        assertThat(end.signal()).isNull();
        assertThat(end.message()).isNull();
        assertThat(dir.stdoutText()).isEqualTo("to-stdout\n" + dir.work() + "\n");
        assertThat(dir.stderrText()).isEqualTo("to-stderr\n");
        assertContainmentRemoved("out");
        assertThat(job.cpuSecondsSoFar()).isEqualTo(end.cpuSeconds());
    }

    @Test
    void argumentsReachTheJobLiterallyAndAreNeverParsedAsShellCode() throws Exception {
        List<String> tricky = List.of("a b", "$(touch pwned)", "; touch pwned2", "*", "'", "\"$HOME\"", "");
        List<String> command = new ArrayList<>(List.of("printf", "[%s]\\n"));
        command.addAll(tricky);

        JobExit end = endOf(start(dir.spec("argv", command, null)));

        assertThat(end.exitCode()).isZero();
        assertThat(dir.stdoutText().lines().toList())
                .containsExactlyElementsOf(
                        tricky.stream().map(a -> "[" + a + "]").toList());
        assertThat(dir.work().resolve("pwned")).doesNotExist();
        assertThat(dir.work().resolve("pwned2")).doesNotExist();
    }

    @Test
    void theJobSeesExactlyItsOwnEnvironment() throws Exception {
        LaunchSpec base = dir.spec("env", List.of("env"), null);
        Map<String, String> env = Map.of("PATH", "/usr/bin:/bin", "ODD", "two words\nand a line", "EMPTY", "");
        LaunchSpec spec = new LaunchSpec(
                base.id(),
                base.command(),
                env,
                base.workDir(),
                base.stdoutFile(),
                base.stderrFile(),
                base.cpuMillis(),
                base.memoryBytes(),
                null);

        assertThat(endOf(start(spec)).exitCode()).isZero();

        assertThat(dir.stdoutText().lines().toList())
                .containsExactlyInAnyOrder("PATH=/usr/bin:/bin", "ODD=two words", "and a line", "EMPTY=");
    }

    /** Values travel to the job through a shell as octal escapes: every byte must arrive as it was sent. */
    @Test
    void everyByteOfAValueArrivesQuotesNewlinesShellCodeAndAll() throws Exception {
        String tricky = "it's \"$(touch pwned)\" `touch pwned2` back\\slash 100% é€ \t\nends with a newline\n";
        LaunchSpec base = dir.spec("bytes", List.of("sh", "-c", "printf %s \"$TRICKY\""), null);
        LaunchSpec spec = new LaunchSpec(
                base.id(),
                base.command(),
                Map.of("PATH", "/usr/bin:/bin", "TRICKY", tricky),
                base.workDir(),
                base.stdoutFile(),
                base.stderrFile(),
                base.cpuMillis(),
                base.memoryBytes(),
                null);

        assertThat(endOf(start(spec)).exitCode()).isZero();

        assertThat(dir.stdoutText()).isEqualTo(tricky);
        assertThat(dir.work().resolve("pwned")).doesNotExist();
        assertThat(dir.work().resolve("pwned2")).doesNotExist();
    }

    /**
     * The attack of a local user (or another job) reading {@code ps}: while jobs start, a thread
     * reads every process's arguments, and a job's variable must never be among them. (When they
     * were passed as {@code env NAME=VALUE} arguments, they were there for the instant before the
     * job's exec; a scan can miss an instant, so the test starts the job twenty times.)
     */
    @Test
    void aJobsVariablesNeverAppearInAnyProcesssArgumentsWhileItStarts() throws Exception {
        String secret = "cyphon-secret-" + Long.toHexString(System.nanoTime());
        java.util.concurrent.atomic.AtomicReference<String> seen = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean scanning = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread scanner = Thread.ofPlatform().daemon().start(() -> {
            while (scanning.get() && seen.get() == null) {
                try (var procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
                    for (Path p : procs) {
                        try {
                            String args = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
                            if (args.contains(secret)) seen.set(p + ": " + args.replace('\0', ' '));
                        } catch (java.io.IOException gone) {
                            // the process ended while we looked
                        }
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        });
        try {
            for (int i = 0; i < 20; i++) {
                LaunchSpec base = dir.spec("ps-" + i, List.of("true"), null);
                LaunchSpec spec = new LaunchSpec(
                        base.id(),
                        base.command(),
                        Map.of("PATH", "/usr/bin:/bin", "API_KEY", secret),
                        base.workDir(),
                        base.stdoutFile(),
                        base.stderrFile(),
                        base.cpuMillis(),
                        base.memoryBytes(),
                        null);
                assertThat(endOf(start(spec)).exitCode()).isZero();
            }
        } finally {
            scanning.set(false);
            scanner.join();
        }
        assertThat(seen.get())
                .as("a process whose arguments held the job's variable")
                .isNull();
    }

    /**
     * If the job's environment reached the wrapper and the tools it runs as root, a job could have
     * them load its own library. The dynamic loader complains once per program that sees an
     * unloadable LD_PRELOAD, so exactly one complaint means only the job's own program saw it.
     */
    @Test
    void theJobsEnvironmentReachesOnlyTheJobNeverTheToolsRunAsRoot() throws Exception {
        LaunchSpec base = dir.spec("preload", List.of("true"), "nobody");
        Map<String, String> env = Map.of("PATH", "/usr/bin:/bin", "LD_PRELOAD", "/nonexistent/cyphon-preload.so");
        LaunchSpec spec = new LaunchSpec(
                base.id(),
                base.command(),
                env,
                base.workDir(),
                base.stdoutFile(),
                base.stderrFile(),
                base.cpuMillis(),
                base.memoryBytes(),
                "nobody");

        assertThat(endOf(start(spec)).exitCode()).isZero();

        assertThat(dir.stderrText().lines().filter(l -> l.contains("cyphon-preload.so")))
                .hasSize(1);
    }

    @Test
    void deathBySignalIsReportedAsTheSignal() throws Exception {
        JobExit end = endOf(start(dir.shell("sig", "kill -TERM $$; sleep 5")));

        assertThat(end.signal()).isEqualTo(15);
        assertThat(end.exitCode()).isNull();
        assertThat(end.message()).isEqualTo("killed by signal 15 (SIGTERM)");
    }

    @Test
    void cpuSecondsOfABusyLoopArePositiveAndPlausible() throws Exception {
        long t0 = System.nanoTime();
        RunningJob job = start(dir.shell("busy", "while [ ! -e stop ]; do :; done"));
        await().atMost(PATIENCE).until(() -> job.cpuSecondsSoFar() > 0.3);
        Files.createFile(dir.work().resolve("stop"));

        JobExit end = endOf(job);
        double wallSeconds = (System.nanoTime() - t0) / 1e9;

        assertThat(end.exitCode()).isZero();
        assertThat(end.cpuSeconds())
                .isGreaterThan(0.3)
                .isLessThanOrEqualTo(wallSeconds * Runtime.getRuntime().availableProcessors());
    }

    @Test
    void runsAsNobodyUnderSchedIdleWithNice19AndTheIdleIoClass() throws Exception {
        RunningJob job = start(
                dir.spec("user", List.of("sh", "-c", "touch mine; echo $$ > main.pid; exec sleep 1000"), "nobody"));
        long pid = awaitPids("main.pid").get(0);

        assertThat(pid).as("the command keeps the launch wrapper's pid").isEqualTo(job.pid());
        assertThat(ProcFacts.uid(pid)).isEqualTo(65534);
        assertThat(ProcFacts.policy(pid)).as("SCHED_IDLE").isEqualTo(5);
        assertThat(ProcFacts.nice(pid)).isEqualTo(19);
        Process ionice = new ProcessBuilder("ionice", "-p", Long.toString(pid)).start();
        assertThat(new String(ionice.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim())
                .isEqualTo("idle");
        assertThat(Files.getAttribute(dir.work().resolve("mine"), "unix:uid")).isEqualTo(65534);
        assertThat(Files.getAttribute(dir.stdout(), "unix:uid")).isEqualTo(65534);
    }

    @Test
    void killTakesTheWholeTreeEvenGrandchildrenThatIgnoreTermAndLeftTheSession() throws Exception {
        RunningJob job = start(dir.shell("tree", """
                trap '' TERM
                ( nohup sh -c 'trap "" TERM; echo $$ > orphan.pid; exec sleep 1000' >/dev/null 2>&1 & )
                sh -c 'setsid sh -c "trap \\"\\" TERM; echo \\$\\$ > session.pid; exec sleep 1000"' &
                echo $$ > main.pid
                while :; do sleep 1; done
                """));
        List<Long> pids = awaitPids("main.pid", "orphan.pid", "session.pid");
        // The premise: SIGTERM alone would not end this tree.
        pids.forEach(p -> ProcessHandle.of(p).ifPresent(ProcessHandle::destroy));
        Thread.sleep(300); // not a wait for a state: time in which SIGTERM must fail to end any of them
        assertThat(pids).allMatch(ProcFacts::alive);

        job.kill();

        assertThat(pids).noneMatch(ProcFacts::alive);
        JobExit end = endOf(job);
        assertThat(end.signal()).isEqualTo(9);
        assertThat(end.message()).isEqualTo("killed on request");
        assertContainmentRemoved("tree");
        job.kill(); // idempotent
    }

    @Test
    void processesLeftBehindByTheMainProcessAreKilledWhenItExits() throws Exception {
        RunningJob job = start(dir.shell("left", """
                ( nohup sh -c 'trap "" TERM; echo $$ > left.pid; exec sleep 1000' >/dev/null 2>&1 & )
                while [ ! -s left.pid ]; do sleep 0.05; done
                exit 0
                """));

        JobExit end = endOf(job);

        assertThat(end.exitCode()).isZero();
        assertThat(dir.number("left.pid"))
                .satisfies(p -> assertThat(ProcFacts.alive(p)).isFalse());
    }

    @Test
    void freezeStopsProgressAndThawResumesIt() throws Exception {
        Path ticks = dir.work().resolve("ticks");
        RunningJob job = start(dir.shell("frz", "while :; do echo x >> ticks; sleep 0.05; done"));
        await().atMost(PATIENCE).until(() -> Files.exists(ticks) && Files.size(ticks) > 0);

        job.freeze();
        assertStoppedByTheKernel("frz", job);
        long frozenSize = Files.size(ticks);
        Thread.sleep(600); // not a wait for a state: a dozen ticks' time in which a frozen job must not tick
        assertThat(Files.size(ticks)).isEqualTo(frozenSize);

        job.thaw();
        await().atMost(PATIENCE).until(() -> Files.size(ticks) > frozenSize);
    }

    @Test
    void killEndsAFrozenJob() throws Exception {
        RunningJob job = start(dir.shell("frzkill", "trap '' TERM; echo $$ > main.pid; while :; do sleep 1; done"));
        long pid = awaitPids("main.pid").get(0);
        job.freeze();

        job.kill();

        assertThat(ProcFacts.alive(pid)).isFalse();
        assertThat(endOf(job).signal()).isEqualTo(9);
    }

    @Test
    void startFailsWithAClearMessageAndLeavesNothingBehind() throws Exception {
        assertThatThrownBy(() -> start(dir.spec("nocmd", List.of("no-such-program-xyz"), null)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("'no-such-program-xyz' not found");
        assertThatThrownBy(() -> start(dir.spec("nouser", List.of("true"), "no-such-user-xyz")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("no such user 'no-such-user-xyz'");
        assertContainmentRemoved("nocmd");
        assertContainmentRemoved("nouser");
    }
}
