package org.cyphon.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.cyphon.coordinator.TestCoordinator.show;
import static org.cyphon.coordinator.TestCoordinator.submit;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.cyphon.core.job.AttemptRunState;
import org.cyphon.core.protocol.AttemptStatus;
import org.cyphon.core.protocol.EventList;
import org.cyphon.core.protocol.EventView;
import org.cyphon.core.protocol.HeartbeatReply;
import org.cyphon.core.protocol.JobList;
import org.cyphon.core.protocol.JobSubmission;
import org.cyphon.core.protocol.MachineList;
import org.cyphon.core.protocol.MachineView;
import org.cyphon.core.protocol.SubmitReply;
import org.cyphon.core.protocol.WorkAssignment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** From queued to running to completed: placement, long-poll dispatch, heartbeats, reports. */
@OnEveryStore
class DispatchTest {
    private final TestStore store;

    DispatchTest(TestStore store) {
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
    void aWaitingLongPollReturnsAsSoonAsAJobIsSubmitted() throws Exception {
        TestAgent m1 = c.agent("m1", 4);
        CompletableFuture<List<WorkAssignment>> poll = CompletableFuture.supplyAsync(() -> m1.work(60_000));
        c.awaitLongPollsWaiting(1); // nothing is queued yet: the poll waits
        assertThat(poll).isNotDone();
        long id = submit(alice, "/bin/echo", "hi");
        // Far sooner than the 60 s the poll would wait; the bound only keeps a broken build from hanging.
        List<WorkAssignment> work = poll.get(20, TimeUnit.SECONDS);
        assertThat(work).singleElement().satisfies(w -> {
            assertThat(w.jobId()).isEqualTo(id);
            assertThat(w.attempt()).isEqualTo(1);
            assertThat(w.command()).containsExactly("/bin/echo", "hi");
            assertThat(w.owner()).isEqualTo("alice");
            assertThat(w.cpus()).isEqualTo(1.0);
        });
        assertThat(show(alice, id).state()).isEqualTo("running");
        assertThat(show(alice, id).progress().machine()).isEqualTo("m1");
    }

    @Test
    void aPollWithNothingToDoReturnsEmptyAfterItsWait() {
        TestAgent m1 = c.agent("m1", 4);
        assertThat(m1.work(200)).isEmpty();
        assertThat(m1.work(0)).isEmpty();
    }

    @Test
    void anExitCompletesTheJobOnceWithItsExitCode() {
        TestAgent m1 = c.agent("m1", 4);
        long id = submit(alice, "/bin/false");
        WorkAssignment w = m1.work(10_000).get(0);
        c.clock.advance(Duration.ofSeconds(3));
        assertThat(m1.report(TestAgent.exited(w, 1)))
                .singleElement()
                .satisfies(r -> assertThat(r.accepted()).isTrue());
        var job = show(alice, id);
        assertThat(job.state()).isEqualTo("completed");
        assertThat(job.result().exitCode()).isEqualTo(1);
        assertThat(job.result().cpuSeconds()).isEqualTo(1.5);
        assertThat(job.progress().runSeconds()).isEqualTo(3);
        assertThat(job.attempts()).singleElement().satisfies(a -> {
            assertThat(a.outcome()).isEqualTo("exited");
            assertThat(a.exitCode()).isEqualTo(1);
            assertThat(a.machine()).isEqualTo("m1");
            assertThat(a.fencingToken()).isEqualTo(w.fencingToken());
        });
        assertThat(alice.get("/api/v1/jobs/" + id + "/events", EventList.class).events())
                .extracting(EventView::type)
                .containsExactly("submitted", "assigned", "exited");
    }

    @Test
    void jobsGoWhereTheyFitAndWaitWhenNothingIsFree() {
        TestAgent small = c.agent("small", 2);
        TestAgent big = c.agent("big", 8);
        List<Long> ids = alice.post(
                        "/api/v1/jobs",
                        JobSubmission.builder()
                                .command(List.of("/bin/x"))
                                .cpus(2.0)
                                .count(6)
                                .build())
                .as(SubmitReply.class)
                .ids();
        List<WorkAssignment> onBig = big.work(10_000);
        List<WorkAssignment> onSmall = small.work(10_000);
        // 10 CPUs hold five 2-CPU jobs; the sixth waits.
        assertThat(onBig.size() + onSmall.size()).isEqualTo(5);
        assertThat(onBig).hasSize(4);
        assertThat(alice.get("/api/v1/jobs?state=queued", JobList.class).jobs()).hasSize(1);
        MachineView bigView = alice.get("/api/v1/machines/big", MachineView.class);
        assertThat(bigView.freeCpus()).isZero();
        assertThat(bigView.runningAttempts()).isEqualTo(4);

        // One ends: its CPUs go to the waiting job at once.
        big.report(TestAgent.exited(onBig.get(0), 0));
        List<WorkAssignment> next = big.work(10_000);
        assertThat(next).singleElement().satisfies(w -> assertThat(w.jobId()).isEqualTo(ids.get(5)));
    }

    @Test
    void heartbeatsRenewTheLeasesOfCurrentAttempts() {
        TestAgent m1 = c.agent("m1", 4);
        long id = submit(alice, "/bin/sleep", "1000");
        m1.work(10_000);
        // Beat every 10 s for a minute: four leases' worth, and the attempt is never lost, though the
        // lease keeper looks just before each beat, two thirds of a lease after the last one.
        for (int i = 0; i < 6; i++) {
            c.tick(Duration.ofSeconds(10));
            HeartbeatReply r = m1.beat();
            assertThat(r.stop()).isEmpty();
            assertThat(r.leaseExpiresAt()).isEqualTo(c.clock.instant().plus(c.lease()));
        }
        assertThat(c.periodicWork().expireLeases()).as("attempts lost").isZero();
        assertThat(show(alice, id).state()).isEqualTo("running");
        assertThat(show(alice, id).progress().attemptCount()).isEqualTo(1);
    }

    @Test
    void theAgentFreezingAndThawingShowsAsSuspendedAndResumed() {
        TestAgent m1 = c.agent("m1", 4);
        long id = submit(alice, "/bin/sleep", "1000");
        WorkAssignment w = m1.work(10_000).get(0);
        m1.beat(List.of(new AttemptStatus(w.jobId(), w.attempt(), w.fencingToken(), AttemptRunState.SUSPENDED)));
        assertThat(show(alice, id).state()).isEqualTo("suspended");
        m1.beat(List.of(new AttemptStatus(w.jobId(), w.attempt(), w.fencingToken(), AttemptRunState.RUNNING)));
        assertThat(show(alice, id).state()).isEqualTo("running");
        assertThat(alice.get("/api/v1/jobs/" + id + "/events", EventList.class).events())
                .extracting(EventView::type)
                .containsExactly("submitted", "assigned", "suspended", "resumed");
    }

    @Test
    void aDrainedMachineGetsNoNewWorkAndHearsItIsDrained() {
        TestAgent m1 = c.agent("m1", 4);
        ApiClient admin = c.admin();
        assertThat(alice.post("/api/v1/machines/m1/drain", null).status()).isEqualTo(403);
        assertThat(admin.post("/api/v1/machines/m1/drain", null)
                        .as(MachineView.class)
                        .state())
                .isEqualTo("drained");
        assertThat(m1.beat().drained()).isTrue();
        long id = submit(alice, "/bin/true");
        c.periodicWork().schedule(); // the submit's pass, and one more, have left it queued
        assertThat(m1.work(0)).isEmpty();
        assertThat(show(alice, id).state()).isEqualTo("queued");
        admin.post("/api/v1/machines/m1/undrain", null).as(MachineView.class);
        assertThat(m1.work(10_000)).extracting(WorkAssignment::jobId).containsExactly(id);
    }

    @Test
    void unknownAttemptsInAHeartbeatAreToldToStop() {
        TestAgent m1 = c.agent("m1", 4);
        HeartbeatReply r = m1.beat(List.of(new AttemptStatus(77, 1, 12345, AttemptRunState.RUNNING)));
        assertThat(r.stop()).singleElement().satisfies(s -> {
            assertThat(s.fencingToken()).isEqualTo(12345);
            assertThat(s.reason()).isEqualTo("unknown attempt");
        });
    }

    @Test
    void machinesAreListedWithTheirStateAndMetricsAreExposed() {
        c.agent("m1", 4);
        c.agent("m2", 2);
        submit(alice, "/bin/true");
        MachineView m1 = alice.get("/api/v1/machines/m1", MachineView.class);
        assertThat(m1.state()).isEqualTo("online");
        assertThat(m1.cpus()).isEqualTo(4.0);
        assertThat(m1.sandbox()).isEqualTo("nice-only");
        assertThat(m1.lastHeartbeat()).isEqualTo(c.clock.instant());
        c.clock.advance(c.lease().plusSeconds(1));
        assertThat(alice.get("/api/v1/machines", MachineList.class).machines())
                .extracting(MachineView::name, MachineView::state)
                .containsExactly(tuple("m1", "offline"), tuple("m2", "offline"));

        String metrics = c.anonymous().get("/metrics").body();
        assertThat(metrics)
                .contains("cyphon_jobs_submitted_total 1.0")
                .contains("cyphon_queue_length")
                .contains("cyphon_assignment_latency_seconds");
        // The enrollments, heartbeats and the submit above were writes of the store's one writer.
        double commits = sample(metrics, "cyphon_store_commits_total");
        assertThat(commits).isGreaterThanOrEqualTo(1);
        assertThat(sample(metrics, "cyphon_store_writes_total")).isGreaterThanOrEqualTo(commits);
        assertThat(sample(metrics, "cyphon_store_writer_busy_seconds_total")).isPositive();
    }

    /** The value of an unlabelled sample in the Prometheus text. */
    private static double sample(String metrics, String name) {
        return metrics.lines()
                .filter(l -> l.startsWith(name + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(name.length() + 1)))
                .findFirst()
                .orElseThrow(() -> new AssertionError(name + " missing from /metrics"));
    }

    @Test
    void aDeskWhoseOwnerIsPresentGetsNoNewWorkUntilItSaysItMayStart() {
        TestAgent desk = c.agent("desk", 4);
        desk.beatDesk(false);
        long id = TestCoordinator.submit(c.user("alice"), "/bin/true");
        c.periodicWork().schedule(); // the submit's pass, and one more, have left it queued
        assertThat(desk.work(0)).as("no work while the owner is at the desk").isEmpty();
        assertThat(c.user("alice")
                        .get("/api/v1/machines/desk", org.cyphon.core.protocol.MachineView.class)
                        .desk()
                        .reasons())
                .containsExactly("keyboard input 1 s ago");

        desk.beatDesk(true);
        assertThat(desk.work(10_000))
                .singleElement()
                .satisfies(w -> assertThat(w.jobId()).isEqualTo(id));
    }

    // Beats that say nothing new are answered from what the store holds, without waiting for its
    // writer; every beat that must write still does before its reply: a lease renewal that is due, a
    // resource that changed, CPU time since a checkpoint. Told apart by what the replies say (a quiet
    // beat names the lease's expiry as stored) and by /metrics' path of each beat.

    @Test
    void aBeatSoonAfterTheLastIsAnsweredFromTheStoreAndOneAQuarterOfALeaseLaterRenews() {
        TestAgent m1 = c.agent("m1", 4);
        submit(alice, "/bin/sleep", "600");
        WorkAssignment w = m1.work(10_000).get(0);
        Instant assigned = c.clock.instant();
        Duration lease = c.lease();

        long readsBefore = beats("read");
        long writesBefore = beats("write");
        c.clock.advance(Duration.ofSeconds(1));
        HeartbeatReply quiet = m1.beat(List.of(running(w, null)));
        assertThat(quiet.stop()).isEmpty();
        assertThat(quiet.leaseExpiresAt())
                .as("a quiet beat names the lease as stored: nothing renewed it")
                .isEqualTo(assigned.plus(lease));
        assertThat(beats("read")).isEqualTo(readsBefore + 1);
        assertThat(beats("write")).isEqualTo(writesBefore);

        c.clock.advance(lease.dividedBy(4));
        HeartbeatReply renewing = m1.beat(List.of(running(w, null)));
        assertThat(renewing.leaseExpiresAt())
                .as("a quarter of the lease gone: the beat renews it before answering")
                .isEqualTo(c.clock.instant().plus(lease));
        assertThat(beats("write")).isEqualTo(writesBefore + 1);

        // The renewal was written: the lease keeper, a lease after the assignment, leaves the job running.
        c.tick(lease.minus(lease.dividedBy(4)).plusSeconds(1));
        assertThat(show(alice, w.jobId()).state()).isEqualTo("running");
    }

    @Test
    void aBeatThatChangesWhatTheDeskOffersOrItsLostCpuIsWrittenBeforeTheReply() {
        TestAgent m1 = c.agent("m1", 4);
        submit(alice, "/bin/sleep", "600");
        WorkAssignment w = m1.work(10_000).get(0);
        long writesBefore = beats("write");

        m1.beat(List.of(running(w, 12.5)));
        assertThat(beats("write")).as("CPU time since the checkpoint").isEqualTo(writesBefore + 1);
        m1.beat(List.of(running(w, 12.5)));
        assertThat(beats("write")).as("the same figure again").isEqualTo(writesBefore + 1);

        TestAgent bigger = m1.offering(8);
        bigger.beat(List.of(running(w, 12.5)));
        assertThat(beats("write")).as("more cpus").isEqualTo(writesBefore + 2);
        assertThat(alice.get("/api/v1/machines/m1", MachineView.class).cpus()).isEqualTo(8.0);
    }

    private static AttemptStatus running(WorkAssignment w, Double cpuSinceCheckpoint) {
        return new AttemptStatus(w.jobId(), w.attempt(), w.fencingToken(), AttemptRunState.RUNNING, cpuSinceCheckpoint);
    }

    /** Heartbeats answered so far along {@code path} ("read" or "write"), from /metrics. */
    private long beats(String path) {
        String prefix = "cyphon_heartbeat_seconds_count{path=\"" + path + "\"} ";
        return c.anonymous()
                .get("/metrics")
                .body()
                .lines()
                .filter(l -> l.startsWith(prefix))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(prefix.length())))
                .findFirst()
                .orElse(0);
    }
}
