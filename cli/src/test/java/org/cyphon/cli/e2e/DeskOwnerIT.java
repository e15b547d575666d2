package org.cyphon.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The desk's owner at their own desk, with no token: a real coordinator and agent, the owner a
 * real local account ({@code daemon}), every command run as that user (setpriv), and the attacks:
 * another local user ({@code nobody}) and a cluster job (run by the sandbox as {@code nobody})
 * asking the same agent are refused, by the kernel's word for who they are.
 *
 * <ul>
 *   <li>{@code cyphon status}: the desk VM, what the keeper does next, the owner's actions, and no
 *       idle time of decades on this headless desk.</li>
 *   <li>{@code cyphon claim}: the running job freezes at once, no new one starts, and both go on
 *       after {@code --end}.</li>
 *   <li>{@code cyphon desk status}, {@code cyphon away}, {@code cyphon back} through the agent.</li>
 *   <li>Each owner's action is in the desk audit log under their name.</li>
 * </ul>
 */
class DeskOwnerIT {
    private static final String OWNER = "daemon";
    private static final String STRANGER = "nobody";

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void theOwnerActsOnTheirOwnDeskWithoutATokenAndNobodyElseDoes() throws Exception {
        Path guest = TestGuestImage.dir();
        Path userData = tmp.resolve("userdata.img");
        Files.copy(guest.resolve("userdata.img"), userData);
        Path state = tmp.resolve("agent-m1");
        Path noConfig = Files.createDirectories(tmp.resolve("no-client-config"));
        Files.setPosixFilePermissions(noConfig, PosixFilePermissions.fromString("rwxr-xr-x"));
        String desk = "do-" + UUID.randomUUID().toString().substring(0, 8);
        try (TestPool pool = new TestPool(tmp)) {
            pool.startCoordinator();
            // Two CPUs: a frozen job holds one, and the other shows whether new work may start.
            pool.startAgent("m1", 2, "owner = \"" + OWNER + "\"", """
                    [policy]
                    preset = "dedicated"
                    [sensors]
                    evdev = false
                    x11 = false
                    logind = false
                    [desk]
                    name = "%s"
                    golden_image = "%s"
                    user_data = "%s"
                    vcpus = 1
                    memory_max = "128M"
                    memory_min = "64M"
                    display = "none"
                    network = "none"
                    kernel = "%s"
                    initrd = "%s"
                    cmdline = "%s"
                    """.formatted(
                            desk,
                            guest.resolve("golden.qcow2"),
                            userData,
                            guest.resolve("vmlinuz"),
                            guest.resolve("initrd.cpio"),
                            Files.readString(guest.resolve("cmdline")).trim()));
            try {
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> Files.exists(state.resolve("owner-status.json"))
                                && pool.get("/machines/m1")
                                        .path("owner")
                                        .asText()
                                        .equals(OWNER));

                // --- the owner's status: their VM, what comes next, their actions; no decades of idling ---
                String status = ok(as(OWNER, noConfig, "status", "--state-dir", state.toString()));
                assertThat(status)
                        .contains("you: away: no one can be seen at this desk (headless)")
                        .contains("your desk VM: stopped")
                        .contains("  next: nothing: the VM is stopped, and only an administrator starts it")
                        .contains("yours to do here, no token needed (as daemon or root):")
                        .contains("cyphon claim --for 1h")
                        .doesNotContainPattern("\\d{3,}d\\d\\dh");

                // --- a cluster job, as its sandbox user, asks the agent for the machine: refused ---
                Path socket = state.resolve("owner.sock");
                String sneaky = ok(pool.cli(
                                "submit",
                                "--",
                                "sh",
                                "-c",
                                "printf '{\"action\":\"claim\",\"time\":\"12h\"}\\n' | /usr/bin/socat -t 5 - UNIX-CONNECT:"
                                        + socket + " 2>&1; true"))
                        .trim();
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> pool.get("/jobs/" + sneaky)
                                .path("state")
                                .asText()
                                .equals("completed"));
                // The output reaches the coordinator in its own time after the end.
                await().atMost(Duration.ofSeconds(20))
                        .untilAsserted(() -> assertThat(ok(pool.cli("logs", sneaky)))
                                .satisfiesAnyOf(
                                        // The agent refuses it by the kernel's word for who asks ...
                                        out -> assertThat(out)
                                                .contains("\"ok\":false")
                                                .contains("this is daemon's desk: only daemon (or root) may ask its"
                                                        + " agent; you are "),
                                        // ... or, where the job's walls give it a /tmp of its own, the
                                        // socket under the test's /tmp is not even there to ask.
                                        out -> assertThat(out).contains("No such file or directory")));

                // --- another local user: refused too, whatever they ask ---
                var stranger = as(STRANGER, noConfig, "claim", "--state-dir", state.toString());
                assertThat(stranger.exitCode()).as(stranger.toString()).isEqualTo(1);
                assertThat(stranger.stderr()).contains("this is daemon's desk").contains("you are nobody");
                stranger = as(STRANGER, noConfig, "desk", "status", "--state-dir", state.toString());
                assertThat(stranger.exitCode()).as(stranger.toString()).isEqualTo(1);
                stranger = as(STRANGER, noConfig, "away", "--until", "3d", "--state-dir", state.toString());
                assertThat(stranger.exitCode()).as(stranger.toString()).isEqualTo(1);
                assertThat(pool.get("/machines/m1").path("absence").isMissingNode()
                                || pool.get("/machines/m1").path("absence").isNull())
                        .isTrue();

                // --- "I need my whole machine now": the running job freezes, a new one waits ---
                String busy = ok(pool.cli("submit", "--", "sleep", "300")).trim();
                await().atMost(Duration.ofSeconds(60))
                        .until(() ->
                                pool.get("/jobs/" + busy).path("state").asText().equals("running"));
                assertThat(ok(as(OWNER, noConfig, "claim", "--for", "30m", "--state-dir", state.toString())))
                        .contains("the machine is yours until")
                        .contains("every cluster job here is frozen");
                await().atMost(Duration.ofSeconds(30))
                        .until(() ->
                                pool.get("/jobs/" + busy).path("state").asText().equals("suspended"));
                String waiting = ok(pool.cli("submit", "--", "true")).trim();
                await().during(Duration.ofSeconds(4))
                        .atMost(Duration.ofSeconds(10))
                        .until(() -> pool.get("/jobs/" + waiting)
                                .path("state")
                                .asText()
                                .equals("queued"));
                assertThat(ok(as(OWNER, noConfig, "status", "--state-dir", state.toString())))
                        .contains("your claim: the whole machine is yours until");

                // --- the desk VM, away and back, as the owner, through the agent ---
                assertThat(ok(as(OWNER, noConfig, "desk", "status", "--state-dir", state.toString())))
                        .contains("state:    stopped")
                        .contains("next:     nothing: the VM is stopped");
                assertThat(ok(as(OWNER, noConfig, "away", "--until", "3d", "--state-dir", state.toString())))
                        .contains("m1: away until");
                assertThat(pool.get("/machines/m1").path("absence").path("by").asText())
                        .isEqualTo(OWNER);
                assertThat(ok(as(OWNER, noConfig, "back", "--state-dir", state.toString())))
                        .contains("m1: owner back");

                // --- the claim given back: work goes on ---
                ok(as(OWNER, noConfig, "claim", "--end", "--state-dir", state.toString()));
                await().atMost(Duration.ofSeconds(30))
                        .until(() ->
                                pool.get("/jobs/" + busy).path("state").asText().equals("running"));
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> pool.get("/jobs/" + waiting)
                                .path("state")
                                .asText()
                                .equals("completed"));
                ok(pool.cli("cancel", busy));

