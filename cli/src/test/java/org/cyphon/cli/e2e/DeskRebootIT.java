package org.cyphon.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.cyphon.agent.desk.GuestConsole;
import org.cyphon.agent.sensors.TestLogind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TA reboots the desk at night (issue 14): logind announces the power-off
 * ({@code PrepareForShutdown}) to a desk whose agent runs a checkpointing job and the owner's desk
 * VM. The agent, holding a delay lock, has the job checkpoint and leave (requeued, nothing lost),
 * saves the VM to disk and lets go of the lock well within logind's InhibitDelayMaxSec. The job
 * resumes on another desk from exactly where it left off; after the reboot the desk's agent brings
 * the VM back from its saved state with its RAM: a value the guest kept only in memory is still there.
 *
 * <p>Real: the coordinator and both agents (processes), the job, QEMU and the guest, the D-Bus
 * daemon, the delay lock (systemd-inhibit holds it, the test logind watches its descriptor). Faked:
 * logind's decision to power off, and the power-off itself (the agent is stopped as systemd would,
 * and a new logind starts for the next boot).
 */
class DeskRebootIT {
    /** The package's logind drop-in (InhibitDelayMaxSec). */
    private static final Duration DELAY_MAX = Duration.ofSeconds(30);
    /** The job's checkpoint interval (the shortest a job may ask for). */
    private static final Duration CHECKPOINT_EVERY = Duration.ofMinutes(1);

