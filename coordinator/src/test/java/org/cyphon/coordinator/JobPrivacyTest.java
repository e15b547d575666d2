package org.cyphon.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.cyphon.core.protocol.JobBatch;
import org.cyphon.core.protocol.JobSubmission;
import org.cyphon.core.protocol.JobView;
import org.cyphon.core.protocol.SubmitReply;
import org.cyphon.core.protocol.WorkAssignment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Job privacy, tried as user B would against user A's job through every route that shows a job
 * (the job view, the queue listing, logs, events, the history export): under the default
 * {@code privacy = "own"} B sees neither A's environment values nor A's output, and under either
 * setting nobody but A and admins ever sees A's secret values. Only A's job itself receives them,
 * through its agent's work reply. The data dir never holds a secret value in clear.
 */
@OnEveryStore
class JobPrivacyTest {
    private final TestStore store;

    JobPrivacyTest(TestStore store) {
        this.store = store;
    }

    private static final String SECRET = "s3cr3t-VALUE-7f1d9c";
    private static final String PLAIN = "plain-value-4e2a";

    @TempDir
    Path dir;

    private static JobSubmission withSecrets() {
        return JobSubmission.builder()
                .name("private")
                .command(List.of("/bin/sh", "-c", "echo $API_KEY"))
                .env(Map.of("MODE", PLAIN))
                .secretEnv(Map.of("API_KEY", SECRET))
                .build();
    }

    @Test
    void underPrivacyOwnAnotherUserSeesNeitherEnvironmentNorOutputNorSecrets() throws Exception {
        Path data = dir.resolve("data");
        try (TestCoordinator c = TestCoordinator.start(store, data)) {
            ApiClient alice = c.user("alice");
            ApiClient bob = c.user("bob");
            TestAgent desk = c.agent("desk-1", 4);
            long id = alice.post("/api/v1/jobs", withSecrets(), SubmitReply.class)
                    .ids()
                    .get(0);
            c.periodicWork().runAll();

            // Only the job's own agent is handed the secret value, to put in its environment.
            WorkAssignment w = desk.work(5000).get(0);
            assertThat(w.secretEnv()).containsExactly(Map.entry("API_KEY", SECRET));
            assertThat(w.toString()).doesNotContain(SECRET);
            desk.api.postBytes(
                    desk.path("/attempts/" + w.fencingToken() + "/output/stdout?offset=0"),
                    "the job's own output\n".getBytes(StandardCharsets.UTF_8));

            // Bob: the job is listed and shown, its values are not.
            ApiClient.Reply view = bob.get("/api/v1/jobs/" + id);
            assertThat(view.status()).isEqualTo(200);
            JobView bobs = ApiClient.JSON.readValue(view.bytes(), JobView.class);
            assertThat(bobs.submission().env()).containsExactly(Map.entry("MODE", JobView.HIDDEN));
            assertThat(bobs.submission().secretEnv()).containsExactly(Map.entry("API_KEY", JobView.HIDDEN));
            assertThat(view.body()).doesNotContain(SECRET).doesNotContain(PLAIN);
            for (String listing : List.of("/api/v1/jobs", "/api/v1/jobs?owner=alice", "/api/v1/jobs?state=running")) {
                ApiClient.Reply queue = bob.get(listing);
                assertThat(queue.status()).isEqualTo(200);
                assertThat(queue.body())
                        .contains("\"private\"")
                        .doesNotContain(SECRET)
                        .doesNotContain(PLAIN);
            }
            ApiClient.Reply logs = bob.get("/api/v1/jobs/" + id + "/logs");
            assertThat(logs.status()).isEqualTo(403);
            assertThat(logs.error()).contains("alice", "privacy");
            assertThat(bob.get("/api/v1/jobs/" + id + "/logs?stream=stderr&attempt=1")
                            .status())
                    .isEqualTo(403);
            ApiClient.Reply events = bob.get("/api/v1/jobs/" + id + "/events");
            assertThat(events.body()).doesNotContain(SECRET).doesNotContain(PLAIN);
            assertThat(bob.get("/api/v1/history").status()).isEqualTo(403);
            // Nor can Bob change it (and learn its view from the reply).
            assertThat(bob.post("/api/v1/jobs/" + id + "/hold", null).status()).isEqualTo(403);

            // Alice and an admin see everything, the secret value included, in the one-job view.
            for (ApiClient owner : List.of(alice, c.admin())) {
                JobView v = TestCoordinator.show(owner, id);
                assertThat(v.submission().env()).containsExactly(Map.entry("MODE", PLAIN));
                assertThat(v.submission().secretEnv()).containsExactly(Map.entry("API_KEY", SECRET));
                assertThat(owner.get("/api/v1/jobs/" + id + "/logs").body()).isEqualTo("the job's own output\n");
                // Listings never carry secret values, not even to their owner.
                assertThat(owner.get("/api/v1/jobs").body()).doesNotContain(SECRET);
            }
            desk.report(TestAgent.exited(w, 0));

            // At rest: no value in any row of the store holds it (the check can fail: the plain
            // environment is stored as it is).
            String rows = c.store().everyValue();
            assertThat(rows).doesNotContain(SECRET).contains(PLAIN);
        }

        // Nor any file under the data dir (H2's database, output, tokens, key).
        try (Stream<Path> files = Files.walk(data)) {
            for (Path f : files.filter(Files::isRegularFile).toList())
                assertThat(contains(f, SECRET))
                        .as("%s holds the secret value in clear", f)
                        .isFalse();
        }
        if (store == TestStore.H2) {
            // The check can fail: H2's file holds the plain environment as it is.
            try (Stream<Path> files = Files.walk(data.resolve("db"))) {
                assertThat(files.filter(Files::isRegularFile).anyMatch(f -> contains(f, PLAIN)))
                        .isTrue();
            }
        }
    }

