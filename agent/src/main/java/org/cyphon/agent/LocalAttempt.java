package org.cyphon.agent;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.cyphon.agent.checkpoint.AttemptCheckpoints;
import org.cyphon.agent.sandbox.JobExit;
import org.cyphon.agent.sandbox.RunningJob;
import org.cyphon.core.job.AttemptOutcome;
import org.cyphon.core.job.AttemptRunState;
import org.cyphon.core.policy.Action;
import org.cyphon.core.policy.AttemptLifecycle;
import org.cyphon.core.policy.AttemptState;
import org.cyphon.core.policy.Decision;
import org.cyphon.core.protocol.AttemptReport;
import org.cyphon.core.protocol.WorkAssignment;

/**
 * One attempt as this agent holds it, from the assignment until the coordinator has taken its
 * report. Where it is in its life is one {@link Phase}, so what cannot happen cannot be written:
 * a job exists from {@link Running} on, a report only once {@link Ended}, and an attempt is stopped
 * by the coordinator or leaving by the desk's wish, never both. Where the desk's policy has put a
 * running job (running, lingering, frozen, vacating) and how long it has run is core's
 * {@link AttemptLifecycle}, the same the simulator replays.
 *
 * <p>The phase is guarded by this object's monitor; the agent's threads (work, beat, shipping,
 * owner-first) share it.
 */
final class LocalAttempt {
    final WorkAssignment work;
    final Path workDir;
    final Path stdout;
    final Path stderr;
    /** Restores, asks for and stores this attempt's checkpoints. */
    final AttemptCheckpoints checkpoints;
    /** Guards the shipped offsets. Separate from the attempt's monitor, which the owner-first loop
     *  takes on every input event: an upload in progress must never delay a freeze. */
    final Object shipping = new Object();
    /** Bytes of each stream the coordinator has stored; shipping resumes from here. */
    long stdoutShipped;

    long stderrShipped;
    /** True once the coordinator refused our output as stale: nothing more to ship. */
    boolean stale;

    private Phase phase = new Launching();

    /** Where an attempt is in its life on this desk. */
    sealed interface Phase permits Launching, StopOnStart, Running, Vacating, Stopping, Ended {}

    /** Admitted: its job is being launched. */
    record Launching() implements Phase {}

    /** The coordinator asked to stop it while it was being launched: it is killed once started. */
    record StopOnStart(String reason) implements Phase {}

    /** Its job runs; the desk's policy decides for it. */
    record Running(RunningJob job, AttemptLifecycle life) implements Phase {}

    /**
     * The desk's policy, the coordinator (preemption) or the agent's shutdown sends it away: it is
     * asked to checkpoint and exit, or killed; it is reported vacated (requeued, no attempt used).
     *
     * @param asked    the job has been signalled or killed: until then an exit is its own, not a vacate
     * @param answerBy when the job must have answered its checkpoint signal (the desk is going down),
     *                 or null: the checkpoint grace alone decides
     */
    record Vacating(RunningJob job, AttemptLifecycle life, String reason, boolean asked, Instant answerBy)
            implements Phase {}

    /** The coordinator asked to stop it (cancelled, held, stale): it is killed and reported killed. */
    record Stopping(RunningJob job, AttemptLifecycle life, String reason) implements Phase {}

    /**
     * Its process tree is gone and its output shipped: it waits to be reported.
     *
     * @param frozen it was frozen when it ended (the heartbeat keeps saying so until it is reported)
     */
    record Ended(AttemptReport report, boolean frozen) implements Phase {}

    LocalAttempt(WorkAssignment work, Path workDir, Path stdout, Path stderr, AttemptCheckpoints checkpoints) {
        this.work = work;
        this.workDir = workDir;
        this.stdout = stdout;
        this.stderr = stderr;
        this.checkpoints = checkpoints;
    }

    synchronized Phase phase() {
        return phase;
    }

    /** Its job, from the moment it started (still there after it ended: its final CPU time), or null. */
    synchronized RunningJob job() {
        return switch (phase) {
            case Running r -> r.job();
            case Vacating v -> v.job();
            case Stopping s -> s.job();
            case Launching l -> null;
            case StopOnStart s -> null;
            case Ended e -> null;
        };
    }

