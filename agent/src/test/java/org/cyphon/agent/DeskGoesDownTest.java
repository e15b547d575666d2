package org.cyphon.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.cyphon.agent.sensors.TestLogind;
import org.cyphon.core.job.AttemptOutcome;
import org.cyphon.core.protocol.AttemptReport;
import org.cyphon.core.protocol.DeskView;
import org.cyphon.core.protocol.WorkAssignment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent when its desk goes down: a job leaving for a power-off has until the desk's time is up
 * to checkpoint, not the whole checkpoint grace; while the desk sleeps it takes no work, and after
 * the resume it takes work again and holds its delay lock again. Real jobs in the real sandbox, a
 * real test logind on a private bus; the coordinator is the agent tests' fake one.
 */
class DeskGoesDownTest {
    @TempDir
    Path tmp;

    private TestDesk desk;
    private TestLogind logind;

    @AfterEach
    void stop() throws Exception {
        try {
            if (desk != null) desk.close();
        } finally {
            if (logind != null) logind.close();
        }
    }

    @Test
    void aJobThatDoesNotAnswerIsKilledWhenTheDesksTimeIsUpNotAfterTheWholeGrace() throws Exception {
        desk = new TestDesk(tmp, "preset = \"dedicated\""); // checkpoint grace 20 s
        WorkAssignment w = desk.job(7, "trap '' TERM; echo > ignoring; while :; do sleep 0.1; done", 3600L, false);
        desk.assign(w);
        desk.awaitStarted(w);
        Path ignoring = desk.attempt(w).workDir.resolve("ignoring");
        await().atMost(TestDesk.PATIENCE).until(() -> java.nio.file.Files.exists(ignoring));

        long began = System.nanoTime();
        desk.agent
                .ownerFirst()
                .vacate(
                        desk.attempt(w),
                        "the desk is shutting down",
                        Instant.now().plusSeconds(1));
        desk.awaitEnded(w);
        Duration took = Duration.ofNanos(System.nanoTime() - began);
        desk.agent.heartbeats().sendReports();

        assertThat(took).isBetween(Duration.ofMillis(900), Duration.ofSeconds(10));
        AttemptReport r = desk.reportOf(w);
        assertThat(r.outcome()).isEqualTo(AttemptOutcome.VACATED);
        assertThat(r.message()).isEqualTo("the desk is shutting down");
    }

    @Test
    void whileTheDeskSleepsNoWorkIsTakenAndAfterTheResumeItIsAgain() throws Exception {
        logind = TestLogind.start(Duration.ofSeconds(10));
        desk = new TestDesk(tmp, "preset = \"dedicated\"", logind.address());
        await().atMost(TestDesk.PATIENCE).until(() -> logind.shutdownDelayLocks() == 1);
        assertThat(desk.agent.powerView().delayLock()).isTrue();
        assertThat(desk.agent.powerView().delayMaxMillis()).isEqualTo(10_000L);

        TestLogind.Wait w = logind.announceSleep();
        assertThat(w.released()).isTrue();
        assertThat(w.waited()).isLessThan(Duration.ofSeconds(10));

        WorkAssignment during = desk.job(8, "echo should not run");
        desk.assign(during);
        desk.awaitEnded(during);
        desk.agent.heartbeats().beat();
        DeskView asleep = desk.coordinator.lastBeat().desk();
        assertThat(asleep.mayStart()).isFalse();
        assertThat(asleep.reasons()).contains("the desk is going to sleep: takes no new work");
        desk.agent.heartbeats().sendReports();
        assertThat(desk.reportOf(during).outcome())
                .as("handed straight back, unstarted")
                .isEqualTo(AttemptOutcome.VACATED);

        logind.announceResume();
        await().atMost(TestDesk.PATIENCE).until(() -> logind.shutdownDelayLocks() == 1);
        await().atMost(TestDesk.PATIENCE).until(() -> {
            desk.agent.heartbeats().beat();
            return desk.coordinator.lastBeat().desk().mayStart();
        });
        WorkAssignment after = desk.job(9, "echo ran");
        desk.assign(after);
        desk.awaitEnded(after);
        desk.agent.heartbeats().sendReports();
        assertThat(desk.reportOf(after).outcome()).isEqualTo(AttemptOutcome.EXITED);
    }
}
