package org.cyphon.agent;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executor;
import org.cyphon.agent.checkpoint.CheckpointRequest;
import org.cyphon.agent.sandbox.LingerLimits;
import org.cyphon.agent.sandbox.RunningJob;
import org.cyphon.core.policy.Action;
import org.cyphon.core.policy.AttemptLifecycle.Effect;
import org.cyphon.core.policy.AttemptLifecycle.Transition;
import org.cyphon.core.policy.AttemptState;
import org.cyphon.core.policy.LingerCaps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out on a job what a transition of core's {@code AttemptLifecycle} asks for: nothing here
 * decides. Freezing, thawing and the linger caps happen at once, on the caller's thread (a sensor's,
 * so input freezes work within milliseconds); asking for a checkpoint and killing take time and run
 * in the background.
 *
 * <p>One line per change is logged, "job 7 attempt 1: frozen (why)"; {@code bench}'s
 * {@code OwnerJobStates} and the end-to-end tests read these lines.
 */
final class AttemptEffects {
    private static final Logger log = LoggerFactory.getLogger(AttemptEffects.class);

    private final Executor background;

    AttemptEffects(Executor background) {
        this.background = background;
    }

    /** Caller holds {@code a}'s monitor, so no other transition of it interleaves. */
    void carryOut(LocalAttempt a, RunningJob job, Transition t) {
        String why = String.join("; ", t.decision().reasons());
        AttemptState was = t.from().state();
        AttemptState now = t.to().state();
        for (Effect e : t.effects()) {
            switch (e) {
                // Limits before the thaw (the lifecycle orders them so): a job let loose beside the
                // owner must not get a burst in first.
                case SET_LINGER_CAPS -> job.linger(lingerLimits(t.caps(), a));
                case LIFT_LINGER_CAPS -> job.linger(null);
                case FREEZE -> job.freeze();
                case THAW -> job.thaw();
                case SIGNAL_CHECKPOINT, KILL -> {} // below, once the change is logged
            }
        }
        long jobId = a.work.jobId();
        int attempt = a.work.attempt();
        if (t.has(Effect.FREEZE)) log.info("job {} attempt {}: frozen ({})", jobId, attempt, why);
        if (t.has(Effect.THAW) && now != AttemptState.VACATING)
            log.info("job {} attempt {}: thawed, {} ({})", jobId, attempt, now.celName(), why);
        if (was != now && was != AttemptState.FROZEN && now == AttemptState.LINGERING)
            log.info("job {} attempt {}: lingering beside the owner ({})", jobId, attempt, why);
        if (was == AttemptState.LINGERING && now == AttemptState.RUNNING)
            log.info("job {} attempt {}: running, the owner has left ({})", jobId, attempt, why);
        if (t.decision().action() == Action.CHECKPOINT_AND_VACATE && was != AttemptState.VACATING)
            log.info("job {} attempt {}: checkpoint and vacate ({})", jobId, attempt, why);
        if (t.decision().action() == Action.KILL && t.changed())
            log.info("job {} attempt {}: kill ({})", jobId, attempt, why);
        if (t.has(Effect.SIGNAL_CHECKPOINT)) background.execute(() -> checkpointAndLeave(a, job));
        if (t.has(Effect.KILL)) background.execute(job::kill); // kill() waits for the tree to die
    }

    /**
     * Asks a leaving job to checkpoint and exit (the lifecycle has thawed it), and kills it if it
     * has not exited within the checkpoint grace, or by the time the desk going down allows
     * ({@link LocalAttempt#answerBy}); the desk policy's KILL may come sooner.
     */
    private void checkpointAndLeave(LocalAttempt a, RunningJob job) {
        // A job that ended on its own before it was asked has finished its work: its exit is its own,
        // and it must not be requeued to run again as a vacated attempt.
        if (job.exit().isDone() || !alive(job.pid())) return;
        if (!a.asking()) return; // stopped by the coordinator meanwhile: that stop kills it
        try {
            Instant answerBy = a.answerBy();
            Duration atMost = answerBy == null ? null : Duration.between(Instant.now(), answerBy);
            if (atMost != null && atMost.isNegative()) atMost = Duration.ZERO;
            if (a.checkpoints.askBeforeVacate(job.pid(), job.exit(), atMost) == CheckpointRequest.Outcome.EXITED)
                return;
        } catch (IOException e) {
            log.warn(
                    "job {} attempt {}: checkpoint request failed: {}",
                    a.work.jobId(),
                    a.work.attempt(),
                    e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        job.kill();
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /**
     * The policy's caps for one job: its share of the lingering memory is the same fraction of its
     * own limit (placement keeps the limits within what the agent offers, so together the lingering
     * jobs stay within that fraction of it), and the I/O rate per job.
     */
    static LingerLimits lingerLimits(LingerCaps caps, LocalAttempt a) {
        double fraction = Math.clamp(caps.memoryFraction(), 0.01, 1.0);
        return new LingerLimits(Math.max(1, (long) (fraction * a.work.memoryBytes())), caps.ioBytesPerSecond());
    }
}