    /** The lifecycle the desk's policy decides on, or null when the policy has no say (not started, stopping, ended). */
    synchronized AttemptLifecycle decidable() {
        return switch (phase) {
            case Running r -> r.life();
            case Vacating v -> v.life().killed() ? null : v.life();
            default -> null;
        };
    }

    /** Its job has started and has not ended yet. */
    synchronized boolean hasLiveJob() {
        return job() != null;
    }

    /** Whether the job can leave without losing work: it declared it checkpoints (--checkpoint-every). */
    boolean checkpointable() {
        return checkpoints.every() != null;
    }

    /**
     * Its job started at {@code now}.
     *
     * @return the reason to kill it at once (it was stopped while it launched), or null
     */
    synchronized String started(RunningJob job, Instant now) {
        // A GPU job also yields to the owner's GPU use and presence (gpu_when_present, gpu_busy_max).
        AttemptLifecycle life = AttemptLifecycle.started(now, checkpointable(), work.gpuCount() > 0);
        return switch (phase) {
            case Launching l -> {
                phase = new Running(job, life);
                yield null;
            }
            case StopOnStart s -> {
                phase = new Stopping(job, life, s.reason());
                yield s.reason();
            }
            default -> throw new IllegalStateException("job " + id() + " started while " + phase);
        };
    }

    /**
     * Applies one decision of the desk's policy (or a vacate asked for by the coordinator or the
     * shutdown) through the lifecycle; the caller carries out the transition's effects while still
     * holding this monitor.
     *
     * @return the transition, or null when the attempt is not the policy's to decide (not started, stopping, ended)
     */
    synchronized AttemptLifecycle.Transition decide(Decision d, Instant now) {
        return decide(d, now, null);
    }

    /**
     * {@link #decide(Decision, Instant)}, where a vacate must have its checkpoint by {@code answerBy}
     * (null: within the checkpoint grace).
     */
    synchronized AttemptLifecycle.Transition decide(Decision d, Instant now, Instant answerBy) {
        AttemptLifecycle life = decidable();
        if (life == null) return null;
        AttemptLifecycle.Transition t = life.apply(d, now);
        AttemptLifecycle next = t.to();
        String why = String.join("; ", d.reasons());
        phase = switch (phase) {
            case Running r
            when next.state() == AttemptState.VACATING || next.killed() ->
                new Vacating(
                        r.job(),
                        next,
                        d.action() == Action.KILL ? "killed by the desk policy: " + why : why,
                        next.killed(),
                        answerBy);
            case Running r -> new Running(r.job(), next);
            case Vacating v ->
                new Vacating(v.job(), next, v.reason(), v.asked() || next.killed(), earlier(v.answerBy(), answerBy));
            default -> phase;
        };
        return t;
    }

    private static Instant earlier(Instant a, Instant b) {
        if (a == null) return b;
        if (b == null) return a;
        return a.isBefore(b) ? a : b;
    }

    /** When a leaving job must have answered its checkpoint signal, or null (within the checkpoint grace). */
    synchronized Instant answerBy() {
        return phase instanceof Vacating v ? v.answerBy() : null;
    }

    /** A vacate that is not the desk policy's own (preemption, shutdown), as a decision the lifecycle applies. */
    static Decision vacateFor(String why) {
        return new Decision(Action.CHECKPOINT_AND_VACATE, List.of(why), null, null);
    }

    /**
     * About to signal or kill a leaving job: from now on its end is the vacate's.
     *
     * @return false when it is no longer leaving (stopped meanwhile, or gone)
     */
    synchronized boolean asking() {
        if (!(phase instanceof Vacating v)) return false;
        if (!v.asked()) phase = new Vacating(v.job(), v.life(), v.reason(), true, v.answerBy());
        return true;
    }

    /**
     * The coordinator asks to stop it.
     *
     * @return the job to kill, or null (still launching: it is killed once started; or already stopping or ended)
     */
    synchronized RunningJob stop(String reason) {
        switch (phase) {
            case Launching l -> phase = new StopOnStart(reason);
            case Running r -> {
                phase = new Stopping(r.job(), r.life(), reason);
                return r.job();
            }
            case Vacating v -> {
                phase = new Stopping(v.job(), v.life(), reason);
                return v.job();
            }
            case StopOnStart s -> {}
            case Stopping s -> {}
            case Ended e -> {}
        }
        return null;
    }