                await().atMost(Duration.ofSeconds(20))
                        .untilAsserted(() -> assertThat(audit(pool))
                                .containsSubsequence(
                                        "daemon/owner claim 30m ok",
                                        "daemon/owner away 3d ok",
                                        "daemon/owner back ok",
                                        "daemon/owner claim-ended ok"));
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(e.getMessage() + "\n" + pool.logs(), e);
            }
        }
    }

    /** {@code cyphon ARGS} as local {@code user}, with no coordinator configured (no token of any kind). */
    private static CyphonProcess.Result as(String user, Path noConfig, String... args)
            throws IOException, InterruptedException {
        return CyphonProcess.runVia(
                // nobody's group is nogroup on Debian; daemon's is daemon.
                List.of(
                        "setpriv",
                        "--reuid=" + user,
                        "--regid=" + (user.equals("nobody") ? "nogroup" : user),
                        "--clear-groups"),
                Map.of("CYPHON_URL", "", "CYPHON_TOKEN", "", "XDG_CONFIG_HOME", noConfig.toString()),
                args);
    }

    /** "principal/role action [arguments] result" per entry, oldest first. */
    private static List<String> audit(TestPool pool) throws IOException, InterruptedException {
        List<String> out = new ArrayList<>();
        for (JsonNode e : pool.get("/machines/m1/desk/audit").path("entries")) {
            String args = e.path("arguments").asText();
            out.add(e.path("principal").asText() + "/" + e.path("role").asText() + " "
                    + e.path("action").asText() + (args.isEmpty() ? "" : " " + args) + " "
                    + e.path("result").asText());
        }
        return out;
    }

    private static String ok(CyphonProcess.Result r) {
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r.stdout();
    }
}
