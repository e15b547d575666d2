package org.cyphon.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.cyphon.coordinator.TestCoordinator.show;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.cyphon.coordinator.auth.Tokens;
import org.cyphon.core.job.AttemptOutcome;
import org.cyphon.core.job.AttemptRunState;
import org.cyphon.core.protocol.AttemptReport;
import org.cyphon.core.protocol.AttemptStatus;
import org.cyphon.core.protocol.AttemptView;
import org.cyphon.core.protocol.EventList;
import org.cyphon.core.protocol.EventView;
import org.cyphon.core.protocol.Heartbeat;
import org.cyphon.core.protocol.HeartbeatReply;
import org.cyphon.core.protocol.JobView;
import org.cyphon.core.protocol.ReportBatch;
import org.cyphon.core.protocol.ReportReply;
import org.cyphon.core.protocol.ReportResult;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data dir written by schema version 2, where live attempts sat in the attempts table beside the
 * ended ones, keeps working once the coordinator has moved them to live_attempts (version 3): their
 * leases are renewed and expire, their reports are fenced as before, and each job still shows its
 * whole history.
 */
@OnEveryStore
class LiveAttemptsUpgradeTest {
    private final TestStore store;

    LiveAttemptsUpgradeTest(TestStore store) {
        this.store = store;
    }

    private static final String MIGRATIONS = "classpath:org/cyphon/coordinator/store/migration";
    private static final long T0 = Instant.parse("2026-11-24T10:00:00Z").toEpochMilli(); // TestCoordinator's clock

    @TempDir
    Path dir;

    @Test
    void attemptsLiveBeforeTheUpgradeAreRenewedReportedAndLostAsBefore() throws Exception {
        try (TestStore.Instance db = store.create(dir)) {
            writeVersion2ThenUpgrade(db);
        }
    }

