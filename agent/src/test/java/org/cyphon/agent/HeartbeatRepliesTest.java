package org.cyphon.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import org.cyphon.agent.client.CoordinatorRefusedException;
import org.cyphon.agent.config.AgentConfigLoader;
import org.cyphon.core.job.AttemptOutcome;
import org.cyphon.core.job.AttemptRunState;
import org.cyphon.core.owner.InputSeen;
import org.cyphon.core.protocol.AttemptRef;
import org.cyphon.core.protocol.AttemptReport;
import org.cyphon.core.protocol.EnrollRequest;
import org.cyphon.core.protocol.HeartbeatReply;
import org.cyphon.core.protocol.WorkAssignment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the agent does with each part of a heartbeat reply: a stop kills the job and reports it
 * killed; a vacate sends it away as the desk's own policy would (checkpoint first); the lease sets
 * the pace of beats with nothing new to say; the overload mode reaches the owner's status; entries for attempts it does not hold
 * change nothing. And what each beat says: a frozen job is listed suspended.
 */
class HeartbeatRepliesTest {
    @TempDir
    Path tmp;

    private TestDesk desk;

    @AfterEach
    void stop() throws Exception {
        if (desk != null) desk.close();
    }

    /**
     * Counts to 600, one a tenth of a second; on TERM saves where it is and exits 85 (checkpointed).
     * Says it is ready (its trap set) in {@code ready} of its working directory.
     */
    static final String COUNTER = """
            d=$CYPHON_CHECKPOINT_DIR
            i=0
            trap 'echo "$i" > "$d/state"; exit 85' TERM
            touch ready
            while [ "$i" -lt 600 ]; do i=$((i + 1)); sleep 0.1; done
            """;

    private static HeartbeatReply reply(List<AttemptRef> stop, List<AttemptRef> vacate) {
        return new HeartbeatReply(stop, Instant.now().plus(FakeCoordinator.LEASE), false, null, vacate);
    }

    private static AttemptRef ref(WorkAssignment w, String reason) {
        return new AttemptRef(w.jobId(), w.attempt(), w.fencingToken(), reason);
    }

    @Test
    void aStopKillsTheWholeJobAndItIsReportedKilledWithTheCoordinatorsReason() throws Exception {
        desk = new TestDesk(tmp, "preset = \"dedicated\"");
        WorkAssignment w = desk.job(1, "sleep 1000 & exec sleep 1000");
        desk.assign(w);
        desk.awaitStarted(w);

        desk.coordinator.replyNext(reply(List.of(ref(w, "cancelled")), List.of()));
        desk.agent.heartbeats().beat();
        desk.awaitEnded(w);
        desk.agent.heartbeats().sendReports();

        AttemptReport r = desk.reportOf(w);
        assertThat(r.outcome()).isEqualTo(AttemptOutcome.KILLED);
        assertThat(r.message()).isEqualTo("cancelled");
        assertThat(r.signal()).isEqualTo(9);
    }

    @Test
    void aVacateAsksTheJobToCheckpointStoresItAndReportsTheAttemptVacated() throws Exception {
        desk = new TestDesk(tmp, "preset = \"dedicated\"");
        WorkAssignment w = desk.job(2, COUNTER, 3600L, false);
        desk.assign(w);
        desk.awaitStarted(w);
        await().atMost(TestDesk.PATIENCE)
                .until(() -> Files.exists(desk.attempt(w).workDir.resolve("ready")));

        desk.coordinator.replyNext(reply(List.of(), List.of(ref(w, "preempted by job 9 (priority 5)"))));
        desk.agent.heartbeats().beat();
        assertThat(desk.attempt(w).policyStateName()).isEqualTo("vacating");
        desk.awaitEnded(w);

        Path stored = desk.coordinator.uploadedCheckpoint(w.fencingToken());
        assertThat(stored).as("its checkpoint is stored before it is reported").isNotNull();
        assertThat(stored.resolve("state")).content().matches("[0-9]+\\s*");
        desk.agent.heartbeats().sendReports();
        AttemptReport r = desk.reportOf(w);
        assertThat(r.outcome()).as("requeued from its checkpoint").isEqualTo(AttemptOutcome.VACATED);
        assertThat(r.message()).isEqualTo("preempted by job 9 (priority 5)");
        assertThat(r.exitCode()).isEqualTo(85);
    }

