package org.cyphon.agent.checkpoint;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks a running job for a checkpoint: sends it a signal, then waits, at most the grace period, for
 * the first of:
 * <ol>
 *   <li>{@link Outcome#EXITED}: its exit future completed (a job asked before a vacate usually
 *       writes its checkpoint and exits);</li>
 *   <li>{@link Outcome#SETTLED}: the checkpoint directory has changed since the signal and then
 *       stayed unchanged (same {@link DirFingerprint}) for the settle time: the job has written a
 *       checkpoint and carries on;</li>
 *   <li>{@link Outcome#TIMED_OUT}: neither within the grace period.</li>
 * </ol>
 * It never stores, freezes or kills anything: what to do next is the caller's (see the package
 * documentation).
 *
 * <p>The signal goes to the job's main process only. A job of several processes forwards it
 * itself, as it would a Ctrl-C or a shutdown's TERM.
 */
public final class CheckpointRequest {
    /** How the job answered. */
    public enum Outcome {
        EXITED,
        SETTLED,
        TIMED_OUT
    }

    static final Duration POLL = Duration.ofMillis(100);

    private final Duration grace;
    private final Duration settle;

    public CheckpointRequest(Duration grace, Duration settle) {
        this.grace = grace;
        this.settle = settle;
    }

    /**
     * @param signal a name {@link CheckpointSignal#normalise} accepts
     * @param pid    the job's main process
     * @param exit   completes when the job is gone ({@code RunningJob.exit()})
     * @param dir    the job's checkpoint directory
     */
    public Outcome ask(String signal, long pid, CompletionStage<?> exit, Path dir)
            throws IOException, InterruptedException {
        CompletableFuture<?> ended = exit.toCompletableFuture();
        if (ended.isDone()) return Outcome.EXITED;
        DirFingerprint last = DirFingerprint.of(dir);
        long deadline = System.nanoTime() + grace.toNanos();
        CheckpointSignal.send(pid, signal); // false: already exited, and the exit future will say so
        long changedAt = -1;
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return Outcome.TIMED_OUT;
            try {
                ended.get(Math.min(POLL.toNanos(), left), TimeUnit.NANOSECONDS);
                return Outcome.EXITED;
            } catch (TimeoutException stillRunning) {
                // look at the directory
            } catch (ExecutionException failed) {
                return Outcome.EXITED; // gone, however it went
            }
            DirFingerprint now = DirFingerprint.of(dir);
            long t = System.nanoTime();
            if (!now.equals(last)) {
                last = now;
                changedAt = t;
            } else if (changedAt >= 0 && t - changedAt >= settle.toNanos()) {
                return Outcome.SETTLED;
            }
        }
    }
}
