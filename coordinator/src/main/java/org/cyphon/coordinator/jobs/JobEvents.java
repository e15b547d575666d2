package org.cyphon.coordinator.jobs;

import java.util.ArrayList;
import java.util.List;
import org.cyphon.coordinator.store.EventRow;
import org.cyphon.coordinator.store.JobRow;

/**
 * A job's history as the API shows it: a "submitted" event first, then what the events table holds.
 *
 * <p>Why the first is not a row of its own: it says nothing the job row does not (when, and by its
 * owner), and storing it was half of what a submit wrote — for {@code submit -n 100000}, 100,000
 * rows and their index entries in the same transaction as the jobs. Stores written before this keep
 * their stored "submitted" rows; {@code EventTable.byJob} leaves them out, so no job shows two.
 */
final class JobEvents {
    static final String SUBMITTED = "submitted";

    private JobEvents() {}

    static EventRow submitted(long jobId, long at, String owner) {
        return new EventRow(jobId, at, SUBMITTED, null, null, "by " + owner);
    }

    /** The submitted event from the row, then the stored events (oldest first). */
    static List<EventRow> history(JobRow job, List<EventRow> stored) {
        List<EventRow> out = new ArrayList<>(stored.size() + 1);
        out.add(submitted(job.status().id(), job.submittedAt(), job.status().owner()));
        out.addAll(stored);
        return out;
    }
}
