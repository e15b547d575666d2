package org.cyphon.agent.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Asking real shell jobs for checkpoints with real signals: one that saves and leaves on TERM, one
 * that saves and carries on on USR1, one that ignores the request.
 */
class CheckpointRequestTest {
    @TempDir
    Path work;

    Process job;

    @AfterEach
    void killJob() throws Exception {
        if (job != null && job.isAlive()) {
            job.destroyForcibly();
            job.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Runs {@code sh -c script} with CYPHON_CHECKPOINT_DIR set, as the agent would, and waits until it has set its traps. */
    private Path start(String script) throws Exception {
        Path dir = CheckpointDir.create(work);
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", script)
                .directory(work.toFile())
                .redirectOutput(work.resolve("stdout").toFile())
                .redirectErrorStream(true);
        pb.environment().put(CheckpointDir.ENV, dir.toString());
        job = pb.start();
        Path ready = work.resolve("ready");
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> Files.exists(ready)); // the job set its traps
        return dir;
    }

    // Writes to a temporary name and renames: how a job should write a checkpoint, so it is never read half-written.
    private static final String SAVE =
            "echo \"step=$step\" > \"$CYPHON_CHECKPOINT_DIR/state.tmp\" && mv \"$CYPHON_CHECKPOINT_DIR/state.tmp\" \"$CYPHON_CHECKPOINT_DIR/state\"";

    @Test
    void aJobThatSavesAndLeavesOnTermIsSeenToExitWithItsFileWritten() throws Exception {
        Path dir = start("step=0; trap '" + SAVE.replace("'", "'\\''") + "; exit 85' TERM; touch ready; "
                + "while :; do step=$((step + 1)); sleep 0.05; done");
        CheckpointRequest request = new CheckpointRequest(Duration.ofSeconds(20), Duration.ofMillis(300));

        CheckpointRequest.Outcome outcome = request.ask("TERM", job.pid(), job.onExit(), dir);

        assertThat(outcome).isEqualTo(CheckpointRequest.Outcome.EXITED);
        assertThat(job.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(job.exitValue()).isEqualTo(85);
        assertThat(Files.readString(dir.resolve("state"))).startsWith("step=");
        assertThat(dir.resolve("state.tmp")).doesNotExist();
    }

    @Test
    void aJobThatSavesAndCarriesOnOnUsr1IsSeenToSettle() throws Exception {
        // It writes in two steps a little apart, as a real job writing several files would.
        Path dir = start("step=0; trap '" + SAVE.replace("'", "'\\''")
                + "; sleep 0.2; echo done > \"$CYPHON_CHECKPOINT_DIR/meta\"' USR1; "
                + "touch ready; while :; do step=$((step + 1)); sleep 0.05; done");
        CheckpointRequest request = new CheckpointRequest(Duration.ofSeconds(20), Duration.ofMillis(1500));

        CheckpointRequest.Outcome outcome = request.ask("usr1", job.pid(), job.onExit(), dir);

        assertThat(outcome).isEqualTo(CheckpointRequest.Outcome.SETTLED);
        assertThat(job.isAlive()).as("asked to save, not to leave").isTrue();
        assertThat(dir.resolve("state")).exists();
        assertThat(dir.resolve("meta"))
                .as("settled only after the whole checkpoint was written")
                .exists();
    }

    @Test
    void aJobThatIgnoresTheRequestRunsOutTheGracePeriod() throws Exception {
        Path dir = start("trap '' TERM; touch ready; while :; do sleep 0.05; done");
        CheckpointRequest request = new CheckpointRequest(Duration.ofMillis(800), Duration.ofMillis(200));

        assertThat(request.ask("TERM", job.pid(), job.onExit(), dir)).isEqualTo(CheckpointRequest.Outcome.TIMED_OUT);
        assertThat(job.isAlive()).isTrue();
        assertThat(DirFingerprint.of(dir).hasFiles()).isFalse();
    }

    @Test
    void aJobAlreadyGoneIsNotSignalled() throws Exception {
        Path dir = start("touch ready; exit 3");
        assertThat(job.waitFor(10, TimeUnit.SECONDS)).isTrue();
        CheckpointRequest request = new CheckpointRequest(Duration.ofSeconds(5), Duration.ofMillis(200));
        assertThat(request.ask("TERM", job.pid(), job.onExit(), dir)).isEqualTo(CheckpointRequest.Outcome.EXITED);
    }
}
