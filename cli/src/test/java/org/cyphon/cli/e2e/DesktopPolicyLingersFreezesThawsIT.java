package org.cyphon.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.cyphon.agent.sensors.XvfbDisplay;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code desktop} policy end to end: while the owner types (xdotool on a real Xvfb display,
 * standing in for the keyboard this machine lacks) the job lingers and keeps making progress; when
 * the owner's own CPU demand (real busy processes outside Cyphon's cgroups) contends, it freezes;
 * when the demand has been calm for {@code calm_for}, it thaws.
 */
class DesktopPolicyLingersFreezesThawsIT {
    @TempDir
    Path tmp;

    @Test
    void aJobLingersBesideATypingOwnerFreezesWhenTheOwnersCpuContendsAndThawsWhenCalm() throws Exception {
        List<Process> hogs = new ArrayList<>();
        AtomicBoolean typing = new AtomicBoolean(true);
        try (TestPool pool = new TestPool(tmp);
                XvfbDisplay display = XvfbDisplay.start(tmp)) {
            pool.startCoordinator().startAgent("desk", 2, """
                    [sensors]
                    sample_every = "200ms"
                    [policy]
                    preset = "desktop"
                    start_after_idle = "0s"
                    present_within = "3s"
                    owner_cpu_max = "1.2"
                    cpu_pressure_max = "off"
                    memory_pressure_max = "off"
                    io_pressure_max = "off"
                    contend_for = "2s"
                    calm_for = "2s"
                    """);
            Path shared = JobPids.sharedDir(); // the job has its own /tmp: it cannot see the test's
            Path ticks = shared.resolve("ticks");
            var submit = pool.cli(
                    "submit",
                    "--cpus",
                    "0.5",
                    "--",
                    "sh",
                    "-c",
                    "while :; do echo x >> " + ticks + "; sleep 0.01; done");
            assertThat(submit.exitCode()).as(submit.toString()).isZero();
            String id = submit.stdout().trim();
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(ticks) && Files.size(ticks) > 100);

            // The owner types: the job lingers, still making progress.
            Thread typist = Thread.ofVirtual().start(() -> {
                while (typing.get()) {
                    try {
                        display.client("xdotool", "key", "a");
                        Thread.sleep(500); // not a wait for a state: the typist's pace
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> pool.agent("desk").log().contains("lingering beside the owner"));
            // Lingering is not a freeze: the job keeps making progress. It runs at idle priority, so
            // on a machine whose CPUs are busy (the test's own JVMs) a second may pass without a
            // tick: progress within a few seconds is the claim, and the agent's log says why if not.
            var agentLog = pool.agent("desk");
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> grows(ticks, Duration.ofMillis(500)));
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError(
                        "a lingering job made no progress in 10 s; the agent's log ends:\n" + tail(agentLog, 40), e);
            }
            // ... held to the desktop preset's linger caps: half its memory (256M by default), I/O at 20M (MiB) a
            // second.
            assertThat(pool.agent("desk").log())
                    .contains("lingering with memory reclaimed above " + (128L << 20) + " bytes, I/O throttled to "
                            + (20L << 20) + " B/s");
            assertThat(pool.get("/jobs/" + id).path("state").asText()).isEqualTo("running");

            // What the person at the desk reads, with no token: they are present, and what the job
            // does; and overload mode, once an admin switches it on, shows there too. (Each cyphon
            // command is a JVM start on this machine: owner CPU, which may freeze the job meanwhile.)
            assertThat(pool.cli("overload", "on", "--until", "1h", "--reason", "deadline")
                            .exitCode())
                    .isZero();
            Path stateDir = tmp.resolve("agent-desk");
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> pool.cli("status", "--state-dir", stateDir.toString())
                            .stdout()
                            .contains("overload mode ON until"));
            assertThat(pool.cli("status", "--state-dir", stateDir.toString()).stdout())
                    .contains("you: present")
                    .containsPattern("cluster jobs here: job " + id + ": (lingering|frozen)");
            assertThat(pool.cli("overload", "off").exitCode()).isZero();
            // The CLI's JVMs were the owner's CPU: the job may be frozen now, and thaws after calm_for
            // once the machine is calm, which on a loaded machine (other builds beside the test) takes
            // longer; the agent's log says what it saw if it never does.
            try {
                await().atMost(Duration.ofSeconds(45))
                        .until(() ->
                                pool.get("/jobs/" + id).path("state").asText().equals("running"));
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError(
                        "the job did not run again after the CLI's JVMs; the agent's log ends:\n" + tail(agentLog, 40),
                        e);
            }

            // The owner's own work needs the CPUs: contention sustained for contend_for freezes the job.
            for (int i = 0; i < 2; i++) hogs.add(new ProcessBuilder("sh", "-c", "while :; do :; done").start());
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> pool.get("/jobs/" + id).path("state").asText().equals("suspended"));
            assertThat(grows(ticks, Duration.ofSeconds(1)))
                    .as("a frozen job makes no progress")
                    .isFalse();

            // The owner's build ends: after calm_for the job thaws (lingering again, the owner still types).
            hogs.forEach(Process::destroyForcibly);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> pool.get("/jobs/" + id).path("state").asText().equals("running"));
            assertThat(grows(ticks, Duration.ofSeconds(1))).isTrue();

            // The owner leaves: after present_within the job runs on its own, the caps lifted.
            typing.set(false);
            typist.join();
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> pool.agent("desk").log().contains("linger limits lifted"));
            assertThat(pool.agent("desk").log()).contains("running, the owner has left");
            assertThat(pool.cli("cancel", id).exitCode()).isZero();
        } finally {
            typing.set(false);
            hogs.forEach(Process::destroyForcibly);
        }
    }

    private static String tail(CyphonProcess process, int lines) {
        try {
            List<String> all = process.log().lines().toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (java.io.IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    private static boolean grows(Path file, Duration over) throws Exception {
        long before = Files.size(file);
        Thread.sleep(over.toMillis()); // the period the growth is measured over, not a wait for a state
        return Files.size(file) > before;
    }
}
