package org.cyphon.agent;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.cyphon.agent.checkpoint.AttemptCheckpoints;
import org.cyphon.agent.sandbox.JobExit;
import org.cyphon.agent.sandbox.RunningJob;
import org.cyphon.core.job.AttemptOutcome;
import org.cyphon.core.job.AttemptRunState;
import org.cyphon.core.policy.AttemptFacts;
import org.cyphon.core.policy.AttemptState;
import org.cyphon.core.protocol.AttemptReport;
import org.cyphon.core.protocol.WorkAssignment;

/**
 * One attempt as this agent holds it, from start until the coordinator has taken its report.
 * Mutable, guarded by its own monitor; the agent's threads (work, beat, shipping) share it.
 */
final class LocalAttempt {
    final WorkAssignment work;
    final Path workDir;
    final Path stdout;
    final Path stderr;
    /** Bytes of each stream the coordinator has stored; shipping resumes from here. */
    long stdoutShipped;

    long stderrShipped;
    RunningJob job;
    /** Why the coordinator asked us to stop it; reported as outcome {@code killed}. */
    String stopReason;
    /** Why the desk's policy made it leave; reported as outcome {@code vacated} (requeued, no attempt used). */
    String vacateReason;
    /** Guards the shipped offsets. Separate from the attempt's monitor, which the owner-first loop
     *  takes on every input event: an upload in progress must never delay a freeze. */
    final Object shipping = new Object();
    /** Set once the process tree is gone and its output fully shipped; then it only waits to be reported. */
    AttemptReport report;
    /** True once the coordinator refused our output as stale: nothing more to ship. */
    boolean stale;
    /** Where the desk's policy has put it, since when, and how long it has run unfrozen before that. */
    AttemptState policyState = AttemptState.RUNNING;
    /** Whether the sandbox holds the job to the linger limits now (guarded by this attempt's monitor). */
    boolean lingerLimited;

    Instant stateSince;
    Duration ranBefore = Duration.ZERO;

    LocalAttempt(WorkAssignment work, Path workDir, Path stdout, Path stderr) {
        this.work = work;
        this.workDir = workDir;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** Moves to a new policy state; run time accumulates only while running or lingering. */
    void enter(AttemptState next, Instant now) {
        if (stateSince != null && (policyState == AttemptState.RUNNING || policyState == AttemptState.LINGERING)) {
            ranBefore = ranBefore.plus(Duration.between(stateSince, now));
        }
        policyState = next;
        stateSince = now;
    }

    /** The policy's view of this attempt at {@code now}. */
    AttemptFacts facts(Instant now) {
        if (stateSince == null) stateSince = now;
        Duration ran = ranBefore;
        if (policyState == AttemptState.RUNNING || policyState == AttemptState.LINGERING)
            ran = ran.plus(Duration.between(stateSince, now));
        if (ran.isNegative()) ran = Duration.ZERO;
        Duration remaining = null;
        if (work.runtimeSeconds() != null) {
            remaining = Duration.ofSeconds(work.runtimeSeconds()).minus(ran);
            if (remaining.isNegative()) remaining = Duration.ZERO;
        }
        return new AttemptFacts(policyState, stateSince, ran, checkpointable(), remaining, false);
    }

    /** Restores, asks for and stores this attempt's checkpoints; null until admitted. */
    AttemptCheckpoints checkpoints;

    /** Whether the job can leave without losing work: it declared it checkpoints (--checkpoint-every). */
    boolean checkpointable() {
        return checkpoints != null && checkpoints.every() != null;
    }

    /** "running", "lingering", "frozen", "vacating": what the owner-first loop has made of it. */
    synchronized String policyStateName() {
        return policyState.celName();
    }

    synchronized AttemptRunState wireState() {
        return policyState == AttemptState.FROZEN ? AttemptRunState.SUSPENDED : AttemptRunState.RUNNING;
    }

    String id() {
        return "j" + work.jobId() + "-a" + work.attempt();
    }

    synchronized boolean finished() {
        return report != null;
    }

    synchronized AttemptReport toReport(JobExit exit) {
        AttemptOutcome outcome = stopReason != null
                ? AttemptOutcome.KILLED
                : vacateReason != null ? AttemptOutcome.VACATED : AttemptOutcome.EXITED;
        String message = stopReason != null ? stopReason : vacateReason != null ? vacateReason : exit.message();
        Double sinceCheckpoint = checkpoints != null ? checkpoints.cpuSecondsSinceCheckpoint(exit.cpuSeconds()) : null;
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
}
