package org.cyphon.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A higher priority takes a desk only through checkpoint-and-vacate: the coordinator asks the real
 * agent (in its heartbeat reply) to vacate the running job; the agent asks the job to checkpoint
 * and vacates it as a desk policy would; the urgent job runs; the preempted one resumes from its
 * checkpoint and ends with exactly the uninterrupted result, having lost no CPU. A job that cannot
 * checkpoint is never preempted.
 */
class PreemptionByPriorityIT {
    /** Like CheckpointResumeIT's summer, but long enough (20 s) to be preempted mid-way. */
    static final String LONG_SUMMER = CheckpointResumeIT.SUMMER.replace("-lt 60", "-lt 200");

    @TempDir
    Path tmp;

    @Test
    void aHigherPriorityJobPreemptsACheckpointableOneWhichResumesFromItsCheckpoint() throws Exception {
        try (TestPool pool = new TestPool(tmp)) {
            pool.startCoordinator().startAgent("desk", 1);
            var low = pool.cli(
                    "submit",
                    "--cpus",
                    "1",
                    "--checkpoint-every",
                    "1h",
                    "--name",
                    "low",
                    "--",
                    "sh",
                    "-c",
                    LONG_SUMMER);
            assertThat(low.exitCode()).as(low.toString()).isZero();
            String lowId = low.stdout().trim();
            await().atMost(Duration.ofSeconds(30))
                    .until(() ->
                            pool.get("/jobs/" + lowId).path("state").asText().equals("running"));
            CheckpointResumeIT.awaitProgress(pool, lowId);

            var high = pool.cli(
                    "submit", "--cpus", "1", "--priority", "10", "--name", "urgent", "--", "sh", "-c", "echo urgent");
            assertThat(high.exitCode()).as(high.toString()).isZero();
            String highId = high.stdout().trim();

            var waitHigh = pool.cli("wait", highId, "--timeout", "1m");
            assertThat(waitHigh.exitCode()).as(waitHigh + pool.logs()).isZero();
            JsonNode lowAfter = pool.get("/jobs/" + lowId);
            assertThat(lowAfter.path("attempts").get(0).path("outcome").asText())
                    .isEqualTo("vacated");
            assertThat(lowAfter.path("attempts").get(0).path("message").asText())
                    .contains("preempted for job " + highId);
            assertThat(pool.agent("desk").log()).contains("checkpoint and vacate");

            var waitLow = pool.cli("wait", lowId, "--timeout", "2m");
            assertThat(waitLow.exitCode()).as(waitLow + pool.logs()).isZero();
            JsonNode done = pool.get("/jobs/" + lowId);
            assertThat(done.path("attemptCount").asInt()).isEqualTo(2);
            assertThat(pool.getText("/jobs/" + lowId + "/logs?stream=stdout")).isEqualTo("sum=20100\n");
            assertThat(pool.getText("/jobs/" + lowId + "/logs?stream=stderr")).matches("resumed from [1-9][0-9]*\n");
            assertThat(done.path("lostCpuSeconds").asDouble())
                    .as("nothing lost: it left through a checkpoint")
                    .isLessThan(0.5);
        }
    }

    @Test
    void aJobThatCannotCheckpointIsNeverPreempted() throws Exception {
        try (TestPool pool = new TestPool(tmp)) {
            pool.startCoordinator().startAgent("desk", 1);
            var low = pool.cli("submit", "--cpus", "1", "--name", "low", "--", "sh", "-c", "sleep 8; echo done");
            String lowId = low.stdout().trim();
            await().atMost(Duration.ofSeconds(30))
                    .until(() ->
                            pool.get("/jobs/" + lowId).path("state").asText().equals("running"));
            var high = pool.cli("submit", "--cpus", "1", "--priority", "10", "--", "sh", "-c", "echo urgent");
            String highId = high.stdout().trim();

            // The urgent job waits for the desk to free up; the running job is left alone.
            var waitHigh = pool.cli("wait", highId, "--timeout", "1m");
            assertThat(waitHigh.exitCode()).as(waitHigh + pool.logs()).isZero();
            JsonNode lowDone = pool.get("/jobs/" + lowId);
            assertThat(lowDone.path("state").asText()).isEqualTo("completed");
            assertThat(lowDone.path("attemptCount").asInt()).isEqualTo(1);
            assertThat(pool.get("/jobs/" + highId).path("startedAt").asText())
                    .isGreaterThanOrEqualTo(lowDone.path("finishedAt").asText());
        }
    }
}
