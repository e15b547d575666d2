package org.cyphon.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.cyphon.coordinator.TestCoordinator.show;
import static org.cyphon.coordinator.TestCoordinator.submit;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cyphon.core.protocol.HeartbeatReply;
import org.cyphon.core.protocol.JobList;
import org.cyphon.core.protocol.JobSubmission;
import org.cyphon.core.protocol.SubmitReply;
import org.cyphon.core.protocol.WorkAssignment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data dir is the coordinator's memory: jobs, tokens and running attempts survive a restart, and a kill -9. */
@OnEveryStore
class RestartTest {
    private final TestStore store;

    RestartTest(TestStore store) {
        this.store = store;
    }

    @TempDir
    Path dir;

    @Test
    void aRestartKeepsJobsTokensAndRunningAttempts() throws Exception {
        try (TestCoordinator c = TestCoordinator.start(store, dir)) {
            String admin = c.coordinator().adminToken();
            String enroll = c.coordinator().enrollToken();
            ApiClient alice = c.user("alice");
            TestAgent m1 = c.agent("m1", 1);
            long running = submit(alice, "/bin/sleep", "1000");
            WorkAssignment w = m1.work(10_000).get(0);
            m1.beat(); // acknowledged
            long queued = submit(alice, "/bin/true");
            long held = submit(alice, "/bin/true");
            alice.post("/api/v1/jobs/" + held + "/hold", null);

            // Down for longer than a lease: the agent could not beat meanwhile.
            c.restart();
            c.clock.advance(c.lease().multipliedBy(2));

            assertThat(c.coordinator().adminToken()).isEqualTo(admin);
            assertThat(c.coordinator().enrollToken()).isEqualTo(enroll);
            assertThat(show(alice, running).state()).isEqualTo("running");
            assertThat(show(alice, queued).state()).isEqualTo("queued");
            assertThat(show(alice, held).state()).isEqualTo("held");

            // The agent's token still works and its attempt was given a fresh lease at start.
            c.clock.advance(Duration.ofSeconds(-20));
            HeartbeatReply beat = m1.beat();
            assertThat(beat.stop()).isEmpty();
            m1.report(TestAgent.exited(w, 0));
            assertThat(show(alice, running).state()).isEqualTo("completed");
            // New ids keep increasing after the restart.
            assertThat(submit(alice, "/bin/true")).isGreaterThan(held);
        }
    }

    @Test
    void workNoAgentFetchedIsOfferedAgainAfterARestart() throws Exception {
        try (TestCoordinator c = TestCoordinator.start(store, dir)) {
            ApiClient alice = c.user("alice");
            TestAgent m1 = c.agent("m1", 1);
            long id = submit(alice, "/bin/true");
            await().until(() -> show(alice, id).state().equals("running"));
            c.restart(); // assigned, never fetched
            List<WorkAssignment> work = m1.work(10_000);
            assertThat(work).singleElement().satisfies(w -> {
                assertThat(w.jobId()).isEqualTo(id);
                assertThat(w.attempt()).isEqualTo(1);
            });
        }
    }

    @Test
    void aKill9RightAfterThe201LosesNoJob() throws Exception {
        try (TestStore.Instance db = store.create(dir)) {
            killAChildCoordinatorThenReopenItsStore(db);
        }
    }

    private void killAChildCoordinatorThenReopenItsStore(TestStore.Instance db) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                CoordinatorProcess.class.getName(),
                dir.toString()));
        if (!db.isH2())
            command.addAll(List.of(db.jdbcUrl(), db.user(), db.passwordFile().toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<Long> ids;
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String url = null;
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("URL ")) {
                    url = line.substring(4).trim();
                    break;
                }
            }
            assertThat(url).as("the child coordinator printed its URL").isNotNull();
            ApiClient admin = new ApiClient(
                    url, Files.readString(dir.resolve("admin.token")).trim());
            ids = admin.post(
                            "/api/v1/jobs",
                            JobSubmission.builder()
                                    .name("k")
                                    .command(List.of("/bin/true"))
                                    .count(300)
                                    .build())
                    .as(SubmitReply.class)
                    .ids();
            long last = submit(admin, "/bin/last");
            ids = new ArrayList<>(ids);
            ids.add(last);
        } finally {
            p.destroyForcibly(); // SIGKILL: no shutdown hook, no database close
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        // Reopen the store the child used.
        try (TestCoordinator c = TestCoordinator.start(db, dir, cfg -> cfg)) {
            List<Long> stored = c.admin().get("/api/v1/jobs?limit=100000", JobList.class).jobs().stream()
                    .map(j -> j.id())
                    .toList();
            assertThat(stored).containsExactlyElementsOf(ids);
        }
    }
}