    @Test
    void aVacateOfAJobThatCannotCheckpointKillsItAtOnce() throws Exception {
        desk = new TestDesk(tmp, "preset = \"dedicated\"");
        WorkAssignment w = desk.job(3, "exec sleep 1000");
        desk.assign(w);
        desk.awaitStarted(w);

        desk.coordinator.replyNext(reply(List.of(), List.of(ref(w, "preempted"))));
        desk.agent.heartbeats().beat();
        desk.awaitEnded(w);
        desk.agent.heartbeats().sendReports();

        AttemptReport r = desk.reportOf(w);
        assertThat(r.outcome()).isEqualTo(AttemptOutcome.VACATED);
        assertThat(r.signal()).isEqualTo(9);
        assertThat(desk.coordinator.uploadedCheckpoint(w.fencingToken())).isNull();
    }

    @Test
    void aStopThatComesWhileTheJobLeavesWinsAndTheJobIsReportedKilled() throws Exception {
        desk = new TestDesk(tmp, "preset = \"dedicated\"");
        // Ignores the checkpoint signal: it would stay until the checkpoint grace ends.
        WorkAssignment w = desk.job(4, "trap '' TERM; touch ready; while :; do sleep 0.1; done", 3600L, false);
        desk.assign(w);
        desk.awaitStarted(w);
        await().atMost(TestDesk.PATIENCE)
                .until(() -> Files.exists(desk.attempt(w).workDir.resolve("ready")));
        desk.coordinator.replyNext(reply(List.of(), List.of(ref(w, "preempted"))));
        desk.agent.heartbeats().beat();

        desk.coordinator.replyNext(reply(List.of(ref(w, "held")), List.of()));
        desk.agent.heartbeats().beat();
        desk.awaitEnded(w);
        desk.agent.heartbeats().sendReports();

        AttemptReport r = desk.reportOf(w);
        assertThat(r.outcome()).isEqualTo(AttemptOutcome.KILLED);
        assertThat(r.message()).isEqualTo("held");
    }

    @Test
    void aLeavingJobThatIgnoresTheCheckpointSignalIsKilledWhenThePolicysVacateGraceEnds() throws Exception {
        // The checkpoint grace (20 s here) would end it too; the desk policy's vacate_grace comes first.
        desk = new TestDesk(tmp, "preset = \"dedicated\"\nvacate_grace = \"1s\"");
        WorkAssignment w = desk.job(9, "trap '' TERM; touch ready; while :; do sleep 0.1; done", 3600L, false);
        desk.assign(w);
        desk.awaitStarted(w);
        await().atMost(TestDesk.PATIENCE)
                .until(() -> Files.exists(desk.attempt(w).workDir.resolve("ready")));

        desk.coordinator.replyNext(reply(List.of(), List.of(ref(w, "preempted"))));
        desk.agent.heartbeats().beat();

        await().atMost(Duration.ofSeconds(12)).until(() -> desk.attempt(w).finished());
        desk.agent.heartbeats().sendReports();
        AttemptReport r = desk.reportOf(w);
        assertThat(r.outcome()).isEqualTo(AttemptOutcome.VACATED);
        assertThat(r.signal()).isEqualTo(9);
    }

    @Test
    void stopsAndVacatesForAttemptsTheAgentDoesNotHoldChangeNothing() throws Exception {
        desk = new TestDesk(tmp, "preset = \"dedicated\"");
        WorkAssignment w = desk.job(5, "exec sleep 1000");
        desk.assign(w);
        desk.awaitStarted(w);
        AttemptRef stranger = new AttemptRef(77, 1, 9999, "stale attempt");

        desk.coordinator.replyNext(reply(List.of(stranger), List.of(stranger)));
        desk.agent.heartbeats().beat();

        assertThat(desk.attempt(w).phase()).isInstanceOf(LocalAttempt.Running.class);
        assertThat(desk.agent.attemptCount()).isEqualTo(1);
    }

