package org.cyphon.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cyphon.coordinator.TestCoordinator.show;
import static org.cyphon.coordinator.TestCoordinator.submit;

import java.nio.file.Path;
import java.util.List;
import org.cyphon.core.job.AttemptOutcome;
import org.cyphon.core.protocol.EventList;
import org.cyphon.core.protocol.EventView;
import org.cyphon.core.protocol.HeartbeatReply;
import org.cyphon.core.protocol.JobView;
import org.cyphon.core.protocol.WorkAssignment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hold, release and cancel through the API: legal changes apply and are recorded, illegal ones are 409 and change nothing. */
@OnEveryStore
class JobStateApiTest {
    private final TestStore store;

    JobStateApiTest(TestStore store) {
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

    @Test
    void holdReleaseCancelAQueuedJob() {
        long id = submit(alice, "/bin/true");
        assertThat(show(alice, id).state()).isEqualTo("queued");

        assertThat(alice.post("/api/v1/jobs/" + id + "/hold", null)
                        .as(JobView.class)
                        .state())
                .isEqualTo("held");
        assertThat(alice.post("/api/v1/jobs/" + id + "/release", null)
                        .as(JobView.class)
                        .state())
                .isEqualTo("queued");
        JobView cancelled = alice.post("/api/v1/jobs/" + id + "/cancel", null).as(JobView.class);
        assertThat(cancelled.state()).isEqualTo("cancelled");
        assertThat(cancelled.progress().finishedAt()).isNotNull();
        assertThat(cancelled.progress().reason()).contains("alice");

        List<String> types = alice.get("/api/v1/jobs/" + id + "/events", EventList.class).events().stream()
                .map(EventView::type)
                .toList();
        assertThat(types).containsExactly("submitted", "held", "released", "cancelled");
    }

    @Test
    void illegalChangesAre409AndChangeNothing() {
        long id = submit(alice, "/bin/true");
        ApiClient.Reply releaseQueued = alice.post("/api/v1/jobs/" + id + "/release", null);
        assertThat(releaseQueued.status()).isEqualTo(409);
        assertThat(releaseQueued.error()).contains("queued").contains("released");

        alice.post("/api/v1/jobs/" + id + "/cancel", null).as(JobView.class);
        for (String action : List.of("cancel", "hold", "release")) {
            ApiClient.Reply r = alice.post("/api/v1/jobs/" + id + "/" + action, null);
            assertThat(r.status()).as(action).isEqualTo(409);
            assertThat(r.json().has("error")).isTrue();
        }
        assertThat(show(alice, id).state()).isEqualTo("cancelled");
        assertThat(alice.get("/api/v1/jobs/" + id + "/events", EventList.class).events())
                .hasSize(2);
    }

    @Test
    void unknownJobIs404() {
        assertThat(alice.post("/api/v1/jobs/999/cancel", null).status()).isEqualTo(404);
        assertThat(alice.get("/api/v1/jobs/999").status()).isEqualTo(404);
        assertThat(alice.get("/api/v1/jobs/999/events").status()).isEqualTo(404);
    }

    @Test
    void holdingARunningJobStopsItsAttemptAtTheNextHeartbeat() {
        TestAgent m1 = c.agent("m1", 4);
        long id = submit(alice, "/bin/sleep", "100");
        List<WorkAssignment> work = m1.work(5000);
        assertThat(work).extracting(WorkAssignment::jobId).containsExactly(id);
        assertThat(show(alice, id).state()).isEqualTo("running");

        assertThat(alice.post("/api/v1/jobs/" + id + "/hold", null)
                        .as(JobView.class)
                        .state())
                .isEqualTo("held");
        HeartbeatReply beat = m1.beat();
        assertThat(beat.stop()).singleElement().satisfies(s -> {
            assertThat(s.fencingToken()).isEqualTo(work.get(0).fencingToken());
            assertThat(s.reason()).isEqualTo("held");
        });

        // The agent kills it and says so: recorded, accepted, the job stays held.
        assertThat(m1.report(TestAgent.outcome(work.get(0), AttemptOutcome.KILLED)))
                .singleElement()
                .satisfies(r -> assertThat(r.accepted()).isTrue());
        JobView held = show(alice, id);
        assertThat(held.state()).isEqualTo("held");
        assertThat(held.attempts())
                .singleElement()
                .satisfies(a -> assertThat(a.outcome()).isEqualTo("killed"));

        // Released, it runs again as attempt 2 with a new, larger fencing token.
        alice.post("/api/v1/jobs/" + id + "/release", null).as(JobView.class);
        List<WorkAssignment> again = m1.work(5000);
        assertThat(again).singleElement().satisfies(w -> {
            assertThat(w.attempt()).isEqualTo(2);
            assertThat(w.fencingToken()).isGreaterThan(work.get(0).fencingToken());
        });
    }

    @Test
    void cancellingARunningJobStopsItsAttempt() {
        TestAgent m1 = c.agent("m1", 4);
        long id = submit(alice, "/bin/sleep", "100");
        WorkAssignment w = m1.work(5000).get(0);
        alice.post("/api/v1/jobs/" + id + "/cancel", null).as(JobView.class);
        assertThat(m1.beat().stop())
                .singleElement()
                .satisfies(s -> assertThat(s.reason()).isEqualTo("cancelled"));
        // An exit reported after the cancel does not complete the job.
        assertThat(m1.report(TestAgent.exited(w, 0)))
                .singleElement()
                .satisfies(r -> assertThat(r.accepted()).isFalse());
        assertThat(show(alice, id).state()).isEqualTo("cancelled");
    }
}
