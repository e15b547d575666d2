package org.cyphon.coordinator.jobs;

import java.util.ArrayList;
import java.util.List;
import org.cyphon.coordinator.lifecycle.NextJobStatus;
import org.cyphon.coordinator.store.AttemptRow;
import org.cyphon.coordinator.store.EventRow;
import org.cyphon.coordinator.store.EventTable;
import org.cyphon.coordinator.store.JobRow;
import org.cyphon.coordinator.store.JobStatus;
import org.cyphon.core.job.AttemptOutcome;
import org.cyphon.core.job.JobState;

/**
 * A job's history as the API shows it: a "submitted" event first, then what the events table holds,
 * with the events its attempts' rows say ({@link EventTable#FROM_ATTEMPTS}) merged in by time.
 *
 * <p>Why the first is not a row of its own: it says nothing the job row does not (when, and by its
 * owner), and storing it was half of what a submit wrote — for {@code submit -n 100000}, 100,000
 * rows and their index entries in the same transaction as the jobs. Stores written before this keep
 * their stored "submitted" rows; {@code EventTable.byJob} leaves them out, so no job shows two. The
 * same holds for "assigned" (every attempt's start) and "exited" (the exit of the attempt that
 * completed the job): two rows and four index entries fewer for every job dispatched.
 */
final class JobEvents {
    static final String SUBMITTED = "submitted";

    private JobEvents() {}

    static EventRow submitted(long jobId, long at, String owner) {
        return new EventRow(jobId, at, SUBMITTED, null, null, "by " + owner);
    }

    /**
     * The submitted event from the row, then the stored events (oldest first) with the attempts'
     * events merged in. At the same millisecond an attempt's "assigned" comes after what was stored
     * for earlier attempts or for none (a release, a dependency met) and before its own later events;
     * its "exited" comes after everything stored for it.
     *
     * @param attempts the job's attempts, live and ended, by attempt number
     */
    static List<EventRow> history(JobRow job, List<EventRow> stored, List<AttemptRow> attempts) {
        JobStatus j = job.status();
        List<EventRow> derived = new ArrayList<>(attempts.size() + 1);
        for (AttemptRow a : attempts) {
            derived.add(new EventRow(j.id(), a.startedAt(), "assigned", a.attemptNo(), a.machine(), null));
            if (completedBy(j, a)) {
                String message = a.message();
                if (a.exitCode() != null && a.exitCode() == j.checkpointExitCode()) {
                    String note = NextJobStatus.CHECKPOINT_CODE_WITHOUT_CHECKPOINT;
                    message = message == null || message.isBlank() ? note : message + "; " + note;
                }
                derived.add(NextJobStatus.exitedEvent(
                        j.id(), a.endedAt(), a.attemptNo(), a.machine(), a.exitCode(), a.signal(), message));
            }
        }
        List<EventRow> out = new ArrayList<>(stored.size() + derived.size() + 1);
        out.add(submitted(j.id(), job.submittedAt(), j.owner()));
        int next = 0;
        for (EventRow d : derived) {
            while (next < stored.size() && !comesAfter(stored.get(next), d)) out.add(stored.get(next++));
            out.add(d);
        }
        while (next < stored.size()) out.add(stored.get(next++));
        return out;
    }

    /** The job's exit came from this attempt: its report said exited, and it completed the job. */
    private static boolean completedBy(JobStatus j, AttemptRow a) {
        return a.outcome() == AttemptOutcome.EXITED
                && a.endedAt() != null
                && j.state() == JobState.COMPLETED
                && j.currentToken() != null
                && j.currentToken() == a.fencingToken();
    }

    /** Whether the stored event {@code e} belongs after the derived event {@code d}. */
    private static boolean comesAfter(EventRow e, EventRow d) {
        if (e.at() != d.at()) return e.at() > d.at();
        if (e.attemptNo() == null) return false;
        return d.type().equals("assigned") ? e.attemptNo() >= d.attemptNo() : e.attemptNo() > d.attemptNo();
    }
}