    @Test
    void theLeaseSetsTheIdlePaceAndTheOverloadModeReachesTheDesksStatus() throws Exception {
        desk = new TestDesk(tmp, "preset = \"dedicated\"");
        Instant overloadEnds = Instant.now().plus(Duration.ofHours(1));
        desk.coordinator.replyNext(new HeartbeatReply(
                List.of(), Instant.now().plus(Duration.ofSeconds(30)), false, overloadEnds, List.of()));

        desk.agent.heartbeats().beat();

        assertThat(desk.agent.heartbeats().every())
                .as("no attempt held: a third of the lease")
                .isBetween(Duration.ofSeconds(9), Duration.ofSeconds(10));
        assertThat(OwnerStatusFile.read(desk.stateDir).orElseThrow().overloadUntil())
                .isEqualTo(overloadEnds);
        desk.agent.heartbeats().beat();
        assertThat(desk.coordinator.lastBeat().desk().reasons()).contains("overload mode on until " + overloadEnds);

        WorkAssignment w = desk.job(6, "exec sleep 1000");
        desk.assign(w);
        desk.awaitStarted(w);
        desk.agent.heartbeats().beat();
        assertThat(desk.agent.heartbeats().every())
                .as("an attempt started since the last beat: news, the coordinator's interval")
                .isEqualTo(Duration.ofMillis(500));
        desk.agent.heartbeats().beat();
        assertThat(desk.agent.heartbeats().every())
                .as("the same attempt in the same state: a third of the (15 s) lease")
                .isBetween(Duration.ofMillis(4500), Duration.ofSeconds(5));
    }

    @Test
    void aFrozenJobIsListedSuspendedAndTheBeatSaysWhy() throws Exception {
        desk = new TestDesk(
                tmp,
                "preset = \"dedicated\"\nwhen_present = \"freeze\"\npresent_within = \"10m\"\nthaw_after_idle = \"10m\"");
        WorkAssignment w = desk.job(7, "exec sleep 1000");
        desk.assign(w);
        desk.awaitStarted(w);

        Instant now = Instant.now();
        desk.agent.ownerFirst().signal(new InputSeen("test-keyboard", now, now));

        assertThat(desk.attempt(w).wireState()).isEqualTo(AttemptRunState.SUSPENDED);
        assertThat(desk.attempt(w).policyStateName()).isEqualTo("frozen");
        desk.agent.heartbeats().beat();
        assertThat(desk.coordinator.lastBeat().attempts().getFirst().state()).isEqualTo(AttemptRunState.SUSPENDED);
        assertThat(desk.coordinator.lastBeat().desk().owner()).isEqualTo("present");
    }

    @Test
    void aCoordinatorThatNoLongerKnowsTheAgentIsEnrolledWithAgain() throws Exception {
        desk = new TestDesk(tmp, "preset = \"dedicated\"");
        assertThat(desk.coordinator.enrollments()).hasSize(1);
        Retry retry = new Retry(
                "desk", Duration.ofMillis(1), Duration.ofMillis(2), () -> true, d -> {}, new SplittableRandom(1));
        Enrollment enrollment = new Enrollment(
                AgentConfigLoader.load(tmp.resolve("agent.toml")),
                desk.coordinator,
                new EnrollRequest(desk.name, 2, 1L << 30, "nice-only", "", "0.1.0", "off", null, "UTC"),
                retry);

        enrollment.refused(
                "heartbeat", new CoordinatorRefusedException(401, "unknown agent token", null), retry.backoff());

        assertThat(desk.coordinator.enrollments()).hasSize(2);
        assertThat(enrollment.heartbeatEvery()).isEqualTo(Duration.ofMillis(500));
        assertThat(tmp.resolve("state/credentials")).exists();
    }
}