    @Test
    void underPrivacyOpenOthersSeeEnvironmentAndOutputButNeverSecrets() throws Exception {
        try (TestCoordinator c = TestCoordinator.start(store, dir, cfg -> cfg.withPrivacy(JobPrivacy.OPEN))) {
            ApiClient alice = c.user("alice");
            ApiClient bob = c.user("bob");
            TestAgent desk = c.agent("desk-1", 4);
            long id = alice.post("/api/v1/jobs", withSecrets(), SubmitReply.class)
                    .ids()
                    .get(0);
            c.periodicWork().runAll();
            WorkAssignment w = desk.work(5000).get(0);
            desk.api.postBytes(
                    desk.path("/attempts/" + w.fencingToken() + "/output/stdout?offset=0"),
                    "shared output\n".getBytes(StandardCharsets.UTF_8));

            JobView v = TestCoordinator.show(bob, id);
            assertThat(v.submission().env()).containsExactly(Map.entry("MODE", PLAIN));
            assertThat(v.submission().secretEnv()).containsExactly(Map.entry("API_KEY", JobView.HIDDEN));
            assertThat(bob.get("/api/v1/jobs/" + id).body()).doesNotContain(SECRET);
            assertThat(bob.get("/api/v1/jobs/" + id + "/logs").body()).isEqualTo("shared output\n");
        }
    }

