package org.cyphon.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 one agent while its jobs run: they are requeued and complete exactly once. */
class AgentCrashIT {
    @TempDir
    Path tmp;

    @Test
    void jobsOfAKilledAgentAreRequeuedAndCompleteExactlyOnce() throws Exception {
        try (TestPool pool = new TestPool(tmp)) {
            pool.startCoordinator().startAgent("victim", 4);

            var submit =
                    pool.cli("submit", "-n", "8", "--cpus", "1", "--", "sh", "-c", "sleep 3; echo done-$CYPHON_INDEX");
            assertThat(submit.exitCode()).as(submit.toString()).isZero();
            List<String> ids = submit.stdout().lines().toList();

            // All four slots of the victim busy, then it dies without a word.
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> pool.jobs().stream()
                                    .filter(j -> j.path("state").asText().equals("running"))
                                    .count()
                            == 4);
            pool.agent("victim").crash();
            pool.startAgent("survivor", 4);

            var wait = pool.cli("wait", "--all", "--timeout", "3m");
            assertThat(wait.exitCode()).as(wait + pool.logs()).isZero();

            int requeued = 0;
            for (String id : ids) {
                JsonNode job = pool.get("/jobs/" + id);
                assertThat(job.path("state").asText()).isEqualTo("completed");
                assertThat(job.path("machine").asText()).isEqualTo("survivor");
                long completions = 0;
                for (JsonNode e : pool.get("/jobs/" + id + "/events").path("events")) {
                    if (e.path("type").asText().equals("exited")) completions++;
                    if (e.path("type").asText().equals("lost")) requeued++;
                }
                assertThat(completions)
                        .as("job " + id + " completed exactly once")
                        .isEqualTo(1);
                assertThat(pool.getText("/jobs/" + id + "/logs?stream=stdout"))
                        .isEqualTo("done-" + job.path("index").asInt() + "\n");
            }
            assertThat(requeued)
                    .as("the victim's four attempts were lost and requeued")
                    .isEqualTo(4);
        }
    }
}
