package org.cyphon.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cyphon.coordinator.TestCoordinator.show;
import static org.cyphon.coordinator.TestCoordinator.submit;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cyphon.core.protocol.JobBatch;
import org.cyphon.core.protocol.JobList;
import org.cyphon.core.protocol.JobSubmission;
import org.cyphon.core.protocol.JobView;
import org.cyphon.core.protocol.JobsChanged;
import org.cyphon.core.protocol.SubmitReply;
import org.cyphon.core.protocol.WorkAssignment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Big queues over real HTTP: a cut listing says how many jobs match; cancel, hold and release by
 * filter in one request; batches of submissions stored all or nothing.
 */
@OnEveryStore
class BigQueueTest {
    private final TestStore store;

    BigQueueTest(TestStore store) {
        this.store = store;
    }

    @TempDir
    Path dir;

    TestCoordinator c;
    ApiClient alice;
    ApiClient bob;

    @BeforeEach
    void start() throws Exception {
        c = TestCoordinator.start(store, dir);
        alice = c.user("alice");
        bob = c.user("bob");
    }

    @AfterEach
    void stop() {
        c.close();
    }

    private static JobSubmission job(String name, int count, String... command) {
        return JobSubmission.builder()
                .name(name)
                .command(List.of(command))
                .count(count)
                .build();
    }

    @Test
    void aListingCutAtItsLimitSaysHowManyMatchByState() {
        alice.post("/api/v1/jobs", job("many", 30, "/bin/true"), SubmitReply.class);
        long held = submit(alice, "/bin/true");
        alice.post("/api/v1/jobs/" + held + "/hold", null).as(JobView.class);

        JobList cut = alice.get("/api/v1/jobs?limit=10", JobList.class);
        assertThat(cut.jobs()).hasSize(10);
        assertThat(cut.matching()).isEqualTo(Map.of("queued", 30L, "held", 1L));

        JobList whole = alice.get("/api/v1/jobs?limit=100", JobList.class);
        assertThat(whole.jobs()).hasSize(31);
        assertThat(whole.matching()).isNull();
    }

    @Test
    void aListingOverSeveralStatesIsTheNewestJobsWhateverTheirStateOldestFirst() {
        List<Long> ids = alice.post("/api/v1/jobs", job("mixed", 8, "/bin/true"), SubmitReply.class)
                .ids();
        // Held jobs among the queued ones: the listing reads each state apart and merges them.
        for (long id : List.of(ids.get(3), ids.get(6))) alice.post("/api/v1/jobs/" + id + "/hold", null);
        List<Long> newest = ids.subList(3, 8);

        JobList cut = alice.get("/api/v1/jobs?state=queued,held&limit=5", JobList.class);
        assertThat(cut.jobs()).extracting(JobView::id).containsExactlyElementsOf(newest);
        assertThat(cut.matching()).isEqualTo(Map.of("queued", 6L, "held", 2L));
        assertThat(cut.matchingCap()).isNull(); // exact counts: far below the cap

        JobList all = alice.get("/api/v1/jobs?limit=5", JobList.class); // no state: every state, merged the same way
        assertThat(all.jobs()).extracting(JobView::id).containsExactlyElementsOf(newest);
        JobList held = alice.get("/api/v1/jobs?state=held&limit=1", JobList.class);
        assertThat(held.jobs()).extracting(JobView::id).containsExactly(ids.get(6));
    }

    @Test
    void theQueueListingIsTheNewestThousandUnfinishedJobsOldestFirst() {
        List<Long> ids = alice.post("/api/v1/jobs", job("queue", 2500, "/bin/true"), SubmitReply.class)
                .ids();
        // Among the newest: two held (listed), one cancelled (finished: not listed, the next older one is).
        long cancelled = ids.get(2400);
        List<Long> held = List.of(ids.get(1700), ids.get(2499));
        alice.post("/api/v1/jobs/" + cancelled + "/cancel", null).as(JobView.class);
        for (long id : held) alice.post("/api/v1/jobs/" + id + "/hold", null).as(JobView.class);
        List<Long> expected = new java.util.ArrayList<>(ids.subList(1499, 2500)); // 1,001 jobs...
        expected.remove(cancelled); // ...less the cancelled one

        // What `cyphon q` asks: the unfinished states, the coordinator's default limit.
        JobList q = alice.get("/api/v1/jobs?state=waiting,queued,running,suspended,held", JobList.class);

        assertThat(q.jobs()).hasSize(1000);
        assertThat(q.jobs()).extracting(JobView::id).containsExactlyElementsOf(expected);
        assertThat(q.jobs())
                .filteredOn(j -> j.state().equals("held"))
                .extracting(JobView::id)
                .containsExactlyElementsOf(held);
        assertThat(q.jobs())
                .filteredOn(j -> !held.contains(j.id()))
                .allSatisfy(j -> assertThat(j.state()).isEqualTo("queued"));
        assertThat(q.matching()).isEqualTo(Map.of("queued", 2497L, "held", 2L));

        JobList queuedOnly = alice.get("/api/v1/jobs?state=queued&limit=3", JobList.class);
        assertThat(queuedOnly.jobs())
                .extracting(JobView::id)
                .containsExactly(ids.get(2496), ids.get(2497), ids.get(2498));
    }

