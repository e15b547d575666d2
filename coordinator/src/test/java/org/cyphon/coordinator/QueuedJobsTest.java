package org.cyphon.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cyphon.coordinator.store.QueuedJobs;
import org.cyphon.core.protocol.JobSubmission;
import org.cyphon.core.protocol.SubmitReply;
import org.cyphon.core.schedule.PendingJob;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler's reload of its queue from the store ({@link QueuedJobs}), on each database: every
 * queued job once, with what placement needs exactly as submitted, read a few thousand rows at a
 * time, and the values a backlog repeats held once.
 */
@OnEveryStore
class QueuedJobsTest {
    @TempDir
    Path dir;

    private final TestStore store;

    QueuedJobsTest(TestStore store) {
        this.store = store;
    }

    @Test
    void everyQueuedJobComesBackOnceAsSubmittedAndRepeatedValuesAreShared() throws Exception {
        try (TestCoordinator c = TestCoordinator.start(store, dir)) {
            // More rows than one fetch, so the read crosses fetch boundaries; nothing enrolled, so all stay queued.
            int many = 12_000;
            List<Long> array = c.user("alice")
                    .post(
                            "/api/v1/jobs",
                            new JobSubmission(
                                    "sweep",
                                    List.of("true"),
                                    2.0,
                                    "1G",
                                    "3h",
                                    5,
                                    null,
                                    many,
                                    null,
                                    null,
                                    null,
                                    Map.of("room", "lab-2"),
                                    null,
                                    null,
                                    null,
                                    "2G",
                                    "none",
                                    1),
                            SubmitReply.class)
                    .ids();
            long plain = TestCoordinator.submit(c.user("bob"), "true");
            long done = TestCoordinator.submit(c.user("bob"), "true");
            assertThat(c.admin()
                            .post("/api/v1/jobs/" + done + "/cancel", Map.of())
                            .status())
                    .isEqualTo(200);

            List<PendingJob> queued;
            try (Connection db = c.store().connect()) {
                db.setAutoCommit(false); // as the coordinator's connections: PostgreSQL streams only so
                queued = QueuedJobs.all(db);
                db.commit();
            }

            assertThat(queued).hasSize(many + 1);
            Set<Long> ids = new HashSet<>();
            for (PendingJob j : queued)
                assertThat(ids.add(j.id())).as("job %d once", j.id()).isTrue();
            assertThat(ids).containsAll(array).contains(plain).doesNotContain(done);

            PendingJob first = queued.stream()
                    .filter(j -> j.id() == array.get(0))
                    .findFirst()
                    .orElseThrow();
            assertThat(first.owner()).isEqualTo("alice");
            assertThat(first.name()).isEqualTo("sweep");
            assertThat(first.cpuMillis()).isEqualTo(2000);
            assertThat(first.memoryBytes()).isEqualTo(1L << 30);
            assertThat(first.priority()).isEqualTo(5);
            assertThat(first.requires()).isEqualTo(Map.of("room", "lab-2"));
            assertThat(first.expectedRuntime()).isEqualTo(Duration.ofHours(3));
            assertThat(first.progress()).isEqualTo(Duration.ZERO);
            assertThat(first.diskBytes()).isEqualTo(2L << 30);
            assertThat(first.ownNetwork()).isTrue();
            assertThat(first.gpus()).isEqualTo(1);

            PendingJob other =
                    queued.stream().filter(j -> j.id() == plain).findFirst().orElseThrow();
            assertThat(other.owner()).isEqualTo("bob");
            assertThat(other.requires()).isEmpty();
            assertThat(other.expectedRuntime()).isNull();
            assertThat(other.ownNetwork()).isFalse();

            // One copy of what 12,000 jobs repeat: not one owner, name and requirement map per job.
            List<PendingJob> sweep =
                    queued.stream().filter(j -> j.owner().equals("alice")).toList();
            for (PendingJob j : sweep) {
                assertThat(j.owner()).isSameAs(first.owner());
                assertThat(j.name()).isSameAs(first.name());
                assertThat(j.requires()).isSameAs(first.requires());
            }
        }
    }
}
