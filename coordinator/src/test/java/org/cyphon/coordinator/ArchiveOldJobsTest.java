package org.cyphon.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.cyphon.coordinator.TestCoordinator.show;
import static org.cyphon.coordinator.TestCoordinator.submit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.cyphon.core.protocol.EventList;
import org.cyphon.core.protocol.EventView;
import org.cyphon.core.protocol.JobList;
import org.cyphon.core.protocol.JobView;
import org.cyphon.core.protocol.WorkAssignment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jobs.history_retention}: a job finished longer ago than that moves, with its attempts and
 * events, to the archive tables (V28); {@code cyphon job ID}, its events and its logs still read it,
 * and listings no longer carry it. Unfinished jobs and recent ones stay where they are.
 */
@OnEveryStore
class ArchiveOldJobsTest {
    private final TestStore store;

    ArchiveOldJobsTest(TestStore store) {
        this.store = store;
    }

    @TempDir
    Path dir;

    TestCoordinator c;

    @AfterEach
    void stop() {
        if (c != null) c.close();
    }

    @Test
    void aJobFinishedLongerAgoThanTheRetentionMovesToTheArchiveAndStaysReadable() throws Exception {
        c = TestCoordinator.start(store, dir, cfg -> cfg.withJobHistoryRetention(Duration.ofHours(2)));
        ApiClient alice = c.user("alice");
        TestAgent m1 = c.agent("m1", 1);
        long old = submit(alice, "/bin/echo", "old");
        List<WorkAssignment> work = m1.work(5000);
        assertThat(work).extracting(WorkAssignment::jobId).containsExactly(old);
        m1.report(TestAgent.exited(work.get(0), 0));
        JobView before = show(alice, old);
        List<String> eventsBefore = eventTypes(alice, old);

        c.tick(Duration.ofMinutes(90));
        m1.beat(); // back online after the 90 silent minutes
        long recent = submit(alice, "/bin/echo", "recent");
        work = m1.work(5000);
        m1.report(TestAgent.exited(work.get(0), 0));
        long waiting = submit(alice, "/bin/echo", "still queued"); // m1 has its 1 cpu free: give it none
        assertThat(c.periodicWork().archiveOldJobs()).isZero(); // 90 minutes < 2 hours

        c.tick(Duration.ofMinutes(40));
        assertThat(c.periodicWork().archiveOldJobs()).isZero(); // the tick's runAll moved it already
        assertThat(count("jobs_archive")).isEqualTo(1);
        assertThat(count("attempts_archive")).isEqualTo(1);

        // Readable as before: the job, its attempt, its events.
        JobView after = show(alice, old);
        assertThat(after.state()).isEqualTo("completed");
        assertThat(after).usingRecursiveComparison().isEqualTo(before);
        assertThat(eventTypes(alice, old)).isEqualTo(eventsBefore).contains("assigned", "exited");
        assertThat(alice.get("/api/v1/jobs/" + old + "/logs").status()).isEqualTo(200);

        // Listings show the jobs table only.
        List<Long> listed = alice.get("/api/v1/jobs?state=completed,queued,running", JobList.class).jobs().stream()
                .map(JobView::id)
                .toList();
        assertThat(listed).contains(recent).doesNotContain(old);
        assertThat(show(alice, waiting).state()).isIn("queued", "running");
        assertThatThrownBy(() -> alice.get("/api/v1/jobs/999999", JobView.class))
                .hasMessageContaining("404");
    }

    @Test
    void theRetentionIsThirtyDaysUnlessTheFileSaysOtherwiseAndABadOneNamesItsKey() throws Exception {
        assertThat(CoordinatorConfig.defaults(dir).jobHistoryRetention()).isEqualTo(Duration.ofDays(30));
        Path file = Files.writeString(dir.resolve("coordinator.toml"), "[jobs]\nhistory_retention = \"400d\"\n");
        assertThat(CoordinatorConfig.load(file).jobHistoryRetention()).isEqualTo(Duration.ofDays(400));
        Path tooShort = Files.writeString(dir.resolve("short.toml"), "[jobs]\nhistory_retention = \"5m\"\n");
        assertThatThrownBy(() -> CoordinatorConfig.load(tooShort))
                .hasMessageContaining("jobs.history_retention")
                .hasMessageContaining("1h");
    }

    private static List<String> eventTypes(ApiClient as, long id) {
        return as.get("/api/v1/jobs/" + id + "/events", EventList.class).events().stream()
                .map(EventView::type)
                .toList();
    }

    private long count(String table) throws Exception {
        try (Connection conn = c.store().connect();
                Statement st = conn.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
