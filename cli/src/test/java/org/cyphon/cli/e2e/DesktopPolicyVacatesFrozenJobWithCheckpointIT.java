package org.cyphon.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.cyphon.agent.sensors.XvfbDisplay;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The desk's own policy, not a shutdown, sends a job away: the owner types (xdotool on a real
 * Xvfb) and their CPU demand contends, so the job freezes; frozen for {@code vacate_after_frozen},
 * it is thawed, told to checkpoint, and leaves with its checkpoint; on another desk it resumes from
 * it and ends with exactly the result of an uninterrupted run, having lost no CPU.
 */
class DesktopPolicyVacatesFrozenJobWithCheckpointIT {
    @TempDir
    Path tmp;

    /**
     * Sums 1..200, one number every 100 ms; says "counting" once its TERM trap is set (a job asked to
     * checkpoint before that dies of the signal with nothing saved); on TERM saves (i, sum) and exits
     * 85; resumes from them.
     */
    static final String COUNTER = """
            d=$CYPHON_CHECKPOINT_DIR
            i=0; sum=0
            if [ -f "$d/state" ]; then read i sum < "$d/state"; echo "resumed from $i" >&2; fi
            trap 'echo "$i $sum" > "$d/state"; exit 85' TERM
            echo counting
            while [ "$i" -lt 200 ]; do
              i=$((i + 1)); sum=$((sum + i))
              sleep 0.1
            done
            echo "sum=$sum"
            """;

    @Test
    void aJobFrozenForTooLongCheckpointsLeavesAndFinishesElsewhereWithTheUninterruptedResult() throws Exception {
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
                    contend_for = "1s"
                    contend_after_run = "3s"
                    calm_for = "10m"
                    vacate_after_frozen = "3s"
                    vacate_grace = "25s"
                    """);
            // contend_after_run: the rest of the machine (other builds) may be contending when the job starts;
            // it must not be frozen, then sent away, before it has set its trap (it was once, 13 ms in).
            // vacate_grace: the agent kills a leaving job when it ends. The job writes its checkpoint at idle
            // priority beside two CPU hogs, so it is given about as long as the checkpoint grace (30 s).
            var submit = pool.cli("submit", "--checkpoint-every", "1h", "--", "sh", "-c", COUNTER);
            assertThat(submit.exitCode()).as(submit.toString()).isZero();
            String id = submit.stdout().trim();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> pool.get("/jobs/" + id).path("state").asText().equals("running"));
            await().atMost(Duration.ofSeconds(30))
                    .ignoreExceptions()
                    .until(() -> pool.getText("/jobs/" + id + "/logs?stream=stdout&attempt=1")
                            .equals("counting\n"));

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
            for (int i = 0; i < 2; i++) hogs.add(new ProcessBuilder("sh", "-c", "while :; do :; done").start());
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> pool.get("/jobs/" + id).path("state").asText().equals("suspended"));

            // Frozen past vacate_after_frozen: the desk sends it away with its checkpoint.
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> pool.get("/jobs/" + id).path("state").asText().equals("queued"));
            JsonNode queued = pool.get("/jobs/" + id);
            assertThat(queued.path("attempts").get(0).path("outcome").asText()).isEqualTo("vacated");
            assertThat(queued.path("checkpointBytes").asLong())
                    .as("a checkpoint is stored")
                    .isPositive();
            assertThat(pool.agent("desk").log()).contains("checkpoint and vacate");
            typing.set(false);
            typist.join();
            hogs.forEach(Process::destroyForcibly);

            pool.cli("drain", "desk"); // the owner is still at it: the job must finish on the other desk
            pool.startAgent("spare", 2);
            var wait = pool.cli("wait", id, "--timeout", "2m");
            assertThat(wait.exitCode()).as(wait + pool.logs()).isZero();

            JsonNode done = pool.get("/jobs/" + id);
            assertThat(done.path("machine").asText()).isEqualTo("spare");
            assertThat(pool.getText("/jobs/" + id + "/logs?stream=stdout")).isEqualTo("counting\nsum=20100\n");
            assertThat(pool.getText("/jobs/" + id + "/logs?stream=stderr")).matches("resumed from [1-9][0-9]*\n");
            assertThat(done.path("lostCpuSeconds").asDouble())
                    .as("nothing lost: it left through a checkpoint")
                    .isLessThan(0.5);
        } finally {
            typing.set(false);
            hogs.forEach(Process::destroyForcibly);
        }
    }
}
