package org.cyphon.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.cyphon.agent.sensors.XvfbDisplay;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The owner's desk session end to end (issue 13 §1, §3): a real coordinator and agent, the test
 * guest under QEMU with {@code display = "spice"}, a real X server (Xvfb) with the kiosk's window
 * manager, and {@code cyphon desk-session} running the real {@code remote-viewer}. The session finds
 * the VM stopped and has it started; the X screen then shows what the hypervisor's screendump
 * shows; keys typed with xdotool on the X display reach the guest's keyboard (the guest repeats them
 * on its serial console) and are the owner's presence: a job running while the owner was away
 * freezes under the {@code strict} policy.
 */
class DeskSessionIT {
    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void theSessionShowsTheGuestAndTypingInItReachesTheGuestAndFreezesAJob() throws Exception {
        Path displayDir = tmp.resolve("display");
        Path deskState = tmp.resolve("agent-m1").resolve("desk");
        Path serialLog = deskState.resolve("serial.log");
        Path framebuffer = Files.createDirectory(tmp.resolve("fb"));
        Process windowManager = null;
        CyphonProcess session = null;
        try (TestPool pool = new TestPool(tmp);
                XvfbDisplay x = XvfbDisplay.startWithFramebuffer(tmp, framebuffer)) {
            ProcessBuilder wm = new ProcessBuilder(
                            "matchbox-window-manager", "-use_titlebar", "no", "-use_cursor", "no")
                    .redirectErrorStream(true)
                    .redirectOutput(tmp.resolve("wm.log").toFile());
            wm.environment().putAll(x.clientEnvironment());
            windowManager = wm.start();
            pool.startCoordinator();
            pool.startAgent(
                    "m1",
                    1,
                    TestGuestImage.PRESENCE_ONLY_POLICY
                            + TestGuestImage.deskSection(
                                    tmp, "it-" + UUID.randomUUID().toString().substring(0, 8), """
                    display = "spice"
                    display_dir = "%s"
                    hours = "off"
                    pause_after_idle = "30m"
                    """.formatted(
                                                    displayDir)));
            pool.agent("m1").awaitLine("the desk session of \\S+ reaches the agent", Duration.ofSeconds(30));

            // The owner logs in: the session asks for the desk, which was stopped, and shows it.
            Map<String, String> env = new HashMap<>(x.clientEnvironment());
            session = CyphonProcess.start(
                    tmp.resolve("desk-session.log"), env, "desk-session", "--display-dir", displayDir.toString());
            CyphonProcess desk = session;
            desk.awaitLine("agent says state starting", Duration.ofSeconds(30));
            DeskCommandsIT.GuestSerial.awaitReady(serialLog, Duration.ofSeconds(90));
            session.awaitLine("viewer started", Duration.ofSeconds(60));

            // What the X display shows is the guest's screen as the hypervisor sees it.
            Path dump = tmp.resolve("screendump.png");
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> {
                        assertThat(pool.cli("desk", "m1", "screenshot", "-o", dump.toString())
                                        .exitCode())
                                .isZero();
                        double r = ScreenMatch.correlation(ImageIO.read(dump.toFile()), XwdImage.read(x.screenFile()));
                        assertThat(r)
                                .as("correlation of the X screen with the guest's screendump")
                                .isGreaterThan(0.8);
                    });
            Path shot = tmp.resolve("desk-session.png");
            ImageIO.write(XwdImage.read(x.screenFile()), "png", shot.toFile());
            Path keep = Path.of("target", "desk-session-screen.png");
            Files.createDirectories(keep.getParent());
            Files.copy(shot, keep, StandardCopyOption.REPLACE_EXISTING);

            // Typing on the desk's display reaches the guest's keyboard.
            x.client("xdotool", "type", "--delay", "50", "hello desk");
            x.client("xdotool", "key", "Return");
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> Files.readString(serialLog, StandardCharsets.ISO_8859_1)
                            .contains("CYPHON-GUEST TYPED hello desk"));