    /** Whether a stop is already under way (or it has ended): a second stop request changes nothing. */
    synchronized boolean stoppingOrEnded() {
        return phase instanceof StopOnStart || phase instanceof Stopping || phase instanceof Ended;
    }

    /** Its job could not be started. */
    synchronized void failedToStart(String why) {
        end(new AttemptReport(
                work.jobId(), work.attempt(), work.fencingToken(), AttemptOutcome.FAILED_TO_START, null, null, 0, why));
    }

    /** Handed back at once, unstarted (the agent is leaving): requeued without using an attempt. */
    synchronized void handedBack(String why) {
        end(new AttemptReport(
                work.jobId(), work.attempt(), work.fencingToken(), AttemptOutcome.VACATED, null, null, 0, why));
    }

    /**
     * Whether the final checkpoint is worth storing when the job has ended with {@code exit}: it left
     * as the desk wanted, or exited with the checkpoint exit code; not when the coordinator stopped it.
     */
    synchronized boolean keepsCheckpoint(JobExit exit) {
        return switch (phase) {
            case Vacating v -> true;
            case Running r -> checkpoints.isCheckpointExit(exit.exitCode());
            default -> false;
        };
    }

    /** The report of its job's end: killed if the coordinator stopped it, vacated if it was sent away, else as it exited. */
    synchronized AttemptReport toReport(JobExit exit) {
        AttemptOutcome outcome = AttemptOutcome.EXITED;
        String message = exit.message();
        if (phase instanceof Stopping s) {
            outcome = AttemptOutcome.KILLED;
            message = s.reason();
        } else if (phase instanceof Vacating v && v.asked()) {
            outcome = AttemptOutcome.VACATED;
            message = v.reason();
        }
        Double sinceCheckpoint = checkpoints.cpuSecondsSinceCheckpoint(exit.cpuSeconds());
        return new AttemptReport(
                work.jobId(),
                work.attempt(),
                work.fencingToken(),
                outcome,
                exit.exitCode(),
                exit.signal(),
                exit.cpuSeconds(),
                message,
                sinceCheckpoint);
    }

    /** Its process tree is gone and its output shipped: from now on it only waits to be reported. */
    synchronized void end(AttemptReport report) {
        AttemptLifecycle life = switch (phase) {
            case Running r -> r.life();
            case Vacating v -> v.life();
            case Stopping s -> s.life();
            default -> null;
        };
        phase = new Ended(report, life != null && life.state() == AttemptState.FROZEN);
    }

    /** The report, once ended; null before. */
    synchronized AttemptReport report() {
        return phase instanceof Ended e ? e.report() : null;
    }

    synchronized boolean finished() {
        return phase instanceof Ended;
    }

    /** "running", "lingering", "frozen", "vacating": what the owner-first loop has made of it. */
    synchronized String policyStateName() {
        return switch (phase) {
            case Running r -> r.life().state().celName();
            case Vacating v -> AttemptState.VACATING.celName();
            case Stopping s -> s.life().state().celName();
            default -> AttemptState.RUNNING.celName();
        };
    }

    /** Suspended while frozen, else running: what the heartbeat says of it. */
    synchronized AttemptRunState wireState() {
        boolean frozen = switch (phase) {
            case Running r -> r.life().state() == AttemptState.FROZEN;
            case Stopping s -> s.life().state() == AttemptState.FROZEN;
            case Ended e -> e.frozen();
            default -> false;
        };
        return frozen ? AttemptRunState.SUSPENDED : AttemptRunState.RUNNING;
    }

    /** CPU-seconds the job has used since the checkpoint the coordinator holds, or null before it started. */
    synchronized Double cpuSecondsSinceCheckpoint() {
        if (phase instanceof Ended e) return e.report().cpuSecondsSinceCheckpoint();
        RunningJob job = job();
        return job == null ? null : checkpoints.cpuSecondsSinceCheckpoint(job.cpuSecondsSoFar());
    }

    String id() {
        return "j" + work.jobId() + "-a" + work.attempt();
    }

    @Override
    public synchronized String toString() {
        return id() + " " + phase.getClass().getSimpleName();
    }
}
