package org.cyphon.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cyphon.coordinator.TestCoordinator.show;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.cyphon.core.job.AttemptOutcome;
import org.cyphon.core.job.AttemptRunState;
import org.cyphon.core.protocol.AttemptStatus;
import org.cyphon.core.protocol.EnrollReply;
import org.cyphon.core.protocol.EnrollRequest;
import org.cyphon.core.protocol.EventList;
import org.cyphon.core.protocol.EventView;
import org.cyphon.core.protocol.Heartbeat;
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
 * Checkpoints through the real API: storing and fetching them (fenced like every agent call), the
 * size cap, the checkpoint exit code, the CPU time lost without one, and their life on disk.
 */
@OnEveryStore
class CheckpointTest {
    private final TestStore store;

    CheckpointTest(TestStore store) {
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

    private long submit(JobSubmission s) {
        return alice.post("/api/v1/jobs", s, SubmitReply.class).ids().get(0);
    }

    private static JobSubmission sleeper(Integer maxAttempts, Integer checkpointExitCode) {
        return JobSubmission.builder()
                .command(List.of("/bin/sleep", "1000"))
                .maxAttempts(maxAttempts)
                .checkpointExitCode(checkpointExitCode)
                .build();
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private Path checkpointsOf(long jobId) {
        return c.dataDir.resolve("checkpoints").resolve(Long.toString(jobId));
    }

    /** The job's files on disk, but not the HMAC beside each archive. */
    private static List<String> filesIn(Path d) throws Exception {
        if (!Files.isDirectory(d)) return List.of();
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> !n.endsWith(".mac"))
                    .sorted()
                    .toList();
        }
    }

    @Test
    void aTamperedArchiveIsRefusedOnRestoreAndTheEventsSaySo() throws Exception {
        TestAgent m1 = c.agent("m1", 4);
        long id = submit(sleeper(null, null));
        WorkAssignment w = m1.work(10_000).get(0);
        byte[] archive = bytes(10_000, 3);
        assertThat(m1.putCheckpoint(w, archive).status()).isEqualTo(200);
        Path stored;
        try (Stream<Path> s = Files.list(checkpointsOf(id))) {
            stored = s.filter(p -> p.toString().endsWith(".tar")).findFirst().orElseThrow();
        }
        assertThat(stored.resolveSibling(stored.getFileName() + ".mac")).exists();
        assertThat(c.dataDir.resolve("checkpoint-hmac.key"))
                .satisfies(k -> assertThat(java.nio.file.Files.getPosixFilePermissions(k))
                        .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));

        // Someone with access to the store plants a script in the archive.
        byte[] planted = archive.clone();
        planted[100] ^= 1;
        Files.write(stored, planted);