    @Test
    void cancelHoldAndReleaseByFilterChangeEveryMatchingJobOfTheCallerOnly() {
        TestAgent m1 = c.agent("m1", 1);
        List<Long> mine = alice.post("/api/v1/jobs", job("sweep", 20, "/bin/sleep", "100"), SubmitReply.class)
                .ids();
        long other = submit(alice, "/bin/true");
        long bobs = bob.post("/api/v1/jobs", job("sweep", 1, "/bin/true"), SubmitReply.class)
                .ids()
                .get(0);
        List<WorkAssignment> running = m1.work(5000);
        assertThat(running).hasSize(1);

        JobsChanged held = alice.post("/api/v1/jobs/hold?name=sweep", null).as(JobsChanged.class);
        assertThat(held).isEqualTo(new JobsChanged("hold", 20, 0));
        assertThat(show(alice, other).state()).isEqualTo("queued");
        assertThat(show(bob, bobs).state()).isEqualTo("queued");
        // The running one was held too: its machine is told to stop it.
        assertThat(m1.beat().stop())
                .singleElement()
                .satisfies(s ->
                        assertThat(s.fencingToken()).isEqualTo(running.get(0).fencingToken()));

        JobsChanged again = alice.post("/api/v1/jobs/hold?name=sweep", null).as(JobsChanged.class);
        assertThat(again).isEqualTo(new JobsChanged("hold", 0, 20));

        JobsChanged released =
                alice.post("/api/v1/jobs/release?state=held", null).as(JobsChanged.class);
        assertThat(released.changed()).isEqualTo(20);

        JobsChanged cancelled = alice.post("/api/v1/jobs/cancel?all=true", null).as(JobsChanged.class);
        assertThat(cancelled.changed()).isEqualTo(21);
        assertThat(mine).allSatisfy(id -> assertThat(show(alice, id).state()).isEqualTo("cancelled"));
        assertThat(show(bob, bobs).state()).isEqualTo("queued");
    }

    @Test
    void aFilterThatWouldTouchEverythingMustSaySoAndOthersJobsAreRefused() {
        submit(alice, "/bin/true");
        ApiClient.Reply bare = alice.post("/api/v1/jobs/cancel", null);
        assertThat(bare.status()).isEqualTo(400);
        assertThat(bare.error()).contains("all=true");

        ApiClient.Reply badState = alice.post("/api/v1/jobs/cancel?state=sleeping", null);
        assertThat(badState.status()).isEqualTo(400);
        assertThat(badState.error()).contains("sleeping");

        ApiClient.Reply others = bob.post("/api/v1/jobs/cancel?owner=alice&all=true", null);
        assertThat(others.status()).isEqualTo(403);
        assertThat(alice.get("/api/v1/jobs", JobList.class).jobs())
                .singleElement()
                .satisfies(j -> assertThat(j.state()).isEqualTo("queued"));
    }

    @Test
    void aBatchNumbersItsJobsOnAcrossSubmissionsAndStoresNothingWhenOneIsBad() {
        JobSubmission a = job("a", 2, "/bin/echo", "{cluster}.{index}");
        JobSubmission b = job("b", 1, "/bin/echo", "{cluster}.{index}");
        List<Long> ids = alice.post("/api/v1/jobs/batch", new JobBatch(List.of(a, b)), SubmitReply.class)
                .ids();
        assertThat(ids).hasSize(3);
        long cluster = ids.get(0);
        for (int i = 0; i < 3; i++) {
            JobView j = show(alice, ids.get(i));
            assertThat(j.submission().index()).isEqualTo(i);
            assertThat(j.submission().command()).containsExactly("/bin/echo", cluster + "." + i);
        }

        JobSubmission bad = JobSubmission.builder()
                .name("c")
                .command(List.of("/bin/true"))
                .cpus(-1.0)
                .build();
        ApiClient.Reply refused = alice.post("/api/v1/jobs/batch", new JobBatch(List.of(a, bad)));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("field").asText()).isEqualTo("jobs[1].cpus");
        assertThat(alice.get("/api/v1/jobs", JobList.class).jobs()).hasSize(3);
    }
}
