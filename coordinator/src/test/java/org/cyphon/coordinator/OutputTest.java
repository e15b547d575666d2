package org.cyphon.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cyphon.coordinator.TestCoordinator.submit;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.cyphon.core.protocol.WorkAssignment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Agents ship stdout/stderr at offsets; users read them back; the cap holds. */
@OnEveryStore
class OutputTest {
    private final TestStore store;

    OutputTest(TestStore store) {
        this.store = store;
    }

    static final long CAP = 64;

    @TempDir
    Path dir;

    TestCoordinator c;
    ApiClient alice;
    TestAgent m1;

    @BeforeEach
    void start() throws Exception {
        c = TestCoordinator.start(store, dir, cfg -> cfg.withMaxLogBytes(CAP));
        alice = c.user("alice");
        m1 = c.agent("m1", 4);
    }

    @AfterEach
    void stop() {
        c.close();
    }

    private ApiClient.Reply upload(WorkAssignment w, String stream, long offset, String text) {
        return m1.api.postBytes(
                m1.path("/attempts/" + w.fencingToken() + "/output/" + stream + "?offset=" + offset),
                text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void outputIsStoredAtOffsetsAndReadBackFromAnyOffset() {
        long id = submit(alice, "/bin/echo", "hello");
        WorkAssignment w = m1.work(10_000).get(0);
        assertThat(upload(w, "stdout", 0, "hello ").json().path("stored").asLong())
                .isEqualTo(6);
        assertThat(upload(w, "stdout", 6, "world\n").json().path("stored").asLong())
                .isEqualTo(12);
        // A re-sent chunk overwrites itself.
        assertThat(upload(w, "stdout", 6, "world\n").json().path("stored").asLong())
                .isEqualTo(12);
        upload(w, "stderr", 0, "warning\n");

        ApiClient.Reply all = alice.get("/api/v1/jobs/" + id + "/logs");
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.body()).isEqualTo("hello world\n");
        assertThat(all.header("X-Cyphon-Log-Size")).isEqualTo("12");
        assertThat(all.header("X-Cyphon-Log-Final")).isEqualTo("false");
        assertThat(alice.get("/api/v1/jobs/" + id + "/logs?offset=6").body()).isEqualTo("world\n");
        assertThat(alice.get("/api/v1/jobs/" + id + "/logs?offset=100").body()).isEmpty();
        assertThat(alice.get("/api/v1/jobs/" + id + "/logs?stream=stderr&attempt=1")
                        .body())
                .isEqualTo("warning\n");

        m1.report(TestAgent.exited(w, 0));
        assertThat(alice.get("/api/v1/jobs/" + id + "/logs").header("X-Cyphon-Log-Final"))
                .isEqualTo("true");
        // After the report the attempt is over: more output for it is refused.
        assertThat(upload(w, "stdout", 12, "late").status()).isEqualTo(409);
    }

    @Test
    void outputPastTheCapIsDroppedAndMarked() {
        long id = submit(alice, "/bin/yes");
        WorkAssignment w = m1.work(10_000).get(0);
        String sixty = "x".repeat(60);
        assertThat(upload(w, "stdout", 0, sixty).json().path("stored").asLong()).isEqualTo(60);
        assertThat(upload(w, "stdout", 60, "0123456789").json().path("stored").asLong())
                .isEqualTo(CAP);
        // Chunks wholly past the cap are accepted and dropped: the agent must not loop resending them.
        ApiClient.Reply past = upload(w, "stdout", 70, "more");
        assertThat(past.status()).isEqualTo(200);
        assertThat(past.json().path("stored").asLong()).isEqualTo(CAP);

        ApiClient.Reply read = alice.get("/api/v1/jobs/" + id + "/logs");
        assertThat(read.body()).isEqualTo(sixty + "0123");
        assertThat(read.header("X-Cyphon-Log-Size")).isEqualTo(Long.toString(CAP));
        assertThat(read.header("X-Cyphon-Log-Truncated")).isEqualTo("true");

        // The job's events say so, once, however many uploads went past the cap.
        upload(w, "stdout", 74, "even more");
        var truncations =
                alice.get("/api/v1/jobs/" + id + "/events", org.cyphon.core.protocol.EventList.class).events().stream()
                        .filter(e -> e.type().equals("output_truncated"))
                        .toList();
        assertThat(truncations).hasSize(1);
        assertThat(truncations.get(0).message()).contains("stdout", "jobs.max_log_bytes", Long.toString(CAP));
        assertThat(truncations.get(0).attempt()).isEqualTo(1);
    }

    @Test
    void badUploadsAreRefused() {
        submit(alice, "/bin/true");
        WorkAssignment w = m1.work(10_000).get(0);
        ApiClient.Reply gap = upload(w, "stdout", 10, "x");
        assertThat(gap.status()).isEqualTo(400);
        assertThat(gap.field()).isEqualTo("offset");
        assertThat(m1.api
                        .postBytes(m1.path("/attempts/99999/output/stdout?offset=0"), new byte[] {1})
                        .status())
                .isEqualTo(409);
        TestAgent m2 = c.agent("m2", 1);
        ApiClient.Reply notYours =
                m2.api.postBytes(m2.path("/attempts/" + w.fencingToken() + "/output/stdout?offset=0"), new byte[] {1});
        assertThat(notYours.status()).isEqualTo(409);
    }

    @Test
    void readingLogsOfAJobWithoutAttemptsOrOfAMissingAttempt() {
        long id = submit(alice, "/bin/true");
        alice.post("/api/v1/jobs/" + id + "/hold", null);
        ApiClient.Reply none = alice.get("/api/v1/jobs/" + id + "/logs");
        assertThat(none.status()).isEqualTo(200);
        assertThat(none.body()).isEmpty();
        assertThat(none.header("X-Cyphon-Log-Size")).isEqualTo("0");
        assertThat(alice.get("/api/v1/jobs/" + id + "/logs?attempt=3").status()).isEqualTo(404);
        assertThat(alice.get("/api/v1/jobs/" + id + "/logs?stream=both").field())
                .isEqualTo("stream");
        assertThat(alice.get("/api/v1/jobs/99/logs").status()).isEqualTo(404);
    }
}
