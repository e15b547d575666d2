package org.cyphon.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.cyphon.core.protocol.AttemptReport;
import org.cyphon.core.protocol.EventList;
import org.cyphon.core.protocol.JobList;
import org.cyphon.core.protocol.JobSubmission;
import org.cyphon.core.protocol.JobView;
import org.cyphon.core.protocol.ReportResult;
import org.cyphon.core.protocol.SubmitReply;
import org.cyphon.core.protocol.WorkAssignment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many agents and submitters at once: every job runs and completes exactly once, and each job's
 * history is whole. Bounded in jobs and time; asserts outcomes, not speed.
 */
@OnEveryStore
class ConcurrencyTest {
    private final TestStore store;

    ConcurrencyTest(TestStore store) {
        this.store = store;
    }

    @TempDir
    Path dir;

    @Test
    void everyJobCompletesExactlyOnceUnderConcurrentLoad() throws Exception {
        int agents = 8;
        int submitters = 4;
        int perSubmitter = 300;
        try (TestCoordinator c = TestCoordinator.start(store, dir)) {
            ApiClient alice = c.user("alice");
            List<TestAgent> machines = new ArrayList<>();
            for (int i = 0; i < agents; i++) machines.add(c.agent("m" + i, 8));
            ExecutorService pool = Executors.newFixedThreadPool(agents + submitters);
            AtomicBoolean done = new AtomicBoolean();
            AtomicInteger accepted = new AtomicInteger();
            AtomicInteger doubleReports = new AtomicInteger();
            List<CompletableFuture<?>> running = new ArrayList<>();
            for (TestAgent m : machines) {
                running.add(CompletableFuture.runAsync(
                        () -> {
                            while (!done.get()) {
                                List<WorkAssignment> work = m.work(200);
                                if (work.isEmpty()) continue;
                                m.beat();
                                AttemptReport[] reports = work.stream()
                                        .map(w -> TestAgent.exited(w, 0))
                                        .toArray(AttemptReport[]::new);
                                List<ReportResult> results = m.report(reports);
                                accepted.addAndGet((int) results.stream()
                                        .filter(ReportResult::accepted)
                                        .count());
                                // Half the time the "reply was lost" and the agent sends it all again.
                                if (work.get(0).jobId() % 2 == 0) {
                                    doubleReports.addAndGet((int) m.report(reports).stream()
                                            .filter(ReportResult::accepted)
                                            .count());
                                }
                            }
                        },
                        pool));
            }
            List<CompletableFuture<List<Long>>> submits = new ArrayList<>();
            for (int s = 0; s < submitters; s++) {
                submits.add(CompletableFuture.supplyAsync(
                        () -> {
                            List<Long> ids = new ArrayList<>();
                            for (int i = 0; i < perSubmitter / 20; i++) {
                                ids.addAll(alice.post(
                                                "/api/v1/jobs",
                                                JobSubmission.builder()
                                                        .name("load")
                                                        .command(List.of("/bin/true"))
                                                        .cpus(0.5)
                                                        .count(20)
                                                        .build())
                                        .as(SubmitReply.class)
                                        .ids());
                            }
                            return ids;
                        },
                        pool));
            }
            List<Long> ids = new ArrayList<>();
            for (var f : submits) ids.addAll(f.get(60, TimeUnit.SECONDS));
            int total = submitters * perSubmitter;
            assertThat(ids).hasSize(total).doesNotHaveDuplicates();

            await().atMost(Duration.ofSeconds(60)).until(() -> accepted.get() >= total);
            done.set(true);
            for (var f : running) f.get(30, TimeUnit.SECONDS);
            pool.shutdown();

            assertThat(accepted.get()).isEqualTo(total);
            assertThat(doubleReports.get())
                    .as("a re-sent report is never applied twice")
                    .isZero();
            List<JobView> jobs =
                    alice.get("/api/v1/jobs?limit=100000", JobList.class).jobs();
            assertThat(jobs).hasSize(total).allSatisfy(j -> {
                assertThat(j.state()).isEqualTo("completed");
                assertThat(j.progress().attemptCount()).isEqualTo(1);
            });
            EventList some = alice.get("/api/v1/jobs/" + ids.get(total / 2) + "/events", EventList.class);
            assertThat(some.events()).extracting(e -> e.type()).containsExactly("submitted", "assigned", "exited");
            assertThat(c.anonymous().get("/metrics").body()).contains("cyphon_jobs_completed_total " + total + ".0");
        }
    }

    @Test
    void closingWhileAgentsLongPollIsPrompt() throws Exception {
        TestCoordinator c = TestCoordinator.start(store, dir);
        TestAgent m1 = c.agent("m1", 1);
        CompletableFuture<Void> poll = CompletableFuture.runAsync(() -> {
            try {
                m1.work(60_000);
            } catch (RuntimeException ignored) {
                // the server went away: fine
            }
        });
        c.awaitLongPollsWaiting(1);
        long t0 = System.nanoTime();
        c.close();
        poll.get(30, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - t0))
                .as("close does not wait for the 60 s poll")
                .isLessThan(Duration.ofSeconds(30));
    }
}
