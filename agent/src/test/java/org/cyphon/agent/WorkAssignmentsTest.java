package org.cyphon.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import org.cyphon.agent.checkpoint.CheckpointArchive;
import org.cyphon.core.job.AttemptOutcome;
import org.cyphon.core.job.AttemptRunState;
import org.cyphon.core.protocol.AttemptReport;
import org.cyphon.core.protocol.AttemptStatus;
import org.cyphon.core.protocol.WorkAssignment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the agent does with each work assignment the coordinator hands it: the job runs in the real
 * sandbox and is reported as it ended, after its output; a re-sent assignment runs once; a job that
 * cannot start, and one that arrives as the agent leaves, are reported at once; a job's checkpoint
 * is restored before it starts.
 */
class WorkAssignmentsTest {
    @TempDir
    Path tmp;

    private TestDesk desk;

    @AfterEach
    void stop() throws Exception {
        if (desk != null) desk.close();
    }

    @Test
    void aJobRunsInTheSandboxAndIsReportedAsItExitedAfterItsOutput() throws Exception {
        desk = new TestDesk(tmp, "preset = \"dedicated\"");
        WorkAssignment w =
                desk.job(1, "echo hello; echo \"cpus $CYPHON_CPUS on $CYPHON_MACHINE\"; echo oops >&2; exit 3");

        desk.assign(w);
        desk.awaitEnded(w);
        LocalAttempt a = desk.attempt(w);
        desk.agent.heartbeats().beat();
        assertThat(desk.coordinator.lastBeat().attempts())
                .as("held until the coordinator has its report: the lease is kept meanwhile")
                .extracting(AttemptStatus::fencingToken)
                .containsExactly(w.fencingToken());
        desk.agent.heartbeats().sendReports();

        AttemptReport r = desk.reportOf(w);
        assertThat(r.outcome()).isEqualTo(AttemptOutcome.EXITED);
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(desk.coordinator.output(w.fencingToken(), "stdout"))
                .isEqualTo("hello\ncpus 0.5 on " + desk.name + "\n");
        assertThat(desk.coordinator.output(w.fencingToken(), "stderr")).isEqualTo("oops\n");
        assertThat(desk.agent.attemptCount()).as("forgotten once reported").isZero();
        assertThat(a.workDir).doesNotExist();
        assertThat(a.stdout).doesNotExist();
    }

    @Test
    void anAssignmentSentAgainAfterACoordinatorRestartRunsOnce() throws Exception {
        desk = new TestDesk(tmp, "preset = \"dedicated\"");
        // Each run appends to the attempt's stdout (a job cannot write to the desk's /tmp any more: it has its own).
        WorkAssignment w = desk.job(2, "echo run");

        desk.assign(w);
        desk.assign(w);
        desk.awaitEnded(w);
        desk.agent.heartbeats().sendReports();

        assertThat(desk.coordinator.output(w.fencingToken(), "stdout")).isEqualTo("run\n");
        assertThat(desk.coordinator.reports()).hasSize(1);
    }

    @Test
    void secretVariablesReachTheJobsEnvironmentAndNoLog() throws Exception {
        desk = new TestDesk(tmp, "preset = \"dedicated\"");
        WorkAssignment w = new WorkAssignment(
                4,
                1,
                8,
                "secret",
                "alice",
                java.util.List.of("/bin/sh", "-c", "echo \"key=$API_KEY mode=$MODE\""),
                java.util.Map.of("MODE", "plain"),
                0,
                0.5,
                64L << 20,
                null,
                null,
                85,
                false,
                java.util.Map.of("API_KEY", "s3cr3t-agent-9b"),
                null,
                null,
                null,
                null);
        assertThat(w.toString()).doesNotContain("s3cr3t-agent-9b").contains("API_KEY");

        desk.assign(w);
        desk.awaitEnded(w);
        desk.agent.heartbeats().sendReports();

        assertThat(desk.reportOf(w).exitCode()).isZero();
        assertThat(desk.coordinator.output(w.fencingToken(), "stdout")).isEqualTo("key=s3cr3t-agent-9b mode=plain\n");
    }

    @Test
    void aJobThatCannotStartIsReportedFailedToStartWithTheReason() throws Exception {
        desk = new TestDesk(tmp, "preset = \"dedicated\"");
        WorkAssignment w = new WorkAssignment(
                3,
                1,
                7,
                "missing",
                "alice",
                java.util.List.of("/no/such/program"),
                java.util.Map.of(),
                0,
                0.5,
                64L << 20,
                null,
                null,
                85,
                false,
                null,
                null,
                null,
                null,
                null);

        desk.assign(w);
        desk.awaitEnded(w);
        desk.agent.heartbeats().sendReports();

        AttemptReport r = desk.reportOf(w);
        assertThat(r.outcome()).isEqualTo(AttemptOutcome.FAILED_TO_START);
        assertThat(r.message()).contains("/no/such/program");
    }

