package org.cyphon.coordinator.checkpoints;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import org.cyphon.coordinator.api.ApiError;
import org.cyphon.coordinator.store.CheckpointRow;
import org.cyphon.coordinator.store.CheckpointTable;
import org.cyphon.coordinator.store.Database;
import org.cyphon.core.text.Sizes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code PUT /agents/{m}/attempts/{token}/checkpoint}: stores the archive in the body as the job's
 * checkpoint, replacing the one before (latest wins).
 *
 * <p>Order, so that no failure leaves a half-written or stale checkpoint in force: check the token
 * (cheap 409 before any byte is read); stream the body to a temporary file (413 past
 * {@code jobs.max_checkpoint_bytes}); then, under the job's lock, rename it to its own name, commit
 * the row naming it after checking the token <em>again</em> in the writer (the attempt may have been
 * lost while the bytes arrived), and only then delete the archive it replaced. A refusal at the
 * second check deletes the new file; a crash anywhere leaves either the old row and old file, or the
 * new ones, plus garbage that start-up clears.
 */
public final class StoreCheckpoint {
    private static final Logger log = LoggerFactory.getLogger(StoreCheckpoint.class);

    private final Database db;
    private final Clock clock;
    private final CheckpointFiles files;
    private final JobLocks locks;

    public StoreCheckpoint(Database db, Clock clock, CheckpointFiles files, JobLocks locks) {
        this.db = db;
        this.clock = clock;
        this.files = files;
        this.locks = locks;
    }

    /**
     * The checks {@link #store} makes before it reads a byte, for the route to make before it opens
     * the request's body: opening a request's stream makes the server answer an {@code Expect:
     * 100-continue} with "100 Continue", and a refusal sent while the agent then streams the body
     * races the connection's reset (the agent saw "Unexpected end of file", not the 409 or 413).
     *
     * @throws ApiError 409 stale fencing token, 413 over {@code jobs.max_checkpoint_bytes}
     */
    public void admit(String machine, long token, long declaredLength) {
        if (declaredLength > files.maxBytes()) throw tooLarge();
        var unused = db.transactions().read(c -> CurrentAttempt.require(c, machine, token));
    }

    /**
     * @param declaredLength the request's Content-Length, or -1 when it was sent chunked
     * @throws ApiError 409 stale fencing token, 413 over {@code jobs.max_checkpoint_bytes}
     */
    public CheckpointRow store(String machine, long token, long declaredLength, InputStream in) {
        if (declaredLength > files.maxBytes()) throw tooLarge();
        CurrentAttempt.Found before = db.transactions().read(c -> CurrentAttempt.require(c, machine, token));
        long jobId = before.attempt().jobId();
        CheckpointFiles.Received received;
        try {
            received = files.receive(jobId, token, in);
        } catch (CheckpointFiles.TooLarge e) {
            throw tooLarge();
        } catch (IOException e) {
            throw new ApiError(400, "could not read the checkpoint: " + e.getMessage(), "body");
        }
        CheckpointRow row;
        synchronized (locks.of(jobId)) {
            String name;
            try {
                name = files.keep(received, token);
            } catch (IOException e) {
                deleteQuietly(jobId, received.part().getFileName().toString());
                throw new UncheckedIOException(e);
            }
            CheckpointRow next = new CheckpointRow(
                    jobId, token, before.attempt().attemptNo(), name, received.bytes(), clock.millis());
            try {
                row = db.transactions().write(c -> {
                    CurrentAttempt.require(c, machine, token);
                    CheckpointTable.put(c, next);
                    return next;
                });
            } catch (RuntimeException e) {
                deleteQuietly(jobId, name);
                throw e;
            }
            try {
                files.deleteAllBut(jobId, name, false);
            } catch (IOException e) {
                log.warn("job {}: could not delete its replaced checkpoint ({}); start-up will", jobId, e.toString());
            }
        }
        log.info(
                "job {} attempt {} machine {}: checkpoint stored ({})",
                jobId,
                row.attemptNo(),
                machine,
                Sizes.format(row.sizeBytes()));
        return row;
    }

    private ApiError tooLarge() {
        return new ApiError(
                413,
                "body: the checkpoint is over the coordinator's jobs.max_checkpoint_bytes limit of "
                        + Sizes.format(files.maxBytes()),
                "body");
    }

    private void deleteQuietly(long jobId, String name) {
        try {
            files.delete(jobId, name);
        } catch (IOException e) {
            log.warn(
                    "job {}: could not delete refused checkpoint upload {} ({}); start-up will",
                    jobId,
                    name,
                    e.toString());
        }
    }
}