    private void writeVersion2ThenUpgrade(TestStore.Instance db) throws Exception {
        // The sequence caches each database's migrations get (Dialect): H2 caches, PostgreSQL does not.
        Map<String, String> caches = db.isH2()
                ? Map.of("id_cache", "1000", "internal_cache", "100000")
                : Map.of("id_cache", "1", "internal_cache", "1");
        Flyway.configure()
                .dataSource(db.jdbcUrl(), db.user(), db.password())
                .locations(MIGRATIONS)
                .placeholders(caches)
                .target("2")
                .load()
                .migrate();
        String agentToken = Tokens.newToken();
        try (Connection c = db.connect();
                Statement st = c.createStatement()) {
            st.execute(
                    "INSERT INTO machines (name, cpu_millis, memory_bytes, drained, enrolled_at) VALUES ('m1', 4000, 1073741824, FALSE, "
                            + T0 + ")");
            st.execute("INSERT INTO tokens (token_hash, role, name, created_at) VALUES ('" + Tokens.hash(agentToken)
                    + "', 'AGENT', 'm1', " + T0 + ")");
            // Job 1 lost its first attempt and runs its second; job 2 runs its first.
            insertRunningJob(st, 1, 2, 7);
            insertRunningJob(st, 2, 1, 8);
            st.execute("INSERT INTO attempts VALUES (5, 1, 1, 'm1', 1000, 268435456, " + (T0 - 60_000)
                    + ", NULL, TRUE, " + (T0 - 30_000)
                    + ", 'lost', FALSE, NULL, NULL, NULL, 'lease expired', FALSE, FALSE, NULL)");
            st.execute("INSERT INTO attempts VALUES (7, 1, 2, 'm1', 1000, 268435456, " + (T0 - 20_000) + ", "
                    + (T0 + 5_000) + ", TRUE, NULL, NULL, FALSE, NULL, NULL, NULL, NULL, FALSE, FALSE, NULL)");
            st.execute("INSERT INTO attempts VALUES (8, 2, 1, 'm1', 1000, 268435456, " + (T0 - 20_000) + ", "
                    + (T0 + 5_000) + ", TRUE, NULL, NULL, FALSE, NULL, NULL, NULL, NULL, FALSE, FALSE, 3.5)");
            st.execute("ALTER SEQUENCE job_ids RESTART WITH 3");
            st.execute("ALTER SEQUENCE fencing_tokens RESTART WITH 9");
        }

        try (TestCoordinator c = TestCoordinator.start(db, dir, cfg -> cfg)) {
            ApiClient admin = c.admin();
            ApiClient m1 = new ApiClient(c.url(), agentToken);
            List<AttemptView> before = show(admin, 1).attempts();
            assertThat(before)
                    .extracting(AttemptView::attempt, AttemptView::fencingToken, AttemptView::outcome)
                    .containsExactly(tuple(1, 5L, "lost"), tuple(2, 7L, null));

            // Both live attempts are the machine's: its heartbeat renews them, nothing to stop.
            HeartbeatReply beat = m1.post(
                    "/api/v1/agents/m1/heartbeat",
                    new Heartbeat(
                            4,
                            1L << 30,
                            "nice-only",
                            null,
                            List.of(
                                    new AttemptStatus(1, 2, 7, AttemptRunState.RUNNING),
                                    new AttemptStatus(2, 1, 8, AttemptRunState.RUNNING))),
                    HeartbeatReply.class);
            assertThat(beat.stop()).isEmpty();

            // Job 1's attempt ends by its report, once.
            AttemptReport exited = new AttemptReport(1, 2, 7, AttemptOutcome.EXITED, 0, null, 2.0, null);
            assertThat(report(m1, exited)).extracting(ReportResult::accepted).containsExactly(true);
            assertThat(report(m1, exited)).extracting(ReportResult::reason).containsExactly("already reported");
            JobView done = show(admin, 1);
            assertThat(done.state()).isEqualTo("completed");
            assertThat(done.attempts()).extracting(AttemptView::outcome).containsExactly("lost", "exited");

            // Job 2's agent falls silent: its attempt is lost a lease later, with the CPU it last said it had not
            // saved.
            c.tick(c.lease().plusSeconds(1));
            assertThat(show(admin, 2).state()).isEqualTo("queued");
            JobView requeued = show(admin, 2);
            assertThat(requeued.attempts()).extracting(AttemptView::outcome).containsExactly("lost");
            assertThat(requeued.result().lostCpuSeconds()).isEqualTo(3.5);
            List<String> events = admin.get("/api/v1/jobs/2/events", EventList.class).events().stream()
                    .map(EventView::type)
                    .toList();
            assertThat(events).containsExactly("submitted", "assigned", "lost");
        }
    }

    private static List<ReportResult> report(ApiClient agent, AttemptReport r) {
        return agent.post("/api/v1/agents/m1/reports", new ReportBatch(List.of(r)), ReportReply.class)
                .results();
    }

    private static void insertRunningJob(Statement st, long id, int attempt, long token) throws SQLException {
        st.execute(
                "INSERT INTO jobs (id, name, owner, state, version, command, env, cpu_millis, memory_bytes, priority, job_index, "
                        + "max_attempts, attempt_count, lost_count, current_token, machine, submitted_at, queued_at, started_at, "
                        + "checkpoint_exit_code, lost_cpu_seconds) VALUES (" + id + ", 'job', 'alice', 'RUNNING', "
                        + attempt
                        + ", '[\"/bin/true\"]', '{}', 1000, 268435456, 0, 0, 5, " + attempt + ", " + (attempt - 1)
                        + ", " + token
                        + ", 'm1', " + (T0 - 90_000) + ", " + (T0 - 30_000) + ", " + (T0 - 20_000) + ", 85, 0)");
        st.execute("INSERT INTO events (job_id, at_millis, event_type, attempt_no, machine, message) VALUES (" + id
                + ", " + (T0 - 90_000) + ", 'submitted', NULL, NULL, 'by alice')");
        st.execute("INSERT INTO events (job_id, at_millis, event_type, attempt_no, machine, message) VALUES (" + id
                + ", " + (T0 - 20_000) + ", 'assigned', " + attempt + ", 'm1', NULL)");
    }
}
