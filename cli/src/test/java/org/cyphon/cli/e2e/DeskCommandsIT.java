package org.cyphon.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cyphon desk} end to end: a real coordinator and a real agent as processes, the agent's
 * {@code [desk]} pointing at the tiny test guest (tools/build-test-guest.sh) under QEMU, and every
 * action typed as an administrator would, through the CLI, the coordinator's API, the agent's
 * desk-command long poll and QMP. Each action (but not the status reads) lands in the audit log with
 * the right principal and result; a user's token is refused and recorded as refused; actions still
 * work on a hung guest.
 */
class DeskCommandsIT {
    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void anAdministratorRunsTheDeskVmThroughTheCliAndEveryActionIsAudited() throws Exception {
        String desk = "it-" + UUID.randomUUID().toString().substring(0, 8);
        Path deskState = tmp.resolve("agent-m1").resolve("desk");
        try (TestPool pool = new TestPool(tmp)) {
            pool.startCoordinator();
            pool.startAgent("m1", 1, """
                    [policy]
                    preset = "dedicated"
                    """ + TestGuestImage.deskSection(tmp, desk, """
                    display = "none"
                    # This test drives the VM by hand: no desk hours, and the owner (nobody, on this
                    # headless machine) never comes or goes, so the desk keeper leaves the VM alone.
                    hours = "off"
                    """));
            pool.startAgent("m2", 1); // a machine without a desk VM
            try {
                awaitDeskReported(pool, "m1");

                // --- the desk's life, as an administrator runs it ---
                JsonNode status = json(ok(pool.cli("desk", "m1", "status", "--json")));
                assertThat(status.path("vm").path("state").asText()).isEqualTo("stopped");
                assertThat(status.path("vm").path("backend").asText()).isEqualTo("qemu");

                assertThat(ok(pool.cli("desk", "m1", "start")))
                        .contains("m1: started")
                        .contains("running under");
                GuestSerial.awaitReady(deskState.resolve("serial.log"), Duration.ofSeconds(60));
                status = json(ok(pool.cli("desk", "m1", "status", "--json")));
                assertThat(status.path("vm").path("state").asText()).isEqualTo("running");
                assertThat(status.path("vm").path("accel").asText()).isIn("kvm", "tcg");
                String text = ok(pool.cli("desk", "m1", "status"));
                assertThat(text).contains("state:").contains("accel:").contains("console:");

                assertThat(ok(pool.cli("machines"))).contains("DESK").contains("running/");
                assertThat(ok(pool.cli("machine", "m1"))).contains("desk vm:").contains("running under");

                assertThat(ok(pool.cli("desk", "m1", "pause"))).contains("m1: paused; the desk is paused");
                assertThat(ok(pool.cli("desk", "m1", "resume"))).contains("m1: resumed; the desk is running");
                assertThat(ok(pool.cli("desk", "m1", "save")))
                        .contains("m1: saved to disk")
                        .contains("the desk is saved");
                assertThat(ok(pool.cli("desk", "m1", "restore"))).contains("m1: restored; the desk is running");

                Path shot = tmp.resolve("screen.png");
                assertThat(ok(pool.cli("desk", "m1", "screenshot", "-o", shot.toString())))
                        .contains("wrote " + shot);
                assertIsPng(shot);

                var refused = pool.cli("desk", "m1", "reimage");
                assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
                assertThat(refused.stderr()).contains("is running").contains("force");

                assertThat(ok(pool.cli("desk", "m1", "stop"))).contains("m1: the guest shut down; the desk is stopped");
                assertThat(ok(pool.cli("desk", "m1", "reimage"))).contains("m1: reimaged from the golden image");
                assertThat(ok(pool.cli("desk", "m1", "reimage", "--undo"))).contains("m1: reimage undone");

                // A hung guest: the hypervisor still takes its picture and pulls its plug.
                ok(pool.cli("desk", "m1", "start"));
                GuestSerial.hang(deskState.resolve("serial.sock"), deskState.resolve("serial.log"));
                assertThat(ok(pool.cli("desk", "m1", "screenshot", "-o", shot.toString())))
                        .contains("wrote");
                assertIsPng(shot);
                assertThat(ok(pool.cli("desk", "m1", "poweroff"))).contains("m1: powered off; the desk is stopped");

                // --- refusals: each says why, with a 4xx and exit code 1 ---
                String alice = ok(pool.cli("token", "create", "alice")).trim();
                var asUser = CyphonProcess.run(env(pool, alice), "desk", "m1", "pause");
                assertThat(asUser.exitCode()).as(asUser.toString()).isEqualTo(1);
                assertThat(asUser.stderr()).contains("admin token").contains("user 'alice'");
                var noToken = CyphonProcess.run(env(pool, ""), "desk", "m1", "status", "--token", "not-a-token");
                assertThat(noToken.exitCode()).as(noToken.toString()).isEqualTo(1);
                assertThat(noToken.stderr()).contains("unknown token");
                var noDesk = pool.cli("desk", "m2", "status");
                assertThat(noDesk.exitCode()).as(noDesk.toString()).isEqualTo(1);
                assertThat(noDesk.stderr())
                        .contains("m2")
                        .contains("no desk VM")
                        .contains("[desk]");
                var noMachine = pool.cli("desk", "nosuch", "start");
                assertThat(noMachine.exitCode()).as(noMachine.toString()).isEqualTo(1);
                assertThat(noMachine.stderr()).contains("no machine 'nosuch'");

                // --- the audit log: who, what, with what result, in order ---
                List<String> entries = new ArrayList<>();
                for (JsonNode e :
                        json(ok(pool.cli("desk", "m1", "audit", "--json"))).path("entries")) {
                    entries.add(e.path("principal").asText() + "/"
                            + e.path("role").asText() + " " + e.path("action").asText()
                            + (e.path("arguments").asText().isEmpty()
                                    ? ""
                                    : " " + e.path("arguments").asText()) + " "
                            + e.path("result").asText());
                    assertThat(e.path("at").asText()).isNotEmpty();
                    assertThat(e.path("finishedAt").asText()).isNotEmpty();
                }
                assertThat(entries)
                        .containsExactly(
                                "admin/admin start ok",
                                "admin/admin pause ok",
                                "admin/admin resume ok",
                                "admin/admin save ok",
                                "admin/admin restore ok",
                                "admin/admin screenshot ok",
                                "admin/admin reimage refused",
                                "admin/admin stop ok",
                                "admin/admin reimage ok",
                                "admin/admin reimage --undo ok",
                                "admin/admin start ok",
                                "admin/admin screenshot ok",
                                "admin/admin poweroff ok",
                                "alice/user pause refused");
                assertThat(ok(pool.cli("desk", "m1", "audit")))
                        .contains("alice(user)")
                        .contains("desk actions need an admin token");
                assertThat(json(ok(pool.cli("desk", "m2", "audit", "--json")))
                                .path("entries")
                                .get(0)
                                .path("message")
                                .asText())
                        .contains("no desk VM");
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(e.getMessage() + "\n" + pool.logs(), e);
            } finally {
                GuestSerial.killQemu(deskState);
            }
        }
    }

