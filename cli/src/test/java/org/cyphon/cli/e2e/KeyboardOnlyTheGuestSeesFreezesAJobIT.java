package org.cyphon.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.cyphon.agent.desk.GuestConsole;
import org.cyphon.agent.desk.QmpConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Input that bypasses the host's input stack is the owner's presence (issue 13 §3): a keyboard
 * plugged into the running desk VM ({@code device_add}, as SPICE's USB redirection hands a USB
 * keyboard to the guest) and typed on through QEMU ({@code input-send-event}) never passes through
 * the host's evdev or X server, so only the guest sees it. The test guest's presence reporter (the
 * Linux guest tool, docs/guest-tools/cyphon-presence.sh) tells the agent on the
 * {@code org.cyphon.presence.0} port, and a job running while the owner was away freezes under the
 * {@code strict} policy: suspended at the coordinator.
 *
 * <p>The test guest's kernel has no USB at all, so the keyboard is a virtio one, in the desk's free
 * PCIe slot; the guest reads it through evdev like any USB keyboard. {@code input-send-event}'s
 * {@code device} names a display, not an input device, so the keys go to the guest's active
 * keyboard: the one that was plugged in last.
 */
class KeyboardOnlyTheGuestSeesFreezesAJobIT {
    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void keysOnAKeyboardPluggedIntoTheGuestFreezeAJob() throws Exception {
        Path deskState = tmp.resolve("agent-m1").resolve("desk");
        Path serialLog = deskState.resolve("serial.log");
        try (TestPool pool = new TestPool(tmp)) {
            pool.startCoordinator();
            pool.startAgent(
                    "m1",
                    1,
                    TestGuestImage.PRESENCE_ONLY_POLICY
                            + TestGuestImage.deskSection(
                                    tmp, "it-" + UUID.randomUUID().toString().substring(0, 8), """
                    hours = "off"
                    pause_after_idle = "30m"
                    """));
            var start = pool.cli("desk", "m1", "start");
            assertThat(start.exitCode()).as(start.toString()).isZero();
            GuestConsole.awaitReady(serialLog, Duration.ofSeconds(90));
            pool.agent("m1").awaitLine("desk-guest: reading the guest's input reports", Duration.ofSeconds(30));

            // A keyboard the host never sees is plugged into the guest (root's own QMP monitor: the
            // agent holds the other one).
            try (QmpConnection qmp = QmpConnection.open(deskState.resolve("qmp-admin.sock"), Duration.ofSeconds(10));
                    GuestConsole console = GuestConsole.attach(deskState.resolve("serial.sock"))) {
                qmp.execute(
                        "device_add", Map.of("driver", "virtio-keyboard-pci", "id", "owners-kbd", "bus", "hotplug0"));
                await().atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofSeconds(1))
                        .until(() -> console.ask("inputs").contains("QEMU_Virtio_Keyboard"));

                // The owner is away: a job starts, as strict allows once present_within has passed.
                await().pollDelay(Duration.ofSeconds(4))
                        .atMost(Duration.ofSeconds(30))
                        .until(() -> pool.cli("machine", "m1").stdout().contains("owner:     away"));
                var submit = pool.cli("submit", "--cpus", "0.5", "--", "sh", "-c", "while :; do sleep 0.1; done");
                assertThat(submit.exitCode()).as(submit.toString()).isZero();
                String id = submit.stdout().trim();
                try {
                    await().atMost(Duration.ofSeconds(60))
                            .until(() -> pool.get("/jobs/" + id)
                                    .path("state")
                                    .asText()
                                    .equals("running"));
                } catch (ConditionTimeoutException e) {
                    throw new AssertionError(
                            "the job did not start: "
                                    + pool.cli("machine", "m1").stdout() + "\n"
                                    + tail(pool.agent("m1").log()),
                            e);
                }

                // The owner types on the guest's keyboard: only the guest sees it, and the job freezes.
                long typed = System.nanoTime();
                press(qmp, "x");
                await().atMost(Duration.ofSeconds(15))
                        .until(() ->
                                pool.get("/jobs/" + id).path("state").asText().equals("suspended"));
                System.out.printf(
                        "KeyboardOnlyTheGuestSeesFreezesAJobIT: a key in the guest to the job suspended at the"
                                + " coordinator: %d ms%n",
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - typed));
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> Files.readString(serialLog, StandardCharsets.ISO_8859_1)
                                .contains("CYPHON-GUEST KEY x"));
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> pool.cli("machine", "m1").stdout().contains("owner:     present"));
                assertThat(pool.cli("cancel", id).exitCode()).isZero();
            }
        } finally {
            DeskCommandsIT.GuestSerial.killQemu(deskState);
        }
    }

    private static void press(QmpConnection qmp, String qcode) throws Exception {
        for (boolean down : List.of(true, false)) {
            qmp.execute(
                    "input-send-event",
                    Map.of(
                            "events",
                            List.of(Map.of(
                                    "type",
                                    "key",
                                    "data",
                                    Map.of("down", down, "key", Map.of("type", "qcode", "data", qcode))))));
        }
    }

    private static String tail(String log) {
        return log.substring(Math.max(0, log.length() - 6000));
    }
}
