package org.cyphon.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cyphon.coordinator.TestCoordinator.show;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cyphon.core.protocol.EventList;
import org.cyphon.core.protocol.JobList;
import org.cyphon.core.protocol.JobSubmission;
import org.cyphon.core.protocol.JobView;
import org.cyphon.core.protocol.SubmitReply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Submitting (one, or count=N in one transaction) and listing with filters. */
@OnEveryStore
class SubmitAndListTest {
    private final TestStore store;

    SubmitAndListTest(TestStore store) {
        this.store = store;
    }

    @TempDir
    Path dir;

    TestCoordinator c;
    ApiClient alice;
    ApiClient bob;

    @BeforeEach
    void start() throws Exception {
        c = TestCoordinator.start(store, dir, cfg -> cfg.withMaxAttempts(3));
        alice = c.user("alice");
        bob = c.user("bob");
    }

    @AfterEach
    void stop() {
        c.close();
    }

    @Test
    void aSubmissionIsStoredAsGivenWithDefaults() {
        JobSubmission s = JobSubmission.builder()
                .name("render")
                .command(List.of("/usr/bin/blender", "-f", "{index}"))
                .cpus(2.5)
                .memory("3G")
                .runtime("90m")
                .priority(7)
                .env(Map.of("SCENE", "a.blend"))
                .build();
        SubmitReply reply = alice.post("/api/v1/jobs", s).as(SubmitReply.class);
        assertThat(reply.ids()).hasSize(1);
        JobView j = show(alice, reply.ids().get(0));
        assertThat(j.submission().name()).isEqualTo("render");
        assertThat(j.submission().owner()).isEqualTo("alice");
        assertThat(j.state()).isEqualTo("queued");
        assertThat(j.submission().command())
                .as("{index} is 0 for a single job")
                .containsExactly("/usr/bin/blender", "-f", "0");
        assertThat(j.needs().cpus()).isEqualTo(2.5);
        assertThat(j.needs().memoryBytes()).isEqualTo(3L << 30);
        assertThat(j.needs().runtimeSeconds()).isEqualTo(5400);
        assertThat(j.submission().priority()).isEqualTo(7);
        assertThat(j.submission().env()).containsEntry("SCENE", "a.blend");
        assertThat(j.progress().maxAttempts()).as("config default").isEqualTo(3);
        assertThat(j.progress().attemptCount()).isZero();
        assertThat(j.submission().submittedAt()).isEqualTo(c.clock.instant());
        assertThat(j.attempts()).isEmpty();
        assertThat(alice.get("/api/v1/jobs/" + j.id() + "/events", EventList.class)
                        .events())
                .singleElement()
                .satisfies(e -> assertThat(e.type()).isEqualTo("submitted"));
    }

    @Test
    void aJobOnTheWireIsTheFlatObjectTheApiDocumentsWhateverItsJavaGroups() throws Exception {
        long id = TestCoordinator.submit(alice, "/bin/a");
        // The keys of docs/api.md's JobView, in the order the API has always written them.
        List<String> documented = List.of(
                "id",
                "name",
                "owner",
                "state",
                "command",
                "cpus",
                "memoryBytes",
                "runtimeSeconds",
                "priority",
                "index",
                "env",
                "attemptCount",
                "maxAttempts",
                "machine",
                "submittedAt",
                "startedAt",
                "finishedAt",
                "runSeconds",
                "exitCode",
                "cpuSeconds",
                "reason",
                "checkpointEverySeconds",
                "checkpointExitCode",
                "lostCpuSeconds",
                "checkpointBytes",
                "checkpointAt",
                "attempts",
                "requires",
                "expectedRuntimeSeconds",
                // docs/api.md, "Fields added for job walls": every job has a network, host by default.
                "diskBytes",
                "network");
        ApiClient.Reply raw = alice.get("/api/v1/jobs/" + id);
        List<String> keys = new java.util.ArrayList<>();
        raw.json().fieldNames().forEachRemaining(keys::add);

        assertThat(keys)
                .containsSubsequence("id", "name", "owner", "state", "command", "cpus", "memoryBytes", "priority")
                .containsSubsequence("index", "attemptCount", "maxAttempts", "submittedAt", "checkpointExitCode")
                .isSubsetOf(documented)
                .isSortedAccordingTo(java.util.Comparator.comparingInt(documented::indexOf));
        JobView read = raw.as(JobView.class);
        assertThat(ApiClient.JSON.readTree(ApiClient.JSON.writeValueAsBytes(read)))
                .as("read and written again, the same object")
                .isEqualTo(raw.json());
        assertThat(read.submission().command()).containsExactly("/bin/a");
    }

    @Test
    void countMakesNJobsAtOnceWithIncreasingIds() {
        JobSubmission s = JobSubmission.builder()
                .name("sweep")
                .command(List.of("/bin/run", "--part={index}"))
                .count(250)
                .maxAttempts(4)
                .build();
        List<Long> ids = alice.post("/api/v1/jobs", s).as(SubmitReply.class).ids();
        assertThat(ids).hasSize(250).isSorted().doesNotHaveDuplicates();
        assertThat(ids.get(249) - ids.get(0)).isEqualTo(249);
        JobView last = show(alice, ids.get(249));
        assertThat(last.submission().index()).isEqualTo(249);
        assertThat(last.submission().command()).containsExactly("/bin/run", "--part=249");
        assertThat(last.progress().maxAttempts()).isEqualTo(4);
        assertThat(alice.get("/api/v1/jobs?name=sweep&limit=100000", JobList.class)
                        .jobs())
                .hasSize(250);
    }

    @Test
    void aBadCountStoresNone() {
        ApiClient.Reply r = alice.post(
                "/api/v1/jobs",
                JobSubmission.builder()
                        .command(List.of("/bin/true"))
                        .memory("nonsense")
                        .count(500)
                        .build());
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.field()).isEqualTo("memory");
        assertThat(alice.get("/api/v1/jobs", JobList.class).jobs()).isEmpty();
    }

    @Test
    void listFiltersAndReturnsTheNewestLast() {
        long a1 = TestCoordinator.submit(alice, "/bin/a");
        long b1 = TestCoordinator.submit(bob, "/bin/b");
        long a2 = TestCoordinator.submit(alice, "/bin/a");
        alice.post("/api/v1/jobs/" + a2 + "/hold", null).as(JobView.class);

        assertThat(ids(alice.get("/api/v1/jobs", JobList.class))).containsExactly(a1, b1, a2);
        assertThat(ids(alice.get("/api/v1/jobs?owner=alice", JobList.class))).containsExactly(a1, a2);
        assertThat(ids(alice.get("/api/v1/jobs?state=held", JobList.class))).containsExactly(a2);
        assertThat(ids(alice.get("/api/v1/jobs?state=queued,held&owner=bob", JobList.class)))
                .containsExactly(b1);
        assertThat(ids(alice.get("/api/v1/jobs?name=b", JobList.class))).containsExactly(b1);
        assertThat(ids(alice.get("/api/v1/jobs?limit=2", JobList.class))).containsExactly(b1, a2);
        assertThat(alice.get("/api/v1/jobs", JobList.class).jobs().get(0).attempts())
                .isNull();
    }

    private static List<Long> ids(JobList l) {
        return l.jobs().stream().map(JobView::id).toList();
    }
}
