package org.cyphon.agent;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.cyphon.agent.checkpoint.AttemptCheckpoints;
import org.cyphon.agent.checkpoint.CheckpointRequest;
import org.cyphon.agent.client.CoordinatorRefusedException;
import org.cyphon.agent.sandbox.RunningJob;
import org.cyphon.core.policy.AttemptState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's side of its jobs' checkpoints, around each attempt's {@link AttemptCheckpoints}: the
 * last checkpoint restored before the job starts, one asked for every {@code --checkpoint-every}
 * while it runs unfrozen, and the last one stored once it has left. Uploads and downloads wait out
 * an unreachable coordinator ({@link Retry}); a refusal ends them.
 */
final class JobCheckpoints {
    private static final Logger log = LoggerFactory.getLogger(JobCheckpoints.class);

    private final Retry retry;
    private final Shutdown shutdown;
    /** Sends a job's outputs after each checkpoint it stores; null: no file transfer. */
    private final AttemptFiles files;

    JobCheckpoints(Retry retry, Shutdown shutdown) {
        this(retry, shutdown, null);
    }

    JobCheckpoints(Retry retry, Shutdown shutdown, AttemptFiles files) {
        this.retry = retry;
        this.shutdown = shutdown;
        this.files = files;
    }

    /**
     * Restores the job's last checkpoint into its checkpoint directory, as the job's own account.
     *
     * @param as the account the job runs as; null: the agent's own user
     * @return the variables that tell the job where its checkpoint directory is
     * @throws IOException the checkpoint cannot be restored, or the agent stopped meanwhile
     */
    Map<String, String> restore(LocalAttempt a, org.cyphon.agent.sandbox.JobUser as) throws IOException {
        try {
            return retry.untilReached("checkpoint restore", () -> {
                try {
                    return a.checkpoints.prepare(as);
                } catch (CoordinatorRefusedException e) {
                    throw new IOException("cannot restore the checkpoint: " + e.getMessage(), e);
                } catch (org.cyphon.agent.checkpoint.UnsafeArchiveException e) {
                    // Nothing of it was written: the whole archive is read before any file is made.
                    throw new IOException("checkpoint refused, nothing restored: " + e.getMessage(), e);
                }
            });
        } catch (InterruptedException e) {
            throw new IOException("agent stopping", e);
        }
    }

    /** Asks a checkpointing job to save its state every {@code --checkpoint-every} while it runs unfrozen. */
    void askPeriodically(LocalAttempt a, RunningJob job) {
        Duration every = a.checkpoints.every();
        while (!shutdown.stopped() && !job.exit().isDone()) {
            try {
                Thread.sleep(every.toMillis());
                synchronized (a) {
                    if (!(a.phase() instanceof LocalAttempt.Running r)) return; // leaving, stopped or gone
                    if (r.life().state() == AttemptState.FROZEN) continue; // a frozen job cannot answer
                }
                var outcome = a.checkpoints.askPeriodic(job.pid(), job.exit());
                if (outcome != CheckpointRequest.Outcome.SETTLED) continue;
                var packed = a.checkpoints.packIfChanged(job.cpuSecondsSoFar());
                if (packed != null && store(a, packed) && files != null) {
                    // The results so far go with the checkpoint: a vacate after this loses neither.
                    files.ship(a, "checkpoint");
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                log.warn(
                        "job {} attempt {}: periodic checkpoint failed: {}",
                        a.work.jobId(),
                        a.work.attempt(),
                        e.getMessage());
            }
        }
    }

    /** @return whether it was stored */
    private boolean store(LocalAttempt a, AttemptCheckpoints.Packed packed) throws InterruptedException {
        try {
            retry.untilReached("checkpoint upload", () -> {
                a.checkpoints.store(packed);
                return null;
            });
            log.info("job {} attempt {}: checkpoint stored", a.work.jobId(), a.work.attempt());
            return true;
        } catch (CoordinatorRefusedException e) {
            log.warn("job {} attempt {}: checkpoint refused: {}", a.work.jobId(), a.work.attempt(), e.getMessage());
            return false;
        }
    }

    /**
     * The job is gone: stores what it left in its checkpoint directory, if anything changed since
     * the checkpoint the coordinator holds. Before the attempt's report, so the coordinator requeues
     * the job from it.
     */
    void storeLast(LocalAttempt a, double cpuSeconds) {
        try {
            boolean stored = retry.untilReached("checkpoint upload", () -> {
                try {
                    return a.checkpoints.storeIfChanged(cpuSeconds);
                } catch (CoordinatorRefusedException e) {
                    throw new IOException(e.getMessage(), e);
                }
            });
            if (stored) log.info("job {} attempt {}: final checkpoint stored", a.work.jobId(), a.work.attempt());
        } catch (IOException e) {
            log.warn(
                    "job {} attempt {}: final checkpoint not stored: {}",
                    a.work.jobId(),
                    a.work.attempt(),
                    e.getMessage());
        } catch (InterruptedException e) {
            log.warn(
                    "job {} attempt {}: final checkpoint not stored: the agent is stopping",
                    a.work.jobId(),
                    a.work.attempt());
        }
    }
}