    /**
     * The batch route ({@code cyphon submit FILE.sub}, {@code cyphon dag}) seals secrets like the
     * single submission, and a job waiting on another shows them only as the one-job view does;
     * it receives them when its dependency has completed and it runs.
     */
    @Test
    void aBatchSealsSecretsAndAWaitingJobShowsThemOnlyToItsOwner() throws Exception {
        Path data = dir.resolve("data");
        try (TestCoordinator c = TestCoordinator.start(store, data)) {
            ApiClient alice = c.user("alice");
            ApiClient bob = c.user("bob");
            TestAgent desk = c.agent("desk-1", 4);
            JobSubmission withClusterSecret = JobSubmission.builder()
                    .name("private")
                    .command(List.of("/bin/true"))
                    .env(Map.of("MODE", PLAIN))
                    .secretEnv(Map.of("API_KEY", SECRET + "-{cluster}"))
                    .build();
            JobBatch batch =
                    new JobBatch(List.of(withSecrets(), withClusterSecret), List.of(new JobBatch.Edge(1, 0, false)));
            List<Long> ids =
                    alice.post("/api/v1/jobs/batch", batch, SubmitReply.class).ids();
            long first = ids.get(0);
            long waiting = ids.get(1);

            JobView bobs = TestCoordinator.show(bob, waiting);
            assertThat(bobs.state()).isEqualTo("waiting");
            assertThat(bobs.progress().waitingOn()).containsExactly(first);
            assertThat(bobs.submission().env()).containsExactly(Map.entry("MODE", JobView.HIDDEN));
            assertThat(bobs.submission().secretEnv()).containsExactly(Map.entry("API_KEY", JobView.HIDDEN));
            assertThat(bob.get("/api/v1/jobs?state=waiting").body())
                    .contains("\"private\"")
                    .doesNotContain(SECRET)
                    .doesNotContain(PLAIN);
            // Filtered actions name no other user's jobs for Bob, and show him nothing of them.
            ApiClient.Reply hold = bob.post("/api/v1/jobs/hold?owner=alice&all=true", null);
            assertThat(hold.status()).isEqualTo(403);
            assertThat(hold.body()).doesNotContain(SECRET).doesNotContain(PLAIN);

            JobView alices = TestCoordinator.show(alice, waiting);
            assertThat(alices.submission().secretEnv()).containsExactly(Map.entry("API_KEY", SECRET + "-" + first));
            assertThat(alice.get("/api/v1/jobs").body()).doesNotContain(SECRET);

            c.periodicWork().runAll();
            WorkAssignment w1 = desk.work(5000).get(0);
            assertThat(w1.jobId()).isEqualTo(first);
            assertThat(w1.secretEnv()).containsExactly(Map.entry("API_KEY", SECRET));
            desk.report(TestAgent.exited(w1, 0));
            WorkAssignment w2 = desk.work(5000).get(0);
            assertThat(w2.jobId()).isEqualTo(waiting);
            assertThat(w2.secretEnv()).containsExactly(Map.entry("API_KEY", SECRET + "-" + first));
            desk.report(TestAgent.exited(w2, 0));
        }

        try (Stream<Path> files = Files.walk(data)) {
            for (Path f : files.filter(Files::isRegularFile).toList())
                assertThat(contains(f, SECRET))
                        .as("%s holds the secret value in clear", f)
                        .isFalse();
        }
    }

    @Test
    void badSecretsAreRefusedWithoutQuotingTheirValues() throws Exception {
        try (TestCoordinator c = TestCoordinator.start(store, dir)) {
            ApiClient alice = c.user("alice");
            JobSubmission nul = JobSubmission.builder()
                    .command(List.of("/bin/true"))
                    .secretEnv(Map.of("TOKEN", "abc\0" + SECRET))
                    .build();
            ApiClient.Reply r = alice.post("/api/v1/jobs", nul);
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.field()).isEqualTo("secretEnv.TOKEN");
            assertThat(r.error()).contains("NUL").doesNotContain(SECRET);

            JobSubmission twice = JobSubmission.builder()
                    .command(List.of("/bin/true"))
                    .env(Map.of("TOKEN", "a"))
                    .secretEnv(Map.of("TOKEN", SECRET))
                    .build();
            ApiClient.Reply both = alice.post("/api/v1/jobs", twice);
            assertThat(both.status()).isEqualTo(400);
            assertThat(both.error()).contains("also in env").doesNotContain(SECRET);

            ApiClient.Reply plainNul = alice.post(
                    "/api/v1/jobs",
                    JobSubmission.builder()
                            .command(List.of("/bin/true"))
                            .env(Map.of("A", "x\0y"))
                            .build());
            assertThat(plainNul.status()).isEqualTo(400);
            assertThat(plainNul.field()).isEqualTo("env.A");
        }
    }

    private static boolean contains(Path file, String text) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            return new String(bytes, StandardCharsets.ISO_8859_1).contains(text);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
