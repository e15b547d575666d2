package org.cyphon.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plain reboot where nothing announces it (no logind), or an init script's {@code kill -TERM}:
 * the agent's SIGTERM does the same bounded checkpoint-and-vacate before it exits. The
 * checkpointing job leaves with a checkpoint, the one that cannot checkpoint is reported at once;
 * both are requeued as vacated (not lost to an expired lease), and the agent is gone well within
 * its bound.
 */
class AgentStopVacatesIT {
    @TempDir
    Path tmp;

    /** Counts in steps of 0.1 s; on TERM saves its count and exits 85. */
    static final String COUNTER = """
            d=$CYPHON_CHECKPOINT_DIR
            i=0
            if [ -f "$d/state" ]; then read i < "$d/state"; fi
            trap 'echo "$i" > "$d/state"; echo "left at $i" >&2; exit 85' TERM
            while [ "$i" -lt 100000 ]; do i=$((i + 1)); sleep 0.1; done
            """;

    @Test
    void sigtermWithoutLogindCheckpointsAndVacatesEveryJobBeforeTheAgentExits() throws Exception {
        try (TestPool pool = new TestPool(tmp)) {
            // No logind here: the bus the agent is pointed at does not exist.
            pool.startCoordinator().startAgent("plain", 2, """
                    [policy]
                    preset = "dedicated"
                    [sensors]
                    dbus_address = "unix:path=%s"
                    """.formatted(tmp.resolve("no-such-bus")));
            try {
                String counter = submit(pool, "--checkpoint-every", "1m", "--", "sh", "-c", COUNTER);
                String sleeper = submit(pool, "--", "sleep", "600");
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> state(pool, counter).equals("running")
                                && state(pool, sleeper).equals("running"));
                assertThat(ok(pool.cli("machine", "plain")))
                        .contains("power-off:")
                        .contains("not announced (no system D-Bus at")
                        .contains("SIGTERM: checkpoint and vacate within 45s");
                await().atMost(Duration.ofSeconds(30))
                        .alias("the counter has counted a while")
                        .until(() -> ranFor(pool, counter) >= 2);

                long began = System.nanoTime();
                pool.agent("plain").close(); // SIGTERM, as systemd or an init script sends it
                long took = (System.nanoTime() - began) / 1_000_000;
                String said =
                        pool.agent("plain").awaitLine("took (\\d+ ms of the \\d+ s allowed)", Duration.ofSeconds(1));
                System.out.println("SIGTERM: the agent exited " + took + " ms after the signal (" + said + ")");
                assertThat(pool.agent("plain").alive()).isFalse();
                assertThat(took).as("well within the 45 s bound").isLessThan(20_000);

                for (String id : new String[] {counter, sleeper}) {
                    JsonNode j = pool.get("/jobs/" + id);
                    assertThat(j.path("state").asText()).as(id).isEqualTo("queued");
                    JsonNode first = j.path("attempts").get(0);
                    assertThat(first.path("outcome").asText())
                            .as("reported by the agent, not lost to the lease")
                            .isEqualTo("vacated");
                    assertThat(first.path("message").asText()).isEqualTo("agent shutting down");
                }
                assertThat(pool.get("/jobs/" + counter).path("checkpointBytes").asLong())
                        .as("the counter left a checkpoint")
                        .isPositive();
                assertThat(pool.getText("/jobs/" + counter + "/logs?stream=stderr&attempt=1"))
                        .startsWith("left at ");
                assertThat(pool.get("/jobs/" + sleeper).path("checkpointBytes").asLong())
                        .isZero();
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(e.getMessage() + "\n" + pool.logs(), e);
            }
        }
    }

    private static String submit(TestPool pool, String... args) throws Exception {
        String[] all = new String[args.length + 1];
        all[0] = "submit";
        System.arraycopy(args, 0, all, 1, args.length);
        var r = pool.cli(all);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r.stdout().trim();
    }

    private static String state(TestPool pool, String id) throws Exception {
        return pool.get("/jobs/" + id).path("state").asText();
    }

    private static long ranFor(TestPool pool, String id) throws Exception {
        JsonNode attempts = pool.get("/jobs/" + id).path("attempts");
        String started = attempts.get(attempts.size() - 1).path("startedAt").asText();
        return Duration.between(java.time.Instant.parse(started), java.time.Instant.now())
                .toSeconds();
    }

    private static String ok(CyphonProcess.Result r) {
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r.stdout();
    }
}
