package org.cyphon.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.cyphon.coordinator.store.PlannerStatistics;
import org.cyphon.core.protocol.JobList;
import org.cyphon.core.protocol.JobSubmission;
import org.cyphon.core.protocol.JobsChanged;
import org.cyphon.core.protocol.SubmitReply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL only (H2 plans these queries well without statistics, and the coordinator keeps
 * none for it): after a bulk submit, or a hold of a whole queue, the coordinator refreshes the
 * planner's statistics of the jobs table itself ({@link PlannerStatistics}), so the listing
 * {@code cyphon q} sends is planned for the jobs that are there. Autovacuum is turned off for the
 * table, so only the coordinator can have refreshed them.
 */
class PlannerStatisticsTest {
    @TempDir
    Path dir;

    private TestCoordinator c;
    private ApiClient admin;

    @BeforeEach
    void start() throws Exception {
        c = TestCoordinator.start(TestStore.POSTGRESQL, dir);
        admin = c.admin();
        try (Connection db = c.store().connect();
                Statement st = db.createStatement()) {
            st.execute("ALTER TABLE jobs SET (autovacuum_enabled = false)");
        }
    }

    @AfterEach
    void stop() {
        c.close();
    }

    @Test
    void aBulkSubmitIsKnownToThePlannerSoTheListingReadsOnlyTheNewestJobs() throws Exception {
        assertThat(stateStatistics()).isNull(); // a new table: nothing known

        submit(PlannerStatistics.MIN_CHANGES);

        awaitStateStatistics("{QUEUED}");
        // Knowing them, the planner has the listing's query (JobTable.list) read in an index's order
        // and stop at the limit. (Without statistics a table this small gets that plan too; a
        // million jobs get a bitmap scan of them all and a sort: the figures are in bench/README.md.)
        String plan =
                plan("SELECT * FROM jobs WHERE state = 'QUEUED' ORDER BY state, id DESC FETCH FIRST 1000 ROWS ONLY");
        assertThat(plan).contains("Index Scan").doesNotContain("Sort").doesNotContain("Bitmap");
        JobList q = admin.get("/api/v1/jobs?state=waiting,queued,running,suspended,held", JobList.class);
        assertThat(q.jobs()).hasSize(1000);
        assertThat(q.matching()).isEqualTo(Map.of("queued", (long) PlannerStatistics.MIN_CHANGES));
    }

    @Test
    void holdingAWholeQueueIsKnownToThePlanner() throws Exception {
        submit(PlannerStatistics.MIN_CHANGES);
        awaitStateStatistics("{QUEUED}");

        JobsChanged held = admin.post("/api/v1/jobs/hold?all=true", null).as(JobsChanged.class);
        assertThat(held.changed()).isEqualTo(PlannerStatistics.MIN_CHANGES);

        awaitStateStatistics("{HELD}");
    }

    /** {@code n} jobs, in as few submissions as the API allows. */
    private void submit(long n) {
        for (long left = n; left > 0; ) {
            int count = (int) Math.min(left, org.cyphon.core.job.JobSpecs.MAX_COUNT);
            JobSubmission s = JobSubmission.builder()
                    .name("bulk")
                    .command(java.util.List.of("/bin/true"))
                    .count(count)
                    .build();
            assertThat(admin.post("/api/v1/jobs", s, SubmitReply.class).ids()).hasSize(count);
            left -= count;
        }
    }

    private void awaitStateStatistics(String mostCommon) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> mostCommon.equals(stateStatistics()));
    }

    /** The states PostgreSQL's statistics say are the most common, e.g. {@code {QUEUED}}; null: none known. */
    private String stateStatistics() throws SQLException {
        try (Connection db = c.store().connect();
                Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("SELECT most_common_vals::text FROM pg_stats"
                        + " WHERE schemaname = current_schema() AND tablename = 'jobs' AND attname = 'state'")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private String plan(String sql) throws SQLException {
        StringBuilder out = new StringBuilder();
        try (Connection db = c.store().connect();
                Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("EXPLAIN " + sql)) {
            while (rs.next()) out.append(rs.getString(1)).append('\n');
        }
        return out.toString();
    }
}