    @Test
    void anAssignmentThatArrivesAsTheAgentLeavesIsHandedBackUnstarted() throws Exception {
        desk = new TestDesk(tmp, "preset = \"dedicated\"");
        WorkAssignment w = desk.job(4, "echo ran > " + tmp.resolve("ran"));
        desk.agent.close();

        desk.assign(w);
        desk.agent.heartbeats().sendReports();

        AttemptReport r = desk.reportOf(w);
        assertThat(r.outcome()).as("requeued without using an attempt").isEqualTo(AttemptOutcome.VACATED);
        assertThat(r.message()).isEqualTo("agent shutting down");
        assertThat(desk.coordinator.lastBeat().desk().mayStart())
                .as("the shutdown was announced first")
                .isFalse();
        assertThat(tmp.resolve("ran")).doesNotExist();
    }

    @Test
    void aJobStartsFromItsLastCheckpointAndIsToldWhereItLives() throws Exception {
        desk = new TestDesk(tmp, "preset = \"dedicated\"");
        Path saved = Files.createDirectory(tmp.resolve("saved"));
        Files.writeString(saved.resolve("state"), "41 861\n");
        Path archive = tmp.resolve("saved.tar");
        CheckpointArchive.pack(saved, archive, 1 << 20);
        WorkAssignment w = desk.job(5, "cat \"$CYPHON_CHECKPOINT_DIR/state\"", 3600L, true);
        desk.coordinator.offerCheckpoint(w.fencingToken(), archive);

        desk.assign(w);
        desk.awaitEnded(w);
        desk.agent.heartbeats().sendReports();

        assertThat(desk.reportOf(w).exitCode()).isZero();
        assertThat(desk.coordinator.output(w.fencingToken(), "stdout")).isEqualTo("41 861\n");
    }

    @Test
    void aJobThatExitsWithTheCheckpointCodeHasItsLastCheckpointStoredBeforeItsReport() throws Exception {
        desk = new TestDesk(tmp, "preset = \"dedicated\"");
        WorkAssignment w = desk.job(6, "echo 7 > \"$CYPHON_CHECKPOINT_DIR/state\"; exit 85", 3600L, false);

        desk.assign(w);
        desk.awaitEnded(w);
        Path stored = desk.coordinator.uploadedCheckpoint(w.fencingToken());
        assertThat(stored).as("stored before the report is ready").isNotNull();
        assertThat(stored.resolve("state")).hasContent("7");
        desk.agent.heartbeats().sendReports();
        assertThat(desk.reportOf(w).outcome()).isEqualTo(AttemptOutcome.EXITED);
        assertThat(desk.reportOf(w).exitCode()).isEqualTo(85);
    }

    @Test
    void theHeartbeatSaysHowManyJobsTheDeskTakesItsFreeDiskAndEveryWall() throws Exception {
        desk = new TestDesk(tmp, "preset = \"dedicated\"");
        WorkAssignment w =
                withDisk(desk.job(9, "head -c 3000000 /dev/zero > blob; touch written; exec sleep 1000"), 1L << 30);
        desk.assign(w);
        desk.awaitStarted(w);
        await().atMost(TestDesk.PATIENCE).until(() -> desk.attempt(w).job().diskBytesUsed() >= 3_000_000);

        desk.agent.heartbeats().beat();

        var beat = desk.coordinator.lastBeat();
        assertThat(beat.maxJobs()).isEqualTo(4);
        // The free space (which other builds on this machine move at will) plus what the running
        // --disk job wrote: the coordinator reserves its whole request meanwhile.
        assertThat(desk.agent.jobRoom().writtenByDiskJobs()).isEqualTo(3_000_000);
        assertThat(beat.diskFreeBytes()).isGreaterThan(3_000_000);
        assertThat(beat.walls())
                .extracting(org.cyphon.core.protocol.WallView::name)
                .containsExactly("namespaces", "pids.max", "disk limit", "network none", "job accounts", "max jobs");
        assertThat(beat.walls()).allSatisfy(wall -> assertThat(wall.detail()).isNotBlank());
        assertThat(beat.walls().get(4).built())
                .as("a root agent gives jobs accounts of their own")
                .isTrue();
    }

    private static WorkAssignment withDisk(WorkAssignment w, long diskBytes) {
        return new WorkAssignment(
                w.jobId(),
                w.attempt(),
                w.fencingToken(),
                w.name(),
                w.owner(),
                w.command(),
                w.env(),
                w.index(),
                w.cpus(),
                w.memoryBytes(),
                w.runtimeSeconds(),
                w.checkpointEverySeconds(),
                w.checkpointExitCode(),
                w.hasCheckpoint(),
                w.secretEnv(),
                diskBytes,
                "host",
                null,
                null);
    }

    @Test
    void theHeartbeatListsARunningAttemptAsRunningWhileItRuns() throws Exception {
        desk = new TestDesk(tmp, "preset = \"dedicated\"");
        WorkAssignment w = desk.job(8, "exec sleep 1000");
        desk.assign(w);
        desk.awaitStarted(w);

        desk.agent.heartbeats().beat();

        AttemptStatus s = desk.coordinator.lastBeat().attempts().getFirst();
        assertThat(s.fencingToken()).isEqualTo(w.fencingToken());
        assertThat(s.state()).isEqualTo(AttemptRunState.RUNNING);
        await().atMost(TestDesk.PATIENCE).until(() -> Files.exists(desk.stateDir.resolve(OwnerStatusFile.NAME)));
        assertThat(OwnerStatusFile.read(desk.stateDir).orElseThrow().jobs()).containsExactly("job 8: running");
    }
}
