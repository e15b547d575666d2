package org.cyphon.agent.checkpoint;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.cyphon.agent.client.CoordinatorClient;
import org.cyphon.agent.client.CoordinatorRefusedException;
import org.cyphon.coordinator.Coordinator;
import org.cyphon.coordinator.CoordinatorConfig;
import org.cyphon.core.protocol.AttemptReport;
import org.cyphon.core.protocol.EnrollRequest;
import org.cyphon.core.protocol.JobSubmission;
import org.cyphon.core.protocol.ReportBatch;
import org.cyphon.core.protocol.ReportResult;
import org.cyphon.core.protocol.WorkAssignment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job's checkpoints end to end, with a real coordinator over HTTP and a real shell job, doing by
 * hand what the agent does: restore before the start, ask before a vacate, store what the job left,
 * report; then the next attempt starts from it.
 */
class AttemptCheckpointsTest {
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final CheckpointSettings FAST = CheckpointSettings.parse(null, null, "20s", "300ms", "off", null);

    /** Counts its runs in its checkpoint; on TERM saves the count and exits with the checkpoint code; a resumed run finishes. */
    private static final String JOB = """
            d="$CYPHON_CHECKPOINT_DIR"
            n=0
            if [ -f "$d/data/count" ]; then n=$(cat "$d/data/count"); fi
            trap 'mkdir -p "$d/data"; echo $((n + 1)) > "$d/data/count.tmp"; mv "$d/data/count.tmp" "$d/data/count"; exit 85' TERM
            touch ready
            if [ "$n" -ge 1 ]; then echo "resumed from $n"; exit 0; fi
            while :; do sleep 0.05; done
            """;

    @TempDir
    Path temp;

    Coordinator coordinator;
    Process job;

    @AfterEach
    void stop() throws Exception {
        if (job != null && job.isAlive()) {
            job.destroyForcibly();
            job.waitFor(10, TimeUnit.SECONDS);
        }
        if (coordinator != null) coordinator.close();
    }

    private CoordinatorClient startCoordinator(CoordinatorConfig config) throws Exception {
        coordinator = Coordinator.start(config);
        CoordinatorClient client = new CoordinatorClient(URI.create(coordinator.url()));
        client.enroll(
                coordinator.enrollToken(),
                new EnrollRequest("desk-1", 4, 8L << 30, "nice-only", null, "test", "unavailable: test"));
        return client;
    }

