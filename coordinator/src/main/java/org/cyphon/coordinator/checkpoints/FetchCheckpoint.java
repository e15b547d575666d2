package org.cyphon.coordinator.checkpoints;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.cyphon.coordinator.store.CheckpointRow;
import org.cyphon.coordinator.store.CheckpointTable;
import org.cyphon.coordinator.store.Database;

/**
 * {@code GET /agents/{m}/attempts/{token}/checkpoint}: the job's latest checkpoint, for the attempt
 * to restore before it starts. Same fencing as storing: only the job's current live attempt.
 */
public final class FetchCheckpoint {
    private final Database db;
    private final CheckpointFiles files;
    private final JobLocks locks;

    /** The archive to send: its row (size, attempt, time) and its bytes, open. */
    public record Archive(CheckpointRow row, InputStream bytes) {}

    public FetchCheckpoint(Database db, CheckpointFiles files, JobLocks locks) {
        this.db = db;
        this.files = files;
        this.locks = locks;
    }

    /**
     * @return the archive, or null when the job has no checkpoint
     * @throws org.cyphon.coordinator.api.ApiError 409 when the token is not the job's current live attempt
     */
    public Archive fetch(String machine, long token) {
        long jobId = db.transactions()
                .read(c -> CurrentAttempt.require(c, machine, token))
                .attempt()
                .jobId();
        // Row and file under the job's lock: a newer upload cannot delete the file between the two.
        // Once open, the stream reads the archive even if it is replaced and deleted afterwards.
        synchronized (locks.of(jobId)) {
            CheckpointRow row = db.transactions().read(c -> CheckpointTable.byJob(c, jobId));
            if (row == null) return null;
            try {
                return new Archive(row, files.open(jobId, row.fileName()));
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "job " + jobId + ": its checkpoint " + row.fileName() + " cannot be read", e);
            }
        }
    }
}
