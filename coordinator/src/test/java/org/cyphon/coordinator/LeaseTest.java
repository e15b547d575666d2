package org.cyphon.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.cyphon.coordinator.TestCoordinator.show;
import static org.cyphon.coordinator.TestCoordinator.submit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.cyphon.core.job.AttemptOutcome;
import org.cyphon.core.protocol.EventList;
import org.cyphon.core.protocol.EventView;
import org.cyphon.core.protocol.JobSubmission;
import org.cyphon.core.protocol.JobView;
import org.cyphon.core.protocol.MachineView;
import org.cyphon.core.protocol.ReportResult;
import org.cyphon.core.protocol.SubmitReply;
import org.cyphon.core.protocol.WorkAssignment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Leases and fencing: an agent that goes silent loses its attempts, the job runs again elsewhere,
 * and whatever the silent agent says afterwards is refused. The test moves the clock past leases
 * and then runs the lease keeper's check itself.
 */
@OnEveryStore
class LeaseTest {
    private final TestStore store;

    LeaseTest(TestStore store) {
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

    /** A lease and a second pass in silence, and the lease keeper looks. */
    private void silenceForALease() {
        c.tick(c.lease().plusSeconds(1));
    }

    private JobView inState(long id, String state) {
        JobView v = show(alice, id);
        assertThat(v.state()).isEqualTo(state);
        return v;
    }

    @Test
    void workWaitingToBeFetchedByABusyButLiveAgentKeepsItsLease() {
        TestAgent m1 = c.agent("m1", 4);
        long id = submit(alice, "/bin/sleep", "1000");
        c.periodicWork().schedule(); // after the pass the submit asked for
        inState(id, "running");

        // The agent is busy (say, starting other jobs on a loaded desk): it beats but has not polled.
        // The lease keeper looks a second before each beat, and once more after the last.
        for (int i = 0; i < 3; i++) {
            c.tick(c.lease().minusSeconds(1));
            assertThat(m1.beat(List.of()).stop()).isEmpty();
        }
        c.tick(Duration.ofSeconds(2));

        WorkAssignment w = m1.work(10_000).get(0);
        assertThat(w.jobId()).isEqualTo(id);
        assertThat(w.attempt()).as("not lost and retried").isEqualTo(1);
        assertThat(show(alice, id).state()).isEqualTo("running");
    }

    @Test
    void workFetchedButNeverListedExpiresWithItsLease() {
        TestAgent m1 = c.agent("m1", 4);
        long id = submit(alice, "/bin/sleep", "1000");
        m1.work(10_000); // the reply "never arrived": the agent does not list the attempt
        c.clock.advance(c.lease().minusSeconds(1));
        m1.beat(List.of());
        assertThat(c.periodicWork().expireLeases())
                .as("lost before its lease ran out")
                .isZero();
        c.clock.advance(Duration.ofSeconds(2));
        assertThat(c.periodicWork().expireLeases()).as("lost once it ran out").isEqualTo(1);
        // m1 is still online, so the requeued job may at once get a second attempt there.
        assertThat(show(alice, id).attempts().get(0).outcome()).isEqualTo("lost");
    }

    @Test
    void anExpiredLeaseRequeuesTheJobAndAnotherMachineRunsIt() {
        TestAgent m1 = c.agent("m1", 4);
        long id = submit(alice, "/bin/sleep", "1000");
        WorkAssignment first = m1.work(10_000).get(0);

        silenceForALease(); // m1 falls silent
        JobView requeued = inState(id, "queued");
        assertThat(requeued.progress().reason()).contains("lease expired");
        assertThat(requeued.attempts())
                .singleElement()
                .satisfies(a -> assertThat(a.outcome()).isEqualTo("lost"));
        assertThat(alice.get("/api/v1/machines/m1", MachineView.class).state()).isEqualTo("offline");

        TestAgent m2 = c.agent("m2", 4);
        WorkAssignment second = m2.work(10_000).get(0);
        assertThat(second.jobId()).isEqualTo(id);
        assertThat(second.attempt()).isEqualTo(2);
        assertThat(second.fencingToken()).isGreaterThan(first.fencingToken());

        // m1 comes back and reports the old attempt: refused as stale, and told to stop it.
        assertThat(m1.beat().stop())
                .singleElement()
                .satisfies(s -> assertThat(s.fencingToken()).isEqualTo(first.fencingToken()));
        assertThat(m1.report(TestAgent.exited(first, 0)))
                .singleElement()
                .satisfies(r -> assertThat(r)
                        .extracting(ReportResult::accepted, ReportResult::reason)
                        .containsExactly(false, "stale attempt"));
        assertThat(show(alice, id).state()).isEqualTo("running");

        // The current attempt completes the job.
        assertThat(m2.report(TestAgent.exited(second, 0)))
                .singleElement()
                .satisfies(r -> assertThat(r.accepted()).isTrue());
        assertThat(show(alice, id).state()).isEqualTo("completed");
        assertThat(alice.get("/api/v1/jobs/" + id + "/events", EventList.class).events())
                .extracting(EventView::type)
                .containsExactly("submitted", "assigned", "lost", "assigned", "exited");
    }

    @Test
    void aJobThatLosesAllItsAttemptsFails() {
        JobSubmission s = JobSubmission.builder()
                .command(List.of("/bin/sleep", "1000"))
                .maxAttempts(2)
                .build();
        long id = alice.post("/api/v1/jobs", s).as(SubmitReply.class).ids().get(0);
        for (int attempt = 1; attempt <= 2; attempt++) {
            TestAgent m = c.agent("m" + attempt, 4);
            assertThat(m.work(10_000))
                    .singleElement()
                    .satisfies(w -> assertThat(w.jobId()).isEqualTo(id));
            silenceForALease();
            inState(id, attempt == 1 ? "queued" : "failed");
        }
        JobView failed = show(alice, id);
        assertThat(failed.progress().attemptCount()).isEqualTo(2);
        assertThat(failed.progress().finishedAt()).isNotNull();
        assertThat(failed.progress().reason()).contains("2 of 2 attempts lost");
        assertThat(alice.get("/api/v1/jobs/" + id + "/events", EventList.class).events())
                .extracting(EventView::type)
                .containsExactly("submitted", "assigned", "lost", "assigned", "lost", "failed");
        assertThat(c.anonymous().get("/metrics").body()).contains("cyphon_jobs_failed_total 1.0");
    }

    @Test
    void aReportSentAgainIsIdempotent() {
        TestAgent m1 = c.agent("m1", 4);
        long id = submit(alice, "/bin/true");
        WorkAssignment w = m1.work(10_000).get(0);
        assertThat(m1.report(TestAgent.exited(w, 0)))
                .singleElement()
                .satisfies(r -> assertThat(r.accepted()).isTrue());
        JobView done = show(alice, id);
        // The reply was lost; the agent sends the same report again (twice in one batch, even).
        List<ReportResult> again = m1.report(TestAgent.exited(w, 3), TestAgent.exited(w, 4));
        assertThat(again)
                .extracting(ReportResult::accepted, ReportResult::reason)
                .containsExactly(tuple(false, "already reported"), tuple(false, "already reported"));
        JobView after = show(alice, id);
        assertThat(after.state()).isEqualTo("completed");
        assertThat(after.result().exitCode()).isZero();
        assertThat(after.progress().finishedAt()).isEqualTo(done.progress().finishedAt());
        assertThat(alice.get("/api/v1/jobs/" + id + "/events", EventList.class).events())
                .extracting(EventView::type)
                .containsOnlyOnce("exited");
    }

    @Test
    void aReportFromAnotherMachineIsRefused() {
        TestAgent m1 = c.agent("m1", 4);
        TestAgent m2 = c.agent("m2", 4);
        long id = submit(alice, "/bin/true");
        c.periodicWork().schedule(); // after the submit's pass: one of them has it
        List<WorkAssignment> w1 = m1.work(0);
        List<WorkAssignment> w2 = m2.work(0);
        WorkAssignment w = w1.isEmpty() ? w2.get(0) : w1.get(0);
        TestAgent other = w1.isEmpty() ? m1 : m2;
        assertThat(other.report(TestAgent.exited(w, 0)))
                .singleElement()
                .satisfies(r -> assertThat(r.accepted()).isFalse());
        assertThat(show(alice, id).state()).isEqualTo("running");
    }

    @Test
    void aVacatedAttemptIsQueuedAgainWithoutUsingAnAttempt() {
        JobSubmission s = JobSubmission.builder()
                .command(List.of("/bin/sleep", "1000"))
                .maxAttempts(1)
                .build();
        long id = alice.post("/api/v1/jobs", s).as(SubmitReply.class).ids().get(0);
        TestAgent m1 = c.agent("m1", 4);
        WorkAssignment w = m1.work(10_000).get(0);
        assertThat(m1.report(TestAgent.outcome(w, AttemptOutcome.VACATED)))
                .singleElement()
                .satisfies(r -> assertThat(r.accepted()).isTrue());
        // It is queued again and, the machine being free, placed again at once: attempt 2 of a 1-attempt job.
        WorkAssignment again = m1.work(10_000).get(0);
        assertThat(again.attempt()).isEqualTo(2);
        // A failure to start is a lost attempt: with max 1 lost, the job fails.
        m1.report(TestAgent.outcome(again, AttemptOutcome.FAILED_TO_START));
        JobView failed = show(alice, id);
        assertThat(failed.state()).isEqualTo("failed");
        assertThat(failed.progress().reason()).contains("could not start");
    }

    @Test
    void forgettingAMachineLosesWhatItsAgentHeldAtOnce() {
        TestAgent old = c.agent("m1", 4);
        long id = submit(alice, "/bin/sleep", "1000");
        old.work(10_000);
        assertThat(c.admin().post("/api/v1/machines/m1/forget", null).status()).isEqualTo(200);
        TestAgent fresh = c.agent("m1", 4);
        WorkAssignment again = fresh.work(10_000).get(0);
        assertThat(again.jobId()).isEqualTo(id);
        assertThat(again.attempt()).isEqualTo(2);
        assertThat(show(alice, id).attempts().get(0).message()).contains("forgotten");
    }
}