    private JsonNode admin(String method, String path, Object body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(coordinator.url() + "/api/v1" + path))
                .header("Authorization", "Bearer " + coordinator.adminToken());
        b = body == null
                ? b.method(method, HttpRequest.BodyPublishers.noBody())
                : b.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        HttpResponse<byte[]> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).as(new String(r.body(), UTF_8)).isBetween(200, 299);
        return JSON.readTree(r.body());
    }

    private WorkAssignment work(CoordinatorClient client) throws Exception {
        List<WorkAssignment> got = client.pollWork(Duration.ofSeconds(10)).assignments();
        assertThat(got).hasSize(1);
        return got.get(0);
    }

    private Process run(Path workDir, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", JOB)
                .directory(workDir.toFile())
                .redirectOutput(workDir.resolve("stdout").toFile())
                .redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> Files.exists(workDir.resolve("ready")) || !p.isAlive());
        return p;
    }

    private static ReportResult report(
            CoordinatorClient client, WorkAssignment w, int exitCode, double cpu, double sinceCheckpoint)
            throws Exception {
        AttemptReport r = new AttemptReport(
                w.jobId(),
                w.attempt(),
                w.fencingToken(),
                org.cyphon.core.job.AttemptOutcome.EXITED,
                exitCode,
                null,
                cpu,
                null,
                sinceCheckpoint);
        return client.report(new ReportBatch(List.of(r))).results().get(0);
    }

    @Test
    void aJobCheckpointedOnTermResumesFromItsCheckpointInTheNextAttempt() throws Exception {
        CoordinatorClient client = startCoordinator(
                CoordinatorConfig.defaults(temp.resolve("coordinator")).withPort(0));
        CheckpointTransfer transfer = new CheckpointTransfer(client, temp.resolve("scratch"), FAST.maxBytes());
        long id = admin(
                        "POST",
                        "/jobs",
                        JobSubmission.builder()
                                .command(List.of("/bin/sh", "job.sh"))
                                .maxAttempts(1)
                                .build())
                .path("ids")
                .get(0)
                .asLong();

        // Attempt 1: nothing to restore; the owner comes back, so it is asked to checkpoint and leave.
        WorkAssignment w1 = work(client);
        Path work1 = Files.createDirectories(temp.resolve("work/a1"));
        AttemptCheckpoints cp1 = new AttemptCheckpoints(w1, work1, transfer, FAST);
        Map<String, String> env1 = cp1.prepare();
        assertThat(cp1.restored()).isFalse();
        assertThat(env1)
                .containsEntry(
                        CheckpointDir.ENV, work1.resolve(".cyphon-checkpoint").toString());
        job = run(work1, env1);
        assertThat(cp1.askBeforeVacate(job.pid(), job.onExit())).isEqualTo(CheckpointRequest.Outcome.EXITED);
        assertThat(job.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(cp1.isCheckpointExit(job.exitValue())).isTrue();
        assertThat(cp1.storeIfChanged(2.5)).isTrue();
        assertThat(cp1.storeIfChanged(2.5)).as("nothing new to store").isFalse();
        assertThat(cp1.cpuSecondsSinceCheckpoint(2.5)).isZero();
        assertThat(report(client, w1, 85, 2.5, cp1.cpuSecondsSinceCheckpoint(2.5))
                        .accepted())
                .isTrue();

        // The old attempt is over: it may not store any more.
        Files.writeString(cp1.dir().resolve("late"), "too late");
        assertThatThrownBy(() -> cp1.storeIfChanged(3))
                .isInstanceOfSatisfying(
                        CoordinatorRefusedException.class,
                        e -> assertThat(e.status()).isEqualTo(409));

        // Attempt 2 (of a 1-attempt job: the checkpoint exit used none up) starts from the count.
        WorkAssignment w2 = work(client);
        assertThat(w2.attempt()).isEqualTo(2);
        assertThat(w2.hasCheckpoint()).isTrue();
        Path work2 = Files.createDirectories(temp.resolve("work/a2"));
        AttemptCheckpoints cp2 = new AttemptCheckpoints(w2, work2, transfer, FAST);
        job = run(work2, cp2.prepare());
        assertThat(cp2.restored()).isTrue();
        assertThat(cp2.dir().resolve("late"))
                .as("the refused upload changed nothing")
                .doesNotExist();
        assertThat(job.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(job.exitValue()).isZero();
        assertThat(Files.readString(work2.resolve("stdout"))).contains("resumed from 1");
        assertThat(cp2.cpuSecondsSinceCheckpoint(4))
                .as("this attempt stored nothing: all of it")
                .isEqualTo(4);
        assertThat(report(client, w2, 0, 4, 4).accepted()).isTrue();

        JsonNode view = admin("GET", "/jobs/" + id, null);
        assertThat(view.path("state").asText()).isEqualTo("completed");
        assertThat(view.path("lostCpuSeconds").asDouble()).isZero();
        assertThat(admin("GET", "/jobs/" + id + "/events", null).path("events").findValuesAsText("type"))
                .contains("checkpointed");
        assertThat(admin("GET", "/machines/desk-1", null).path("criu").asText()).isEqualTo("unavailable: test");
        assertThat(listed(temp.resolve("scratch"))).as("no archive left behind").isEmpty();
    }

    @Test
    void anArchiveOverTheCoordinatorsCapIsRefusedWithItsName() throws Exception {
        CoordinatorClient client = startCoordinator(CoordinatorConfig.defaults(temp.resolve("coordinator"))
                .withPort(0)
                .withMaxCheckpointBytes(1024));
        CheckpointTransfer transfer = new CheckpointTransfer(client, temp.resolve("scratch"), FAST.maxBytes());
        admin("POST", "/jobs", JobSubmission.of(List.of("/bin/true")));
        WorkAssignment w = work(client);
        AttemptCheckpoints cp =
                new AttemptCheckpoints(w, Files.createDirectories(temp.resolve("work")), transfer, FAST);
        cp.prepare();
        Files.write(cp.dir().resolve("big"), new byte[64 * 1024]);

        assertThatThrownBy(() -> cp.storeIfChanged(1)).isInstanceOfSatisfying(CoordinatorRefusedException.class, e -> {
            assertThat(e.status()).isEqualTo(413);
            assertThat(e.getMessage()).contains("jobs.max_checkpoint_bytes");
        });
        assertThat(cp.cpuSecondsSinceCheckpoint(1)).isEqualTo(1);
        assertThat(listed(temp.resolve("scratch"))).isEmpty();
    }

    private static List<Path> listed(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.toList();
        }
    }
}