    /** Counts to 150 in steps of 0.1 s; saves its count on USR1 (periodic) and TERM (leave); resumes from it. */
    static final String COUNTER = """
            d=$CYPHON_CHECKPOINT_DIR
            i=0
            if [ -f "$d/state" ]; then read i < "$d/state"; echo "resumed from $i" >&2; fi
            trap 'echo "$i" > "$d/state"' USR1
            trap 'echo "$i" > "$d/state"; echo "left at $i" >&2; exit 85' TERM
            while [ "$i" -lt 150 ]; do i=$((i + 1)); sleep 0.1; done
            echo "counted to $i"
            """;

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void aRebootCheckpointsTheJobSavesTheDeskVmAndBothComeBack() throws Exception {
        Path guest = TestGuestImage.dir();
        Path userData = tmp.resolve("userdata.img");
        Files.copy(guest.resolve("userdata.img"), userData);
        String vmName = "it-" + UUID.randomUUID().toString().substring(0, 8);
        Path deskState = tmp.resolve("agent-desk").resolve("desk");
        String marker = "ram-" + UUID.randomUUID().toString().substring(0, 8);
        TestLogind logind = TestLogind.start(DELAY_MAX);
        TestLogind nextBoot = null;
        try (TestPool pool = new TestPool(tmp)) {
            pool.startCoordinator().startAgent("desk", 1, deskSections(logind, guest, userData, vmName));
            try {
                await().atMost(Duration.ofSeconds(30))
                        .alias("the agent holds a delay lock on shutdown")
                        .until(() -> logind.shutdownDelayLocks() == 1);
                assertThat(ok(pool.cli("machine", "desk")))
                        .contains("power-off:")
                        .contains("announced by logind")
                        .contains("within 30s (logind's InhibitDelayMaxUSec)")
                        .contains("delay lock held");

                // The owner's desktop: the VM runs and keeps a value in RAM only.
                assertThat(ok(pool.cli("desk", "desk", "start"))).contains("desk: started");
                GuestConsole.awaitReady(deskState.resolve("serial.log"), Duration.ofSeconds(90));
                runningNow(pool);
                try (GuestConsole console = GuestConsole.attach(deskState.resolve("serial.sock"))) {
                    assertThat(console.ask("remember " + marker)).isEqualTo("OK remember");
                }

                // The night's job.
                var submit =
                        pool.cli("submit", "--checkpoint-every", "1m", "--name", "counter", "--", "sh", "-c", COUNTER);
                assertThat(submit.exitCode()).as(submit.toString()).isZero();
                String id = submit.stdout().trim();
                await().atMost(Duration.ofSeconds(30))
                        .until(() ->
                                pool.get("/jobs/" + id).path("state").asText().equals("running"));
                await().atMost(Duration.ofSeconds(30))
                        .alias("the job has counted a while")
                        .until(() -> jobRanFor(pool, id) >= 3);

                // --- the reboot: logind announces it and waits for the delay lock ---
                TestLogind.Wait w = logind.announceShutdown();
                assertThat(w.released())
                        .as("the agent let go of its lock within InhibitDelayMaxSec (" + DELAY_MAX + ")")
                        .isTrue();
                assertThat(w.waited()).isLessThan(DELAY_MAX);
                String took =
                        pool.agent("desk").awaitLine("took (\\d+ ms of the \\d+ s allowed)", Duration.ofSeconds(5));
                System.out.println("reboot: logind waited " + w.waited().toMillis() + " ms for the agent (" + took
                        + "; logind allows " + DELAY_MAX.toSeconds() + " s)");

                // By then the job is back in the queue with its checkpoint, and the VM is on disk.
                JsonNode queued = pool.get("/jobs/" + id);
                assertThat(queued.path("state").asText()).isEqualTo("queued");
                JsonNode first = queued.path("attempts").get(0);
                assertThat(first.path("outcome").asText()).isEqualTo("vacated");
                assertThat(first.path("message").asText()).isEqualTo("the desk is shutting down");
                assertThat(queued.path("checkpointBytes").asLong()).isPositive();
                assertThat(deskState.resolve("saved.state")).exists();
                assertThat(Files.exists(deskState.resolve("qemu.pid")))
                        .as("the save ended the VM")
                        .isFalse();

                // systemd stops the agent, the machine goes down; a fresh logind comes up with it.
                long stopping = System.nanoTime();
                pool.agent("desk").close();
                long stopMillis = (System.nanoTime() - stopping) / 1_000_000;
                System.out.println("reboot: the agent stopped " + stopMillis + " ms after SIGTERM");
                assertThat(stopMillis).isLessThan(10_000);
                logind.close();
                nextBoot = TestLogind.start(DELAY_MAX);

                // The job resumes elsewhere from its checkpoint.
                pool.startAgent("other", 1);
                var wait = pool.cli("wait", id, "--timeout", "2m");
                assertThat(wait.exitCode()).as(wait + pool.logs()).isZero();
                JsonNode done = pool.get("/jobs/" + id);
                assertThat(done.path("machine").asText()).isEqualTo("other");
                assertThat(done.path("attemptCount").asInt()).isEqualTo(2);
                assertThat(pool.getText("/jobs/" + id + "/logs?stream=stdout")).isEqualTo("counted to 150\n");
                int leftAt = number(pool.getText("/jobs/" + id + "/logs?stream=stderr&attempt=1"), "left at ");
                int resumedFrom =
                        number(pool.getText("/jobs/" + id + "/logs?stream=stderr&attempt=2"), "resumed from ");
                System.out.println("reboot: the job left at step " + leftAt + " and resumed from step " + resumedFrom
                        + " (0.1 s per step; checkpoint interval " + CHECKPOINT_EVERY.toSeconds() + " s)");
                assertThat(resumedFrom).isPositive().isEqualTo(leftAt);
                assertThat(Duration.ofMillis(100L * (leftAt - resumedFrom))).isLessThanOrEqualTo(CHECKPOINT_EVERY);
                assertThat(done.path("lostCpuSeconds").asDouble())
                        .as("nothing counted as lost")
                        .isLessThan(1.0);

                // --- the next boot: the desk's agent restores the VM from its saved state ---
                pool.startAgent("desk", 1, deskSections(nextBoot, guest, userData, vmName));
                await().atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofMillis(500))
                        .alias("the keeper restores the saved VM")
                        .until(() -> deskState(pool).matches("running|paused"));
                runningNow(pool);
                try (GuestConsole console = GuestConsole.attach(deskState.resolve("serial.sock"))) {
                    assertThat(console.ask("recall"))
                            .as("the guest's RAM survived the reboot")
                            .isEqualTo("VALUE " + marker);
                }
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(e.getMessage() + "\n" + pool.logs(), e);
            } finally {
                DeskCommandsIT.GuestSerial.killQemu(deskState);
            }
        } finally {
            logind.close();
            if (nextBoot != null) nextBoot.close();
        }
    }

    private static String deskSections(TestLogind logind, Path guest, Path userData, String vmName) throws Exception {
        return """
                [policy]
                preset = "dedicated"
                [sensors]
                evdev = false
                x11 = false
                dbus_address = "%s"
                [desk]
                name = "%s"
                golden_image = "%s"
                user_data = "%s"
                vcpus = 1
                memory_max = "128M"
                memory_min = "64M"
                display = "none"
                network = "none"
                accel = "auto"
                kernel = "%s"
                initrd = "%s"
                cmdline = "%s"
                hours = "off"
                """.formatted(
                        logind.address(),
                        vmName,
                        guest.resolve("golden.qcow2"),
                        userData,
                        guest.resolve("vmlinuz"),
                        guest.resolve("initrd.cpio"),
                        Files.readString(guest.resolve("cmdline")).trim());
    }

    /** The VM's state as the desk's agent reports it ("running", "paused", "saved", ...). */
    private static String deskState(TestPool pool) throws Exception {
        var r = pool.cli("desk", "desk", "status", "--json");
        if (r.exitCode() != 0) return "unknown";
        return TestPool.JSON.readTree(r.stdout()).path("vm").path("state").asText();
    }

    /** The desk's plan may have paused the VM (nobody at this headless desk): the test wants it running. */
    private static void runningNow(TestPool pool) throws Exception {
        if (deskState(pool).equals("paused")) ok(pool.cli("desk", "desk", "resume"));
        assertThat(deskState(pool)).isEqualTo("running");
    }

    /** Seconds the job's current attempt has been running. */
    private static long jobRanFor(TestPool pool, String id) throws Exception {
        JsonNode j = pool.get("/jobs/" + id);
        JsonNode attempts = j.path("attempts");
        String started = attempts.get(attempts.size() - 1).path("startedAt").asText();
        return Duration.between(java.time.Instant.parse(started), java.time.Instant.now())
                .toSeconds();
    }

    private static int number(String text, String after) {
        int at = text.indexOf(after);
        assertThat(at).as("'" + after + "' in: " + text).isNotNegative();
        String rest = text.substring(at + after.length()).strip();
        return Integer.parseInt(rest.split("\\s+")[0]);
    }

    private static String ok(CyphonProcess.Result r) {
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r.stdout();
    }
}
