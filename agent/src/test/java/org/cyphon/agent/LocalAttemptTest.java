package org.cyphon.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.cyphon.agent.checkpoint.AttemptCheckpoints;
import org.cyphon.agent.checkpoint.CheckpointSettings;
import org.cyphon.agent.checkpoint.CheckpointTransfer;
import org.cyphon.agent.sandbox.JobExit;
import org.cyphon.agent.sandbox.LaunchSpec;
import org.cyphon.agent.sandbox.RunningJob;
import org.cyphon.agent.sandbox.Sandbox;
import org.cyphon.agent.sandbox.SandboxSettings;
import org.cyphon.agent.sandbox.Sandboxes;
import org.cyphon.core.job.AttemptOutcome;
import org.cyphon.core.job.AttemptRunState;
import org.cyphon.core.policy.Action;
import org.cyphon.core.policy.Decision;
import org.cyphon.core.protocol.AttemptReport;
import org.cyphon.core.protocol.WorkAssignment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One attempt's phases on the agent, with real jobs (the nice-only sandbox: no cgroups to clean):
 * what it is reported as depends on how it got where it ended, and nothing else.
 */
class LocalAttemptTest {
    @TempDir
    Path tmp;

    private final Sandbox sandbox =
            Sandboxes.detect(new SandboxSettings(Path.of("/sys/fs/cgroup"), "cyphon-unused", "nice-only"));
    private RunningJob job;

    @AfterEach
    void killTheJob() throws Exception {
        if (job != null) {
            job.kill();
            job.exit().get(60, TimeUnit.SECONDS);
        }
    }

    private LocalAttempt attempt(Long checkpointEverySeconds) throws Exception {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        WorkAssignment w = new WorkAssignment(
                7,
                1,
                70,
                "t",
                "alice",
                List.of("true"),
                Map.of(),
                0,
                1,
                64L << 20,
                null,
                checkpointEverySeconds,
                85,
                false,
                null,
                null,
                null,
                null,
                null);
        Path work = Files.createDirectories(tmp.resolve("work"));
        CheckpointTransfer transfer =
                new CheckpointTransfer(new FakeCoordinator(Clock.systemUTC(), tmp), tmp.resolve("scratch"), 1 << 20);
        return new LocalAttempt(
                w,
                work,
                tmp.resolve("out"),
                tmp.resolve("err"),
                new AttemptCheckpoints(w, work, transfer, CheckpointSettings.DEFAULTS));
    }

    private RunningJob start(String script) throws Exception {
        job = sandbox.start(new LaunchSpec(
                "j7-a1",
                List.of("sh", "-c", script),
                Map.of("PATH", "/usr/bin:/bin"),
                tmp.resolve("work"),
                tmp.resolve("out"),
                tmp.resolve("err"),
                1000,
                64L << 20,
                null));
        return job;
    }

    private static Decision decision(Action a) {
        return new Decision(a, List.of("the test says so"), null, null);
    }

    @Test
    void aStopThatComesWhileTheJobIsLaunchingKillsItOnceStartedAndItIsReportedKilled() throws Exception {
        LocalAttempt a = attempt(null);
        assertThat(a.stop("cancelled")).as("no job to kill yet").isNull();
        assertThat(a.phase()).isEqualTo(new LocalAttempt.StopOnStart("cancelled"));

        RunningJob j = start("exec sleep 1000");
        assertThat(a.started(j, Instant.now())).as("kill it at once, and why").isEqualTo("cancelled");
        assertThat(a.decidable())
                .as("the policy has no say over a stopping job")
                .isNull();
        j.kill();
        JobExit exit = j.exit().get(60, TimeUnit.SECONDS);

        AttemptReport r = a.toReport(exit);
        assertThat(r.outcome()).isEqualTo(AttemptOutcome.KILLED);
        assertThat(r.message()).isEqualTo("cancelled");
        assertThat(a.keepsCheckpoint(exit)).isFalse();
    }

    @Test
    void aJobThatEndsOnItsOwnBeforeItIsAskedToLeaveIsReportedAsItExited() throws Exception {
        LocalAttempt a = attempt(3600L);
        RunningJob j = start("exit 0");
        assertThat(a.started(j, Instant.now())).isNull();
        a.decide(decision(Action.CHECKPOINT_AND_VACATE), Instant.now());
        assertThat(a.phase()).isInstanceOf(LocalAttempt.Vacating.class);
        JobExit exit = j.exit().get(60, TimeUnit.SECONDS);

        assertThat(a.toReport(exit).outcome())
                .as("it had finished: requeuing it would run it twice")
                .isEqualTo(AttemptOutcome.EXITED);
        assertThat(a.asking()).isTrue();
        assertThat(a.toReport(exit).outcome())
                .as("once asked, its end is the vacate's")
                .isEqualTo(AttemptOutcome.VACATED);
    }

    @Test
    void theDeskPolicysKillOfARunningJobIsAVacateAndTheStopThatFollowsWins() throws Exception {
        LocalAttempt a = attempt(null);
        RunningJob j = start("exec sleep 1000");
        a.started(j, Instant.now());

        var t = a.decide(decision(Action.KILL), Instant.now());
        assertThat(t.to().killed()).isTrue();
        assertThat(a.phase()).isInstanceOf(LocalAttempt.Vacating.class);
        assertThat(((LocalAttempt.Vacating) a.phase()).reason())
                .isEqualTo("killed by the desk policy: the test says so");
        assertThat(a.decidable()).as("killed: nothing more to decide").isNull();

        assertThat(a.stop("held")).isSameAs(j);
        assertThat(a.stoppingOrEnded()).isTrue();
        assertThat(a.stop("held again")).as("a second stop changes nothing").isNull();
    }

    @Test
    void aFrozenJobStaysListedSuspendedUntilItIsReported() throws Exception {
        LocalAttempt a = attempt(null);
        RunningJob j = start("exec sleep 1000");
        a.started(j, Instant.now());
        a.decide(decision(Action.FREEZE), Instant.now());
        assertThat(a.wireState()).isEqualTo(AttemptRunState.SUSPENDED);
        assertThat(a.policyStateName()).isEqualTo("frozen");

        j.kill();
        a.end(a.toReport(j.exit().get(60, TimeUnit.SECONDS)));

        assertThat(a.finished()).isTrue();
        assertThat(a.job()).isNull();
        assertThat(a.wireState()).isEqualTo(AttemptRunState.SUSPENDED);
        assertThat(a.report().outcome()).isEqualTo(AttemptOutcome.EXITED);
    }
}
