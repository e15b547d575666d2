package org.cyphon.coordinator.files;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.cyphon.coordinator.api.ApiError;
import org.cyphon.coordinator.auth.Principal;
import org.cyphon.coordinator.checkpoints.CurrentAttempt;
import org.cyphon.coordinator.store.Database;
import org.cyphon.coordinator.store.EventRow;
import org.cyphon.coordinator.store.EventTable;
import org.cyphon.coordinator.store.JobFileTable;
import org.cyphon.coordinator.store.JobStatus;
import org.cyphon.coordinator.store.JobTable;
import org.cyphon.core.protocol.JobOutputs;
import org.cyphon.core.text.Durations;

/**
 * A job's stored output files: for its owner and admins ({@code GET /jobs/{id}/outputs}, what
 * {@code cyphon fetch} downloads), and for the agent of an attempt that resumes from a checkpoint
 * ({@code GET /agents/{m}/attempts/{token}/outputs}), which puts them back in the working directory.
 */
public final class ListOutputs {
    private final Database db;
    private final Clock clock;
    private final FileSettings settings;

    public ListOutputs(Database db, Clock clock, FileSettings settings) {
        this.db = db;
        this.clock = clock;
        this.settings = settings;
    }

    /** @throws ApiError 404 no such job; 403 not the viewer's */
    public JobOutputs forViewer(Principal viewer, long jobId) {
        return db.transactions().read(c -> {
            JobStatus j = JobTable.statusIncludingArchive(c, jobId);
            if (j == null) throw ApiError.notFound("no job " + jobId);
            ServeBlobs.requireOwner(viewer, jobId, j.owner());
            return outputs(c, j);
        });
    }

    /** @throws ApiError 409 stale attempt */
    public JobOutputs forAttempt(String machine, long token) {
        return db.transactions()
                .read(c -> outputs(c, CurrentAttempt.require(c, machine, token).job()));
    }

    private JobOutputs outputs(Connection c, JobStatus j) throws SQLException {
        List<JobOutputs.File> files = new ArrayList<>();
        long total = 0;
        for (JobFileTable.Output o : JobFileTable.outputs(c, j.id()).values()) {
            files.add(new JobOutputs.File(
                    o.name(), o.sha256(), o.sizeBytes(), o.attemptNo(), Instant.ofEpochMilli(o.storedAt())));
            total += o.sizeBytes();
        }
        String refused = null;
        List<EventRow> events = EventTable.byJob(c, j.id());
        for (int i = events.size() - 1; i >= 0; i--) {
            EventRow e = events.get(i);
            if (e.type().equals("outputs")) break; // stored since: the refusal is history
            if (e.type().equals("outputs_refused")) {
                refused = e.message();
                break;
            }
        }
        String expired = null;
        if (settings.keepOutputs() != null
                && j.finishedAt() != null
                && j.finishedAt() < clock.millis() - settings.keepOutputs().toMillis()
                && files.isEmpty())
            expired = "outputs are kept " + Durations.format(settings.keepOutputs())
                    + " after a job ends (files.keep_outputs); this job ended at "
                    + Instant.ofEpochMilli(j.finishedAt());
        return new JobOutputs(j.id(), files, total, refused, expired);
    }
}
