package org.cyphon.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpointing job is vacated from one desk (its agent is stopped: it asks the job to
 * checkpoint, stores the checkpoint, reports the attempt vacated) and resumes on another desk from
 * that checkpoint, ending with exactly the result of an uninterrupted run.
 */
class CheckpointResumeIT {
    @TempDir
    Path tmp;

    /**
     * Sums 1..60, one number every 100 ms, saying "progress" on stderr at 10; on TERM saves (i, sum)
     * and exits 85; resumes from them.
     */
    static final String SUMMER = """
            d=$CYPHON_CHECKPOINT_DIR
            i=0; sum=0
            if [ -f "$d/state" ]; then read i sum < "$d/state"; echo "resumed from $i" >&2; fi
            trap 'echo "$i $sum" > "$d/state"; exit 85' TERM
            while [ "$i" -lt 60 ]; do
              i=$((i + 1)); sum=$((sum + i))
              if [ "$i" -eq 10 ]; then echo progress >&2; fi
              sleep 0.1
            done
            echo "sum=$sum"
            """;

    @Test
    void aVacatedCheckpointingJobResumesElsewhereAndEndsWithTheUninterruptedResult() throws Exception {
        try (TestPool pool = new TestPool(tmp)) {
            pool.startCoordinator().startAgent("first", 2);
            var submit = pool.cli("submit", "--checkpoint-every", "1h", "--", "sh", "-c", SUMMER);
            assertThat(submit.exitCode()).as(submit.toString()).isZero();
            String id = submit.stdout().trim();

            await().atMost(Duration.ofSeconds(30))
                    .until(() -> pool.get("/jobs/" + id).path("state").asText().equals("running"));
            awaitProgress(pool, id);
            pool.agent("first").close(); // SIGTERM: the agent vacates gracefully

            await().atMost(Duration.ofSeconds(30))
                    .until(() -> pool.get("/jobs/" + id).path("state").asText().equals("queued"));
            JsonNode queued = pool.get("/jobs/" + id);
            assertThat(queued.path("attempts").get(0).path("outcome").asText()).isEqualTo("vacated");
            assertThat(queued.path("checkpointBytes").asLong())
                    .as("a checkpoint is stored")
                    .isPositive();

            pool.startAgent("second", 2);
            var wait = pool.cli("wait", id, "--timeout", "2m");
            assertThat(wait.exitCode()).as(wait + pool.logs()).isZero();

            JsonNode done = pool.get("/jobs/" + id);
            assertThat(done.path("machine").asText()).isEqualTo("second");
            assertThat(done.path("attemptCount").asInt()).isEqualTo(2);
            assertThat(pool.getText("/jobs/" + id + "/logs?stream=stdout")).isEqualTo("sum=1830\n");
            assertThat(pool.getText("/jobs/" + id + "/logs?stream=stderr")).matches("resumed from [1-9][0-9]*\n");
            assertThat(done.path("lostCpuSeconds").asDouble())
                    .as("nothing lost: it left through a checkpoint")
                    .isLessThan(0.5);
        }
    }

    /** Until the job's first attempt said "progress": its checkpoint will then hold some. */
    static void awaitProgress(TestPool pool, String id) {
        await().atMost(Duration.ofSeconds(30))
                .ignoreExceptions()
                .until(() -> pool.getText("/jobs/" + id + "/logs?stream=stderr&attempt=1")
                        .contains("progress"));
    }
}