        ApiClient.Reply got = m1.getCheckpoint(w);
        assertThat(got.status()).isEqualTo(409);
        assertThat(got.body()).contains("refused").contains("does not match its HMAC");
        assertThat(events(id))
                .anySatisfy(e -> assertThat(e.message()).contains("refused on restore: its content does not match"));
        assertThat(m1.getCheckpoint(w).status())
                .as("forgotten: the next start is afresh")
                .isEqualTo(204);
        assertThat(show(alice, id).checkpoints().storedBytes()).isNull();
    }

    private List<EventView> events(long id) {
        return alice.get("/api/v1/jobs/" + id + "/events", EventList.class).events();
    }

    @Test
    void aStoredCheckpointComesBackByteForByteLargerThanMaxBody() throws Exception {
        TestAgent m1 = c.agent("m1", 4);
        long id = submit(sleeper(null, null));
        WorkAssignment w = m1.work(10_000).get(0);
        assertThat(w.hasCheckpoint()).isFalse();
        assertThat(w.checkpointExitCode()).isEqualTo(85);
        assertThat(m1.getCheckpoint(w).status()).as("none yet").isEqualTo(204);

        // 3 MiB: three times http.max_body, so this only works if the body is streamed to disk.
        byte[] archive = bytes(3 << 20, 1);
        ApiClient.Reply put = m1.putCheckpoint(w, archive);
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        assertThat(put.json().path("stored").asLong()).isEqualTo(archive.length);

        ApiClient.Reply got = m1.getCheckpoint(w);
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.bytes()).isEqualTo(archive);
        assertThat(got.header("X-Cyphon-Checkpoint-Size")).isEqualTo(Integer.toString(archive.length));
        assertThat(got.header("X-Cyphon-Checkpoint-Attempt")).isEqualTo("1");

        // Latest wins, and the one it replaced is gone from disk.
        byte[] newer = bytes(1000, 2);
        assertThat(m1.putCheckpoint(w, newer).status()).isEqualTo(200);
        assertThat(m1.getCheckpoint(w).bytes()).isEqualTo(newer);
        JobView v = show(alice, id);
        assertThat(v.checkpoints().storedBytes()).isEqualTo(1000L);
        assertThat(v.checkpoints().storedAt()).isEqualTo(c.clock.instant());
        assertThat(filesIn(checkpointsOf(id))).hasSize(1);
    }

    @Test
    void onlyTheJobsCurrentAttemptMayStoreOrFetch() {
        TestAgent m1 = c.agent("m1", 4);
        long id = submit(sleeper(null, null));
        WorkAssignment first = m1.work(10_000).get(0);
        byte[] good = bytes(500, 3);
        assertThat(m1.putCheckpoint(first, good).status()).isEqualTo(200);

        c.tick(c.lease().plusSeconds(1)); // m1 falls silent: attempt 1 is lost
        assertThat(show(alice, id).state()).isEqualTo("queued");
        TestAgent m2 = c.agent("m2", 4);
        WorkAssignment second = m2.work(10_000).get(0);
        assertThat(second.attempt()).isEqualTo(2);
        assertThat(second.hasCheckpoint()).isTrue();

        // The lost attempt comes back and tries to overwrite the checkpoint its successor starts from.
        ApiClient.Reply stale = m1.putCheckpoint(first, bytes(500, 4));
        assertThat(stale.status()).isEqualTo(409);
        assertThat(stale.field()).isEqualTo("fencingToken");
        assertThat(m1.getCheckpoint(first).status()).isEqualTo(409);
        // Another machine cannot use the current token either.
        assertThat(m1.api
                        .putBytes(m1.path("/attempts/" + second.fencingToken() + "/checkpoint"), bytes(10, 5))
                        .status())
                .isEqualTo(409);

        assertThat(m2.getCheckpoint(second).bytes()).isEqualTo(good);
    }

    @Test
    void anArchiveOverTheCapIs413AndNothingIsKept() throws Exception {
        c.close();
        c = TestCoordinator.start(store, dir, cfg -> cfg.withMaxCheckpointBytes(1024));
        alice = c.user("alice");
        TestAgent m1 = c.agent("m1", 4);
        long id = submit(sleeper(null, null));
        WorkAssignment w = m1.work(10_000).get(0);

        ApiClient.Reply declared = m1.putCheckpoint(w, bytes(4096, 6));
        assertThat(declared.status()).isEqualTo(413);
        assertThat(declared.error()).contains("jobs.max_checkpoint_bytes").contains("1K");
        // Without a Content-Length the coordinator counts while it streams.
        ApiClient.Reply chunked =
                m1.api.putChunked(m1.path("/attempts/" + w.fencingToken() + "/checkpoint"), bytes(4096, 7));
        assertThat(chunked.status()).isEqualTo(413);

        assertThat(m1.getCheckpoint(w).status()).isEqualTo(204);
        assertThat(filesIn(checkpointsOf(id))).isEmpty();
        assertThat(m1.putCheckpoint(w, bytes(1024, 8)).status())
                .as("exactly the cap fits")
                .isEqualTo(200);
    }

    @Test
    void theCheckpointExitCodeRequeuesFromTheCheckpointWithoutUsingAnAttempt() {
        TestAgent m1 = c.agent("m1", 4);
        long id = submit(sleeper(1, 42));
        WorkAssignment first = m1.work(10_000).get(0);
        assertThat(first.checkpointExitCode()).isEqualTo(42);
        byte[] saved = bytes(2000, 9);
        assertThat(m1.putCheckpoint(first, saved).status()).isEqualTo(200);

        assertThat(m1.report(TestAgent.ended(first, AttemptOutcome.EXITED, 42, 60, 0.0)))
                .singleElement()
                .satisfies(r -> assertThat(r.accepted()).isTrue());
        WorkAssignment second = m1.work(10_000).get(0);
        assertThat(second.attempt())
                .as("a 1-attempt job runs again: nothing was lost")
                .isEqualTo(2);
        assertThat(second.hasCheckpoint()).isTrue();
        assertThat(m1.getCheckpoint(second).bytes()).isEqualTo(saved);
        assertThat(events(id))
                .filteredOn(e -> e.type().equals("checkpointed"))
                .singleElement()
                .satisfies(e -> assertThat(e.message()).isEqualTo("checkpointed; requeued (exit code 42)"));

        // The same code from an attempt that stored nothing is an ordinary end: no endless requeueing.
        assertThat(m1.report(TestAgent.ended(second, AttemptOutcome.EXITED, 42, 5, 5.0)))
                .singleElement()
                .satisfies(r -> assertThat(r.accepted()).isTrue());
        JobView done = show(alice, id);
        assertThat(done.state()).isEqualTo("completed");
        assertThat(done.result().exitCode()).isEqualTo(42);
        assertThat(done.result().lostCpuSeconds()).isZero();
        assertThat(events(id))
                .filteredOn(e -> e.type().equals("exited"))
                .singleElement()
                .satisfies(
                        e -> assertThat(e.message()).startsWith("exit code 42").contains("stored no checkpoint"));
    }

    @Test
    void aJobThatMerelyExitsWithTheDefaultCodeCompletesAsBefore() {
        TestAgent m1 = c.agent("m1", 4);
        long id = submit(sleeper(null, null));
        WorkAssignment w = m1.work(10_000).get(0);
        m1.report(TestAgent.exited(w, 85));
        assertThat(show(alice, id).state()).isEqualTo("completed");
        assertThat(show(alice, id).result().exitCode()).isEqualTo(85);
    }

    @Test
    void cpuTimeComputedPastTheLastCheckpointIsCountedAsLost() {
        TestAgent m1 = c.agent("m1", 1);
        long id = submit(sleeper(10, null));

        // 1: vacated; the agent says 30 of its 100 CPU-seconds came after its last checkpoint.
        WorkAssignment a1 = m1.work(10_000).get(0);
        m1.report(TestAgent.ended(a1, AttemptOutcome.VACATED, null, 100, 30.0));
        // 2: killed without being asked, by an agent that does not track checkpoints: all 50 lost.
        WorkAssignment a2 = m1.work(10_000).get(0);
        m1.report(TestAgent.ended(a2, AttemptOutcome.KILLED, null, 50, null));
        assertThat(show(alice, id).result().lostCpuSeconds()).isEqualTo(80.0);

        // 3: the agent beats with its figure, then falls silent: the last figure is what is lost.
        WorkAssignment a3 = m1.work(10_000).get(0);
        m1.beat(List.of(new AttemptStatus(a3.jobId(), a3.attempt(), a3.fencingToken(), AttemptRunState.RUNNING, 7.0)));
        c.tick(c.lease().plusSeconds(1));
        assertThat(show(alice, id).state()).isEqualTo("queued");
        assertThat(show(alice, id).result().lostCpuSeconds()).isEqualTo(87.0);

        // 4: an agent that never gives a figure, heard from 10 s after the start: at most 10 s x 1 CPU.
        m1.beat(List.of());
        WorkAssignment a4 = m1.work(10_000).get(0);
        c.clock.advance(Duration.ofSeconds(10));
        m1.beat(List.of(new AttemptStatus(a4.jobId(), a4.attempt(), a4.fencingToken(), AttemptRunState.RUNNING)));
        c.tick(c.lease().plusSeconds(1));
        assertThat(show(alice, id).state()).isEqualTo("queued");
        assertThat(show(alice, id).result().lostCpuSeconds()).isEqualTo(97.0);

        // 5: cancelled: its attempt is killed because a user asked, which is not a loss to count.
        m1.beat(List.of());
        WorkAssignment a5 = m1.work(10_000).get(0);
        alice.post("/api/v1/jobs/" + id + "/cancel", null);
        m1.report(TestAgent.ended(a5, AttemptOutcome.KILLED, null, 40, 40.0));
        JobView v = show(alice, id);
        assertThat(v.state()).isEqualTo("cancelled");
        assertThat(v.result().lostCpuSeconds()).isEqualTo(97.0);
        assertThat(alice.get("/api/v1/jobs?state=cancelled")
                        .json()
                        .path("jobs")
                        .get(0)
                        .path("lostCpuSeconds")
                        .asDouble())
                .isEqualTo(97.0);
    }

    @Test
    void aFinishedJobsCheckpointIsDeleted() {
        TestAgent m1 = c.agent("m1", 4);
        long done = submit(sleeper(null, null));
        long cancelled = submit(sleeper(null, null));
        List<WorkAssignment> ws = m1.work(10_000);
        if (ws.size() < 2)
            ws = Stream.concat(ws.stream(), m1.work(10_000).stream()).toList();
        WorkAssignment wDone =
                ws.stream().filter(w -> w.jobId() == done).findFirst().orElseThrow();
        WorkAssignment wCancelled =
                ws.stream().filter(w -> w.jobId() == cancelled).findFirst().orElseThrow();
        assertThat(m1.putCheckpoint(wDone, bytes(100, 10)).status()).isEqualTo(200);
        assertThat(m1.putCheckpoint(wCancelled, bytes(100, 11)).status()).isEqualTo(200);

        m1.report(TestAgent.exited(wDone, 0));
        alice.post("/api/v1/jobs/" + cancelled + "/cancel", null);

        assertThat(checkpointsOf(done)).as("kept until the sweep").exists();
        assertThat(c.periodicWork().deleteFinishedCheckpoints()).isEqualTo(2);
        assertThat(checkpointsOf(done)).doesNotExist();
        assertThat(checkpointsOf(cancelled)).doesNotExist();
        assertThat(show(alice, done).checkpoints().storedBytes()).isNull();
        assertThat(show(alice, cancelled).checkpoints().storedBytes()).isNull();
    }

    @Test
    void checkpointsSurviveARestartAndUnnamedFilesDoNot() throws Exception {
        TestAgent m1 = c.agent("m1", 4);
        long id = submit(sleeper(null, null));
        WorkAssignment first = m1.work(10_000).get(0);
        byte[] saved = bytes(5000, 12);
        assertThat(m1.putCheckpoint(first, saved).status()).isEqualTo(200);
        m1.report(TestAgent.ended(first, AttemptOutcome.VACATED, null, 10, 0.0));
        // Garbage a crash could leave: an upload cut short, and an archive no row names.
        Files.write(checkpointsOf(id).resolve(".99-cut.part"), bytes(10, 13));
        Files.write(checkpointsOf(id).resolve("99-orphan.tar"), bytes(10, 14));
        Files.createDirectories(checkpointsOf(424242));
        Files.write(checkpointsOf(424242).resolve("1-x.tar"), bytes(10, 15));

        c.restart();

        assertThat(filesIn(checkpointsOf(id))).hasSize(1).noneMatch(n -> n.contains("cut") || n.contains("orphan"));
        assertThat(checkpointsOf(424242)).doesNotExist();
        m1.beat(List.of());
        WorkAssignment second = m1.work(10_000).get(0);
        assertThat(second.hasCheckpoint()).isTrue();
        assertThat(m1.getCheckpoint(second).bytes()).isEqualTo(saved);
    }

    @Test
    void periodicCheckpointsReachTheAgent() {
        TestAgent m1 = c.agent("m1", 4);
        long id = submit(JobSubmission.builder()
                .command(List.of("/bin/true"))
                .checkpointEvery("30m")
                .build());
        WorkAssignment w = m1.work(10_000).get(0);
        assertThat(w.checkpointEverySeconds()).isEqualTo(1800L);
        assertThat(show(alice, id).checkpoints().everySeconds()).isEqualTo(1800L);

        ApiClient.Reply bad = alice.post(
                "/api/v1/jobs",
                JobSubmission.builder()
                        .command(List.of("/bin/true"))
                        .checkpointEvery("10s")
                        .build());
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.field()).isEqualTo("checkpointEvery");
    }

    @Test
    void criuAvailabilityIsShownPerMachine() {
        ApiClient enroller = new ApiClient(c.url(), c.coordinator().enrollToken());
        EnrollReply r = enroller.post(
                "/api/v1/agents/enroll",
                new EnrollRequest("m9", 2, 1L << 30, "nice-only", null, "test", "unavailable: criu check failed: vdso"),
                EnrollReply.class);
        ApiClient agent = new ApiClient(c.url(), r.agentToken());
        assertThat(alice.get("/api/v1/machines/m9", MachineView.class).criu())
                .isEqualTo("unavailable: criu check failed: vdso");
        // A heartbeat that does not say keeps what the machine said.
        agent.post("/api/v1/agents/m9/heartbeat", new Heartbeat(2, 1L << 30, "nice-only", null, List.of()));
        assertThat(alice.get("/api/v1/machines/m9", MachineView.class).criu())
                .isEqualTo("unavailable: criu check failed: vdso");
        agent.post(
                "/api/v1/agents/m9/heartbeat", new Heartbeat(2, 1L << 30, "nice-only", null, List.of(), "available"));
        assertThat(alice.get("/api/v1/machines/m9", MachineView.class).criu()).isEqualTo("available");
    }

    @Test
    void reportsWithABadFigureAreRefusedByField() {
        TestAgent m1 = c.agent("m1", 4);
        submit(sleeper(null, null));
        WorkAssignment w = m1.work(10_000).get(0);
        ApiClient.Reply r = m1.api.post(
                m1.path("/reports"),
                new org.cyphon.core.protocol.ReportBatch(
                        List.of(TestAgent.ended(w, AttemptOutcome.VACATED, null, 1, -1.0))));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.field()).isEqualTo("reports[0].cpuSecondsSinceCheckpoint");
        List<ReportResult> ok = m1.report(TestAgent.ended(w, AttemptOutcome.VACATED, null, 1, 1.0));
        assertThat(ok).singleElement().satisfies(x -> assertThat(x.accepted()).isTrue());
    }
}
