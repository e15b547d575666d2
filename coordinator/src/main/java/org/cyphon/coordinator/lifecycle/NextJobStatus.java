package org.cyphon.coordinator.lifecycle;

import java.util.ArrayList;
import java.util.List;
import org.cyphon.coordinator.store.AttemptRow;
import org.cyphon.coordinator.store.EventRow;
import org.cyphon.coordinator.store.JobStatus;
import org.cyphon.core.job.IllegalTransitionException;
import org.cyphon.core.job.JobEvent;
import org.cyphon.core.job.JobState;
import org.cyphon.core.job.JobTransitions;

/**
 * Applies one {@link JobEvent} to a job row: core's {@link JobTransitions} decides the new state
 * (and throws {@link IllegalTransitionException} when the event is not legal); this class only
 * fills in the columns that go with it and the history entries.
 *
 * <p>Attempt accounting: core is told the attempts <em>used up</em> so far, counting the one the
 * event is about, i.e. {@code lostCount + 1}. Only lost attempts use one up; a vacate (Cyphon's own
 * choice) or an attempt stopped by a hold does not, so {@code max_attempts} means "how many times
 * the job may be lost", whatever else happened to it.
 */
public final class NextJobStatus {
    private NextJobStatus() {}

    public static Step assign(JobStatus j, long token, String machine, long now) {
        JobState to = next(j, JobEvent.ASSIGN);
        int attemptNo = j.attemptCount() + 1;
        JobStatus s = j.change()
                .state(to)
                .attemptCount(attemptNo)
                .currentToken(token)
                .machine(machine)
                .startedAt(now)
                .runEndedAt(null)
                .exitCode(null)
                .cpuSeconds(null)
                .reason(null)
                .done();
        return step(s, new EventRow(j.id(), now, "assigned", attemptNo, machine, null));
    }

    /** Added to an exit's message when the exit code was the job's checkpoint code but no checkpoint was stored. */
    public static final String CHECKPOINT_CODE_WITHOUT_CHECKPOINT =
            "the checkpoint exit code, but this attempt stored no checkpoint: taken as the job's end";

    /** The "exited" event of a job's end by its attempt's exit (also derived from the attempt row: JobEvents). */
    public static EventRow exitedEvent(
            long jobId, long at, int attemptNo, String machine, Integer exitCode, Integer signal, String message) {
        String how =
                exitCode != null ? "exit code " + exitCode : signal != null ? "killed by signal " + signal : "exited";
        return new EventRow(jobId, at, "exited", attemptNo, machine, join(how, message));
    }

    public static Step exited(
            JobStatus j, AttemptRow a, Integer exitCode, Integer signal, double cpuSeconds, String message, long now) {
        JobState to = next(j, JobEvent.EXITED);
        String how =
                exitCode != null ? "exit code " + exitCode : signal != null ? "killed by signal " + signal : "exited";
        JobStatus s = j.change()
                .state(to)
                .runEndedAt(now)
                .finishedAt(now)
                .exitCode(exitCode)
                .cpuSeconds(cpuSeconds)
                .reason(signal != null && exitCode == null ? how : null)
                .done();
        return step(s, exitedEvent(j.id(), now, a.attemptNo(), a.machine(), exitCode, signal, message));
    }

    /**
     * The attempt was lost (lease ran out, could not start, machine re-enrolled): queued again, or
     * failed when attempts are used up.
     *
     * @param lostCpu CPU-seconds the attempt computed past the job's last checkpoint (see {@link LostCpu})
     */
    public static Step lost(JobStatus j, AttemptRow a, String why, double lostCpu, long now) {
        int used = j.lostCount() + 1;
        JobState to = JobTransitions.next(j.state(), JobEvent.ATTEMPT_LOST, used, j.maxAttempts());
        List<EventRow> events = new ArrayList<>(2);
        events.add(new EventRow(j.id(), now, "lost", a.attemptNo(), a.machine(), why));
        JobStatus.Change c =
                j.change().state(to).lostCount(used).runEndedAt(now).addLostCpu(lostCpu);
        if (to == JobState.FAILED) {
            String reason = "failed: " + used + " of " + j.maxAttempts() + " attempts lost; last: " + why;
            c.finishedAt(now).reason(reason);
            events.add(new EventRow(j.id(), now, "failed", a.attemptNo(), a.machine(), reason));
        } else {
            c.queuedAt(now).reason("attempt " + a.attemptNo() + " lost: " + why);
        }
        return new Step(c.done(), events);
    }

