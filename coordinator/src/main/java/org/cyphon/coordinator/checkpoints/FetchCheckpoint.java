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

    private final java.time.Clock clock;

    public FetchCheckpoint(Database db, java.time.Clock clock, CheckpointFiles files, JobLocks locks) {
        this.clock = clock;
        this.db = db;
        this.files = files;
        this.locks = locks;
    }

    /**
     * @return the archive, or null when the job has no checkpoint
     * @throws org.cyphon.coordinator.api.ApiError 409 when the token is not the job's current live attempt,
     *     or when the archive's HMAC does not match its content: it is refused, deleted, and the
     *     job's events say so (the attempt then fails to start, and the job's next starts afresh)
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
                files.verify(jobId, row.fileName());
                return new Archive(row, files.open(jobId, row.fileName()));
            } catch (CheckpointFiles.Tampered t) {
                refuse(jobId, row, t.getMessage());
                throw new org.cyphon.coordinator.api.ApiError(
                        409,
                        "checkpoint of job " + jobId + " refused: " + t.getMessage() + " (tampered with?)",
                        "checkpoint");
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "job " + jobId + ": its checkpoint " + row.fileName() + " cannot be read", e);
            }
        }
    }

    /** Forgets the archive (so the job is not refused forever) and records why, in one transaction. */
    private void refuse(long jobId, CheckpointRow row, String why) {
        long now = clock.millis();
        var event = new org.cyphon.coordinator.store.EventRow(
                jobId,
                now,
                "ckpt_refused",
                row.attemptNo(),
                null,
                "checkpoint from attempt " + row.attemptNo() + " refused on restore: " + why);
        db.transactions().write(c -> {
            CheckpointTable.deleteAll(c, java.util.List.of(row));
            org.cyphon.coordinator.store.EventTable.insert(c, java.util.List.of(event));
            return null;
        });
        try {
            files.delete(jobId, row.fileName());
        } catch (IOException e) {
            // the sweeper removes files no row names
        }
        org.cyphon.coordinator.lifecycle.JobLog.committed(java.util.List.of(event));
    }
}
