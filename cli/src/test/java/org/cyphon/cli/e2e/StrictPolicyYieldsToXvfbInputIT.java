package org.cyphon.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.cyphon.agent.sensors.XvfbDisplay;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Owner first, end to end, with the only fake being the keyboard: a real Xvfb display (this
 * machine has no screen or input devices) that the agent finds by itself, real input typed with
 * xdotool, a real agent process running the {@code strict} policy, and a real job whose progress
 * is watched from outside. Input stops the job's progress (it is frozen, and the coordinator sees
 * it suspended); once the owner has been idle for {@code thaw_after_idle} it runs again.
 */
class StrictPolicyYieldsToXvfbInputIT {
    @TempDir
    Path tmp;

    @Test
    void xdotoolInputOnAnXvfbDisplayFreezesAStrictDesksJobAndIdlenessThawsIt() throws Exception {
        try (TestPool pool = new TestPool(tmp);
                XvfbDisplay display = XvfbDisplay.start(tmp)) {
            pool.startCoordinator().startAgent("desk", 2, """
                    [sensors]
                    sample_every = "100ms"
                    [policy]
                    preset = "strict"
                    start_after_idle = "0s"
                    present_within = "1s"
                    thaw_after_idle = "3s"
                    # This test is about input; the owner's CPU limits (pure core tests cover them)
                    # would make it depend on the machine being otherwise idle.
                    owner_cpu_max = "off"
                    cpu_pressure_max = "off"
                    memory_pressure_max = "off"
                    io_pressure_max = "off"
                    """);
            Path shared = JobPids.sharedDir(); // the job has its own /tmp: it cannot see the test's
            Path ticks = shared.resolve("ticks");

            var submit = pool.cli("submit", "--", "sh", "-c", "while :; do echo x >> " + ticks + "; sleep 0.01; done");
            assertThat(submit.exitCode()).as(submit.toString()).isZero();
            String id = submit.stdout().trim();
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(ticks) && Files.size(ticks) > 100);

            display.client("xdotool", "mousemove", "10", "10", "key", "a");

            // Progress stops: the file no longer grows over a second, and the coordinator hears "suspended".
            await().atMost(Duration.ofSeconds(5)).until(() -> !grows(ticks, Duration.ofSeconds(1)));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> pool.get("/jobs/" + id).path("state").asText().equals("suspended"));

            // The owner stays away: after thaw_after_idle the job runs again.
            await().atMost(Duration.ofSeconds(20)).until(() -> grows(ticks, Duration.ofMillis(500)));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> pool.get("/jobs/" + id).path("state").asText().equals("running"));

            assertThat(pool.cli("cancel", id).exitCode()).isZero();
        }
    }

    private static boolean grows(Path file, Duration over) throws Exception {
        long before = Files.size(file);
        Thread.sleep(over.toMillis()); // the period the growth is measured over, not a wait for a state
        return Files.size(file) > before;
    }
}
