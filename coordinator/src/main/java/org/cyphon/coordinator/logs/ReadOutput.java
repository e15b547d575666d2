package org.cyphon.coordinator.logs;

import java.io.IOException;
import java.io.InputStream;
import org.cyphon.coordinator.api.ApiError;
import org.cyphon.coordinator.auth.Principal;
import org.cyphon.coordinator.jobs.JobVisibility;
import org.cyphon.coordinator.store.AttemptRow;
import org.cyphon.coordinator.store.AttemptTable;
import org.cyphon.coordinator.store.Database;
import org.cyphon.coordinator.store.JobStatus;
import org.cyphon.coordinator.store.JobTable;

/** {@code GET /jobs/{id}/logs}: an attempt's stored output from an offset, with its size and whether more can come. */
public final class ReadOutput {
    /**
     * @param size total bytes stored
     * @param last the job is terminal, no more output will come
     */
    public record Output(InputStream bytes, long size, boolean last, boolean truncated) {}

    private final Database db;
    private final OutputFiles files;
    private final JobVisibility visibility;

    public ReadOutput(Database db, OutputFiles files, JobVisibility visibility) {
        this.db = db;
        this.files = files;
        this.visibility = visibility;
    }

    /**
     * @param viewer  who asks: under {@code privacy = "own"} only the job's owner or an admin (else 403)
     * @param attempt 1-based, or null for the latest attempt
     */
    public Output read(Principal viewer, long jobId, String stream, long offset, Integer attempt) throws IOException {
        record Found(JobStatus job, AttemptRow attempt) {}
        Found f = db.transactions().read(c -> {
            JobStatus j = JobTable.statusIncludingArchive(c, jobId);
            if (j == null) throw ApiError.notFound("no job " + jobId);
            visibility.requireOutputReadable(viewer, jobId, j.owner());
            int n = attempt != null ? attempt : j.attemptCount();
            if (attempt != null && attempt > j.attemptCount())
                throw ApiError.notFound("job " + jobId + " has no attempt " + attempt);
            return new Found(j, n == 0 ? null : AttemptTable.byJobAttempt(c, jobId, n));
        });
        boolean last = f.job().state().isTerminal();
        if (f.attempt() == null) return new Output(InputStream.nullInputStream(), 0, last, false);
        AttemptRow a = f.attempt();
        long size = files.size(jobId, a.attemptNo(), stream);
        boolean truncated = stream.equals("stderr") ? a.stderrTruncated() : a.stdoutTruncated();
        return new Output(files.read(jobId, a.attemptNo(), stream, offset, size), size, last, truncated);
    }
}
