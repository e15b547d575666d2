package org.cyphon.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The desk's one controller end to end, as issue 13 found it broken: a real coordinator, a real
 * agent with the test guest under QEMU, at a moment outside its desk hours with nobody ever seen
 * (the keeper wants the VM saved), driven through the CLI.
 *
 * <ul>
 *   <li>An administrator's start holds the VM running: overload on and off do not save it; the
 *       hold shows in {@code cyphon machines} and {@code cyphon desk MACHINE status}.</li>
 *   <li>The memory the desk offers follows the VM: a job that needs more than the running VM
 *       leaves stays queued, and runs once the VM is saved.</li>
 *   <li>A saved desk is not powered off without {@code --discard-saved-state}.</li>
 *   <li>Released, the keeper saves the VM by itself, and says why in the audit log.</li>
 *   <li>A QEMU killed with SIGKILL is a failed desk, with its exit status, in the machines table,
 *       the desk's status and the audit log.</li>
 *   <li>Status reads are never in the audit log.</li>
 * </ul>
 */
class DeskControlIT {
    private static final long MIB = 1L << 20;
    private static final long AGENT_MEMORY = 4L << 30; // TestPool's agents declare 4G

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void theKeeperAndTheAdministratorsShareTheVmThroughOneControllerAndEveryChangeIsOnRecord() throws Exception {
        String desk = "dc-" + UUID.randomUUID().toString().substring(0, 8);
        Path deskState = tmp.resolve("agent-m1").resolve("desk");
        // Desk hours an hour long, six hours from now: outside them, and nobody ever seen at this
        // headless test machine, the keeper wants the VM saved.
        int from = ZonedDateTime.now(ZoneOffset.UTC).plusHours(6).getHour();
        String hours = "daily %02d:00-%02d:00".formatted(from, (from + 1) % 24);
        try (TestPool pool = new TestPool(tmp)) {
            pool.startCoordinator();
            pool.startAgent("m1", 1, """
                    [policy]
                    preset = "dedicated"
                    """ + TestGuestImage.deskSection(tmp, desk, """
                    display = "none"
                    hours = "%s"
                    time_zone = "UTC"
                    overload_cpu_floor = 0.5
                    """.formatted(hours)));
            try {
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> !pool.get("/machines/m1").path("vm").isMissingNode());
                assertThat(memoryOffered(pool)).as("stopped: all of it").isEqualTo(AGENT_MEMORY);

                // --- an administrator's start holds the VM running against the keeper's wish to save it ---
                assertThat(ok(pool.cli("desk", "m1", "start")))
                        .contains("m1: started")
                        .contains("held running by admin (start) until released");
                awaitSerial(deskState.resolve("serial.log"), "CYPHON-GUEST READY");
                assertThat(ok(pool.cli("machines"))).containsPattern("running/(kvm|tcg)\\(held\\)");
                assertThat(ok(pool.cli("desk", "m1", "status")))
                        .contains("decided:  by an administrator: held running by admin (start) until released")
                        .contains("holds 128 MiB of the machine's");
                await().atMost(Duration.ofSeconds(15))
                        .untilAsserted(() -> assertThat(memoryOffered(pool)).isEqualTo(AGENT_MEMORY - 128 * MIB));

                ok(pool.cli("overload", "on", "--until", "1h", "--reason", "deadline"));
                await().atMost(Duration.ofSeconds(20))
                        .untilAsserted(() ->
                                assertThat(ok(pool.cli("desk", "m1", "status"))).contains("capped at 0.5 cores"));
                ok(pool.cli("overload", "off"));
                await().atMost(Duration.ofSeconds(20))
                        .untilAsserted(() ->
                                assertThat(ok(pool.cli("desk", "m1", "status"))).contains("no cap"));
                assertThat(vm(pool).path("state").asText())
                        .as("overload on and off did not save the running VM")
                        .isEqualTo("running");

                // --- the memory offer follows the VM into placement ---
                String big = ok(pool.cli("submit", "--memory", "4000M", "--", "true"))
                        .trim();
                await().during(Duration.ofSeconds(5))
                        .atMost(Duration.ofSeconds(15))
                        .until(() ->
                                pool.get("/jobs/" + big).path("state").asText().equals("queued"));
                assertThat(ok(pool.cli("desk", "m1", "save")))
                        .contains("m1: saved to disk")
                        .contains("held saved");
                await().atMost(Duration.ofSeconds(60))
                        .until(() ->
                                pool.get("/jobs/" + big).path("state").asText().equals("completed"));
                assertThat(memoryOffered(pool)).as("saved: all of it").isEqualTo(AGENT_MEMORY);

                // --- a saved desk keeps its saved state unless the administrator says to discard it ---
                var refused = pool.cli("desk", "m1", "poweroff");
                assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
                assertThat(refused.stderr()).contains("is saved").contains("--discard-saved-state");
                assertThat(vm(pool).path("state").asText()).isEqualTo("saved");

                // --- released, the keeper takes over at once; its save is on record with why ---
                ok(pool.cli("desk", "m1", "restore"));
                assertThat(ok(pool.cli("desk", "m1", "release")))
                        .contains("released")
                        .contains("the keeper takes it to saved");
                assertThat(vm(pool).path("state").asText()).isEqualTo("saved");
                await().atMost(Duration.ofSeconds(20))
                        .untilAsserted(() -> assertThat(audit(pool))
                                .anyMatch(e -> e.startsWith("keeper/keeper save ok saved to disk")
                                        && e.contains(
                                                "outside desk hours and nobody has ever been seen at this desk")));

                // --- a QEMU killed with SIGKILL is a failed desk, loudly ---
                ok(pool.cli("desk", "m1", "restore"));
                long pid = Long.parseLong(
                        Files.readString(deskState.resolve("qemu.pid")).trim());
                Process kill = new ProcessBuilder("kill", "-KILL", Long.toString(pid)).start();
                assertThat(kill.waitFor()).isZero();
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> vm(pool).path("state").asText().equals("failed"));
                assertThat(ok(pool.cli("machines"))).contains("failed/");
                assertThat(ok(pool.cli("desk", "m1", "status")))
                        .contains("failure:  qemu (pid " + pid + ") killed by SIGKILL (exit status 137)");
                await().atMost(Duration.ofSeconds(20))
                        .untilAsserted(() -> assertThat(audit(pool))
                                .anyMatch(e ->
                                        e.startsWith("vm/vm failed failed qemu (pid " + pid + ") killed by SIGKILL")));
                assertThat(ok(pool.cli("desk", "m1", "poweroff"))).contains("the desk is stopped");

                // --- the record: the administrators' actions and the desk's own changes; no reads ---
                List<String> record = audit(pool);
                assertThat(record).noneMatch(e -> e.split(" ")[1].equals("status"));
                assertThat(record)
                        .filteredOn(e -> e.startsWith("admin/admin"))
                        .extracting(e -> e.split(" ")[1] + " " + e.split(" ")[2])
                        .containsExactly(
                                "start ok",
                                "save ok",
                                "poweroff refused",
                                "restore ok",
                                "release ok",
                                "restore ok",
                                "poweroff ok");
                assertThat(record)
                        .filteredOn(e -> e.startsWith("keeper/keeper cap"))
                        .as("the overload's cap, set and lifted")
                        .hasSize(2);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(e.getMessage() + "\n" + pool.logs(), e);
            } finally {
                DeskCommandsIT.GuestSerial.killQemu(deskState);
            }
        }
    }

    private static JsonNode vm(TestPool pool) throws IOException, InterruptedException {
        return pool.get("/machines/m1").path("vm");
    }

    private static long memoryOffered(TestPool pool) throws IOException, InterruptedException {
        return pool.get("/machines/m1").path("memoryBytes").asLong();
    }

    /** "principal/role action result message" per entry, oldest first. */
    private static List<String> audit(TestPool pool) throws IOException, InterruptedException {
        List<String> out = new ArrayList<>();
        for (JsonNode e : pool.get("/machines/m1/desk/audit").path("entries")) {
            out.add(e.path("principal").asText() + "/" + e.path("role").asText() + " "
                    + e.path("action").asText() + " " + e.path("result").asText() + " "
                    + e.path("message").asText());
        }
        return out;
    }

    private static void awaitSerial(Path log, String line) {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> Files.exists(log)
                        && Files.readString(log, StandardCharsets.ISO_8859_1).contains(line));
    }

    private static String ok(CyphonProcess.Result r) {
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r.stdout();
    }
}