            // The owner leaves: a job starts, as strict allows once present_within has passed. (Submitted
            // while the typing still counts as presence, the job would start and be frozen at once, and
            // strict thaws only after thaw_after_idle: wait until the owner counts as away.)
            // (The coordinator's view may still be from before the typing: ask only once present_within,
            // 3 s, has passed since the last key.)
            await().pollDelay(Duration.ofSeconds(4))
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> pool.cli("machine", "m1").stdout().contains("owner:     away"));
            var submit = pool.cli("submit", "--cpus", "0.5", "--", "sh", "-c", "while :; do sleep 0.1; done");
            assertThat(submit.exitCode()).as(submit.toString()).isZero();
            String id = submit.stdout().trim();
            try {
                await().atMost(Duration.ofSeconds(60))
                        .until(() ->
                                pool.get("/jobs/" + id).path("state").asText().equals("running"));
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError(
                        "the job did not start: " + pool.cli("machine", "m1").stdout() + "\n"
                                + tail(pool.agent("m1").log()),
                        e);
            }

            // "running" at the coordinator is from the assignment; the key must come once the job's
            // processes exist on the desk (its start can take seconds on a loaded machine, and a key
            // pressed before then has been forgotten, as present_within says, by the time it starts).
            pool.agent("m1").awaitLine("job " + id + " attempt 1 on m1: started pid", Duration.ofSeconds(60));

            // The owner types into their desktop: that is presence, and the job freezes.
            long typed = System.nanoTime();
            x.client("xdotool", "key", "a");
            try {
                await().atMost(Duration.ofSeconds(15))
                        .until(() ->
                                pool.get("/jobs/" + id).path("state").asText().equals("suspended"));
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError(
                        "the key did not freeze the job: " + pool.get("/jobs/" + id) + "\n"
                                + pool.cli("machine", "m1").stdout() + "\n"
                                + tail(pool.agent("m1").log()),
                        e);
            }
            System.out.printf(
                    "DeskSessionIT: a key in the desk session to the job suspended at the coordinator: %d ms%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - typed));
            assertThat(Files.readString(serialLog, StandardCharsets.ISO_8859_1)).contains("CYPHON-GUEST KEY a");
            assertThat(pool.cli("cancel", id).exitCode()).isZero();

            // The VM is saved while the owner is away (as the keeper does at night): the viewer closes,
            // the session says so, and does not bring it back by itself. (Saved while the owner still
            // counts as present, the keeper would rightly bring it back at once: wait for present_within.)
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> pool.cli("machine", "m1").stdout().contains("owner:     away"));
            // An administrator's save holds the VM saved (the desk's rule) until it is released.
            assertThat(pool.cli("desk", "m1", "save").exitCode()).isZero();
            session.awaitLine("showing 'Your desktop is saved while you are away", Duration.ofSeconds(30));
            Path saved = tmp.resolve("saved.png");
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> ScreenMatch.brightPixels(XwdImage.read(x.screenFile())) > 500);
            ImageIO.write(XwdImage.read(x.screenFile()), "png", saved.toFile());
            Files.copy(saved, Path.of("target", "desk-session-saved.png"), StandardCopyOption.REPLACE_EXISTING);
            // The session leaves the saved VM alone: saved throughout 3 s, checked all along.
            await().during(Duration.ofSeconds(3))
                    .atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> {
                        var status = pool.cli("desk", "m1", "status");
                        assertThat(status.stdout()).as(status.toString()).contains("saved");
                    });
            assertThat(pool.cli("desk", "m1", "status").stdout()).contains("saved");

            // The owner sits down while the administrator's save still holds (the owner's key does not
            // end it): the session says so plainly instead of waiting silently, and the VM stays saved.
            x.client("xdotool", "key", "space");
            session.awaitLine(
                    "showing 'Your desktop is held saved by the administrator until released", Duration.ofSeconds(30));
            assertThat(pool.cli("desk", "m1", "status").stdout()).contains("saved");
            // The hold released while the owner waits: their desktop is back, shown again.
            assertThat(pool.cli("desk", "m1", "release").exitCode()).isZero();
            session.awaitLine("agent says state (restoring|running)", Duration.ofSeconds(30));
            await().atMost(Duration.ofSeconds(60)).until(() -> desk.log().split("viewer started", -1).length - 1 >= 2);
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> {
                        assertThat(pool.cli("desk", "m1", "screenshot", "-o", dump.toString())
                                        .exitCode())
                                .isZero();
                        assertThat(ScreenMatch.correlation(ImageIO.read(dump.toFile()), XwdImage.read(x.screenFile())))
                                .isGreaterThan(0.8);
                    });
            assertThat(pool.cli("desk", "m1", "status").stdout()).contains("running");
        } finally {
            if (session != null) session.close();
            if (session != null) System.out.println(tail(session.log()));
            if (windowManager != null) {
                windowManager.destroy();
                windowManager.waitFor(10, TimeUnit.SECONDS);
            }
            DeskCommandsIT.GuestSerial.killQemu(deskState);
        }
    }

    private static String tail(String log) {
        return log.substring(Math.max(0, log.length() - 6000));
    }
}