    /** @param lostCpu CPU-seconds the attempt computed past the job's last checkpoint (see {@link LostCpu}) */
    public static Step vacated(JobStatus j, AttemptRow a, String message, double lostCpu, long now) {
        JobState to = next(j, JobEvent.VACATED);
        JobStatus s = j.change()
                .state(to)
                .runEndedAt(now)
                .queuedAt(now)
                .reason(null)
                .addLostCpu(lostCpu)
                .done();
        return step(s, new EventRow(j.id(), now, "vacated", a.attemptNo(), a.machine(), message));
    }

    /**
     * The job exited with its checkpoint exit code after storing a checkpoint: like HTCondor's
     * {@code checkpoint_exit_code}, it asks to be run again from that checkpoint. Core's VACATED:
     * back to the queue, no attempt used up, nothing lost.
     */
    public static Step checkpointed(JobStatus j, AttemptRow a, int exitCode, long now) {
        JobState to = next(j, JobEvent.VACATED);
        JobStatus s =
                j.change().state(to).runEndedAt(now).queuedAt(now).reason(null).done();
        return step(
                s,
                new EventRow(
                        j.id(),
                        now,
                        "checkpointed",
                        a.attemptNo(),
                        a.machine(),
                        "checkpointed; requeued (exit code " + exitCode + ")"));
    }

    public static Step suspend(JobStatus j, AttemptRow a, long now) {
        JobStatus s = j.change().state(next(j, JobEvent.SUSPEND)).done();
        return step(s, new EventRow(j.id(), now, "suspended", a.attemptNo(), a.machine(), null));
    }

    public static Step resume(JobStatus j, AttemptRow a, long now) {
        JobStatus s = j.change().state(next(j, JobEvent.RESUME)).done();
        return step(s, new EventRow(j.id(), now, "resumed", a.attemptNo(), a.machine(), null));
    }

    public static Step cancel(JobStatus j, String by, long now) {
        boolean wasRunning = j.state().hasLiveAttempt();
        JobStatus s = j.change()
                .state(next(j, JobEvent.CANCEL))
                .finishedAt(now)
                .runEndedAt(wasRunning ? Long.valueOf(now) : j.runEndedAt())
                .reason("cancelled by " + by)
                .done();
        return step(
                s,
                new EventRow(
                        j.id(),
                        now,
                        "cancelled",
                        wasRunning ? j.attemptCount() : null,
                        wasRunning ? j.machine() : null,
                        "by " + by));
    }

    public static Step hold(JobStatus j, String by, long now) {
        boolean wasRunning = j.state().hasLiveAttempt();
        JobStatus s = j.change()
                .state(next(j, JobEvent.HOLD))
                .runEndedAt(wasRunning ? Long.valueOf(now) : j.runEndedAt())
                .reason("held by " + by)
                .done();
        return step(
                s,
                new EventRow(
                        j.id(),
                        now,
                        "held",
                        wasRunning ? j.attemptCount() : null,
                        wasRunning ? j.machine() : null,
                        "by " + by));
    }

    public static Step release(JobStatus j, String by, long now) {
        JobStatus s = j.change()
                .state(next(j, JobEvent.RELEASE))
                .queuedAt(now)
                .reason(null)
                .done();
        return step(s, new EventRow(j.id(), now, "released", null, null, "by " + by));
    }

    /** Every job a waiting job runs after has ended as it required: it joins the queue. */
    public static Step dependenciesMet(JobStatus j, long now) {
        JobStatus s = j.change()
                .state(next(j, JobEvent.DEPENDENCIES_MET))
                .queuedAt(now)
                .reason(null)
                .done();
        return step(s, new EventRow(j.id(), now, "queued", null, null, "the jobs it runs after have ended"));
    }

    /** A job a waiting job runs after ended otherwise than required: held, with why. */
    public static Step dependencyFailed(JobStatus j, String why, long now) {
        JobStatus s = j.change()
                .state(next(j, JobEvent.DEPENDENCY_FAILED))
                .reason(why)
                .done();
        return step(s, new EventRow(j.id(), now, "held", null, null, why));
    }

    /** A held job released while jobs it runs after have not all ended: it waits for them again. */
    public static Step releaseToWait(JobStatus j, String by, long now) {
        JobStatus s =
                j.change().state(next(j, JobEvent.RELEASE_TO_WAIT)).reason(null).done();
        return step(
                s, new EventRow(j.id(), now, "released", null, null, "by " + by + "; waiting for its dependencies"));
    }

    private static JobState next(JobStatus j, JobEvent e) {
        return JobTransitions.next(j.state(), e, j.lostCount() + 1, j.maxAttempts());
    }

    private static Step step(JobStatus s, EventRow e) {
        return new Step(s, List.of(e));
    }

    private static String join(String a, String b) {
        return b == null || b.isBlank() ? a : a + ": " + b;
    }
}