    private static void awaitDeskReported(TestPool pool, String machine) {
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .alias(machine + " reports its desk VM in a heartbeat")
                .until(() -> !pool.get("/machines/" + machine).path("vm").isMissingNode());
    }

    private static Map<String, String> env(TestPool pool, String token) {
        Map<String, String> env = new HashMap<>(pool.cliEnv());
        env.put("CYPHON_TOKEN", token);
        return env;
    }

    private static String ok(CyphonProcess.Result r) {
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r.stdout();
    }

    private static JsonNode json(String text) throws IOException {
        return TestPool.JSON.readTree(text);
    }

    private static void assertIsPng(Path file) throws IOException {
        byte[] png = Files.readAllBytes(file);
        assertThat(png.length).isGreaterThan(100);
        assertThat(new String(png, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
        ByteBuffer header = ByteBuffer.wrap(png, 16, 8);
        assertThat(header.getInt()).isPositive();
        assertThat(header.getInt()).isPositive();
    }

    /** The test guest's serial console (tools/guest/init), through the desk's serial socket. */
    static final class GuestSerial {
        static void awaitReady(Path serialLog, Duration timeout) {
            awaitSaid(serialLog, "CYPHON-GUEST READY", timeout, "the guest did not boot");
        }

        /** Waits until the guest's console shows {@code line} (the desk's serial log). */
        private static void awaitSaid(Path serialLog, String line, Duration timeout, String otherwise) {
            try {
                await().atMost(timeout)
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> Files.exists(serialLog)
                                && Files.readString(serialLog, StandardCharsets.ISO_8859_1)
                                        .contains(line));
            } catch (ConditionTimeoutException e) {
                throw new AssertionError(otherwise + " within " + timeout.toSeconds() + " s", e);
            }
        }

        /** Makes the guest stop answering anything (its "hang" command), once it has booted. */
        static void hang(Path serialSocket, Path serialLog) throws Exception {
            awaitReady(serialLog, Duration.ofSeconds(60));
            try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                c.connect(UnixDomainSocketAddress.of(serialSocket));
                c.write(ByteBuffer.wrap("hang\n".getBytes(StandardCharsets.US_ASCII)));
            }
            awaitSaid(serialLog, "=> OK hang", Duration.ofSeconds(30), "the guest did not take the hang command");
        }

        private static void awaitExit(ProcessHandle process, String what) {
            try {
                process.onExit().get(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException(what + " (pid " + process.pid() + ") did not end", e);
            }
        }

        /** Whatever happened, no VM outlives the test: the desk's QEMU, by the pid in its state directory. */
        static void killQemu(Path deskState) {
            try {
                Path pid = deskState.resolve("qemu.pid");
                if (!Files.exists(pid)) return;
                // Waited for, QEMU and the shell that waits for it: JUnit removes the test's temp dir
                // next, and that shell writing QEMU's exit status into the desk's state dir (a new file)
                // while JUnit emptied it made the removal fail in CI.
                ProcessHandle.of(Long.parseLong(Files.readString(pid).trim())).ifPresent(qemu -> {
                    Optional<ProcessHandle> waiter = qemu.parent()
                            .filter(p -> p.info().command().orElse("").endsWith("sh"));
                    qemu.destroyForcibly();
                    awaitExit(qemu, "the desk's QEMU");
                    waiter.ifPresent(w -> awaitExit(w, "the shell waiting for the desk's QEMU"));
                });
            } catch (IOException | NumberFormatException ignored) {
                // nothing left to kill
            }
        }
    }
}
