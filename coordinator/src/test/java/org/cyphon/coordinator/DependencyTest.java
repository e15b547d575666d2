package org.cyphon.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cyphon.coordinator.TestCoordinator.show;
import static org.cyphon.coordinator.TestCoordinator.submit;

import java.nio.file.Path;
import java.util.List;
import org.cyphon.core.protocol.EventList;
import org.cyphon.core.protocol.EventView;
import org.cyphon.core.protocol.JobBatch;
import org.cyphon.core.protocol.JobList;
import org.cyphon.core.protocol.JobSubmission;
import org.cyphon.core.protocol.JobView;
import org.cyphon.core.protocol.SubmitReply;
import org.cyphon.core.protocol.WorkAssignment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --after} / {@code --after-any} over real HTTP: waiting jobs are never offered to a
 * machine; they join the queue when what they run after ends as required, and are held with the
 * reason when it does not.
 */
@OnEveryStore
class DependencyTest {
    private final TestStore store;

    DependencyTest(TestStore store) {
        this.store = store;
    }

    @TempDir
    Path dir;

    TestCoordinator c;
    ApiClient alice;

    @BeforeEach
    void start() throws Exception {
        c = TestCoordinator.start(store, dir);
        alice = c.user("alice");
    }

    @AfterEach
    void stop() {
        c.close();
    }

    private long submitAfter(List<Long> ok, List<Long> any, String... command) {
        JobSubmission s = JobSubmission.of(List.of(command)).withAfter(new JobSubmission.After(ok, any));
        return alice.post("/api/v1/jobs", s, SubmitReply.class).ids().get(0);
    }

    @Test
    void aJobRunsOnlyAfterItsDependencyCompletesWithExitZero() {
        TestAgent m1 = c.agent("m1", 4);
        long first = submit(alice, "/bin/true");
        long second = submitAfter(List.of(first), null, "/bin/echo", "after");

        JobView waiting = show(alice, second);
        assertThat(waiting.state()).isEqualTo("waiting");
        assertThat(waiting.progress().waitingOn()).containsExactly(first);
        JobList listed = alice.get("/api/v1/jobs", JobList.class);
        assertThat(listed.jobs())
                .filteredOn(j -> j.id() == second)
                .singleElement()
                .satisfies(j -> assertThat(j.progress().waitingOn()).containsExactly(first));

        // Only the first job is offered, though the machine has room for both.
        List<WorkAssignment> work = m1.work(5000);
        assertThat(work).extracting(WorkAssignment::jobId).containsExactly(first);
        m1.report(TestAgent.exited(work.get(0), 0));

        // Queued, and the scheduler may already have placed it.
        assertThat(show(alice, second).state()).isIn("queued", "running");
        assertThat(m1.work(5000)).extracting(WorkAssignment::jobId).containsExactly(second);
        assertThat(alice.get("/api/v1/jobs/" + second + "/events", EventList.class).events().stream()
                        .map(EventView::type))
                .containsExactly("submitted", "waiting", "queued", "assigned");
    }

    @Test
    void aFailedDependencyHoldsTheJobWithTheReasonAndAfterAnyStillRuns() {
        TestAgent m1 = c.agent("m1", 4);
        long first = submit(alice, "/bin/false");
        long strict = submitAfter(List.of(first), null, "/bin/echo", "ok-only");
        long lenient = submitAfter(null, List.of(first), "/bin/echo", "any");

        List<WorkAssignment> work = m1.work(5000);
        assertThat(work).extracting(WorkAssignment::jobId).containsExactly(first);
        m1.report(TestAgent.exited(work.get(0), 3));

        JobView held = show(alice, strict);
        assertThat(held.state()).isEqualTo("held");
        assertThat(held.progress().reason())
                .contains("job " + first + " exited with code 3")
                .contains("exit code 0");
        assertThat(show(alice, lenient).state()).isIn("queued", "running");

        // Submitted after the failure: held at once. Released: the person runs it anyway.
        long late = submitAfter(List.of(first), null, "/bin/echo", "late");
        assertThat(show(alice, late).state()).isEqualTo("held");
        assertThat(alice.post("/api/v1/jobs/" + late + "/release", null)
                        .as(JobView.class)
                        .state())
                .isIn("queued", "running");
    }

    @Test
    void releasingAHeldJobWhoseDependencyIsStillRunningMakesItWaitAgain() {
        long first = submit(alice, "/bin/sleep", "100");
        long second = submitAfter(List.of(first), null, "/bin/true");
        assertThat(alice.post("/api/v1/jobs/" + second + "/hold", null)
                        .as(JobView.class)
                        .state())
                .isEqualTo("held");
        assertThat(alice.post("/api/v1/jobs/" + second + "/release", null)
                        .as(JobView.class)
                        .state())
                .isEqualTo("waiting");
        // Cancelling the dependency holds it: --after needs a completion.
        alice.post("/api/v1/jobs/" + first + "/cancel", null).as(JobView.class);
        JobView held = show(alice, second);
        assertThat(held.state()).isEqualTo("held");
        assertThat(held.progress().reason()).contains("job " + first + " was cancelled");
    }

    @Test
    void unknownOrBadDependenciesAre400AndStoreNothing() {
        ApiClient.Reply unknown = alice.post(
                "/api/v1/jobs",
                JobSubmission.of(List.of("/bin/true")).withAfter(new JobSubmission.After(List.of(999L), null)));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.error()).contains("no job 999");
        assertThat(unknown.json().get("field").asText()).isEqualTo("after.ok");

        long first = submit(alice, "/bin/true");
        ApiClient.Reply twice = alice.post(
                "/api/v1/jobs",
                JobSubmission.of(List.of("/bin/true"))
                        .withAfter(new JobSubmission.After(List.of(first), List.of(first))));
        assertThat(twice.status()).isEqualTo(400);
        assertThat(twice.error()).contains("listed twice");
        assertThat(alice.get("/api/v1/jobs", JobList.class).jobs()).hasSize(1);
    }

    @Test
    void waitingJobsNeverEnterTheSchedulersQueue() {
        long first = submit(alice, "/bin/sleep", "100");
        JobSubmission many = JobSubmission.builder()
                .command(List.of("/bin/true"))
                .count(5000)
                .build()
                .withAfter(new JobSubmission.After(List.of(first), null));
        assertThat(alice.post("/api/v1/jobs", many, SubmitReply.class).ids()).hasSize(5000);
        // Only the first job is in the queue placement works through; the 5,000 are in the store only.
        queueLengthBecomes(1);

        alice.post("/api/v1/jobs/" + first + "/cancel", null).as(JobView.class);
        JobList held = alice.get("/api/v1/jobs?state=held&limit=100000", JobList.class);
        assertThat(held.jobs()).hasSize(5000);
        queueLengthBecomes(0);
    }

    private void queueLengthBecomes(int n) {
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(10))
                .untilAsserted(() -> {
                    c.periodicWork().schedule();
                    assertThat(c.anonymous().get("/metrics").body()).contains("cyphon_queue_length " + n + ".0");
                });
    }

    @Test
    void aBatchWithEdgesRunsItsJobsInDependencyOrderAndRefusesCycles() {
        TestAgent m1 = c.agent("m1", 8);
        JobSubmission prep = JobSubmission.builder()
                .name("prep")
                .command(List.of("/bin/true"))
                .count(1)
                .build();
        JobSubmission sims = JobSubmission.builder()
                .name("sim")
                .command(List.of("/bin/true"))
                .count(2)
                .build();
        JobSubmission merge = JobSubmission.builder()
                .name("merge")
                .command(List.of("/bin/true"))
                .count(1)
                .build();
        JobBatch cyclic = new JobBatch(
                List.of(prep, sims, merge),
                List.of(
                        new JobBatch.Edge(1, 0, false),
                        new JobBatch.Edge(2, 1, false),
                        new JobBatch.Edge(0, 2, false)));
        ApiClient.Reply refused = alice.post("/api/v1/jobs/batch", cyclic);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.error()).contains("cycle");
        assertThat(alice.get("/api/v1/jobs", JobList.class).jobs()).isEmpty();

        JobBatch dag = new JobBatch(
                List.of(prep, sims, merge), List.of(new JobBatch.Edge(1, 0, false), new JobBatch.Edge(2, 1, false)));
        List<Long> ids =
                alice.post("/api/v1/jobs/batch", dag, SubmitReply.class).ids();
        assertThat(show(alice, ids.get(3)).progress().waitingOn()).containsExactly(ids.get(1), ids.get(2));

        List<WorkAssignment> first = m1.work(5000);
        assertThat(first).extracting(WorkAssignment::jobId).containsExactly(ids.get(0));
        m1.report(TestAgent.exited(first.get(0), 0));
        List<WorkAssignment> second = m1.work(5000);
        assertThat(second).extracting(WorkAssignment::jobId).containsExactlyInAnyOrder(ids.get(1), ids.get(2));
        m1.report(TestAgent.exited(second.get(0), 0));
        assertThat(show(alice, ids.get(3)).state()).isEqualTo("waiting");
        m1.report(TestAgent.exited(second.get(1), 0));
        assertThat(m1.work(5000)).extracting(WorkAssignment::jobId).containsExactly(ids.get(3));
    }
}
