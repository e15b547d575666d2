package org.cyphon.coordinator.files;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import org.cyphon.coordinator.api.ApiError;
import org.cyphon.coordinator.auth.Principal;
import org.cyphon.coordinator.checkpoints.CurrentAttempt;
import org.cyphon.coordinator.store.Database;
import org.cyphon.coordinator.store.JobFileTable;
import org.cyphon.coordinator.store.JobStatus;
import org.cyphon.coordinator.store.JobTable;

/**
 * Hands out stored contents to those who may read them: a job's outputs to its owner and admins
 * ({@code GET /jobs/{id}/outputs/{sha256}}), and an attempt's inputs, and the outputs it resumes
 * with, to the agent running it ({@code GET /agents/{m}/attempts/{token}/blobs/{sha256}}). Anyone
 * else learns nothing: not whether the content exists, not its size.
 */
public final class ServeBlobs {
    private final Database db;
    private final BlobFiles files;

    public ServeBlobs(Database db, BlobFiles files) {
        this.db = db;
        this.files = files;
    }

    /** A content to send, open: the route streams it (from an offset, for a resumed download) and closes it. */
    public record Content(String sha256, FileChannel channel, long size) {}

    /**
     * @throws ApiError 404 no such job, or no output of it with this content; 403 the job is not the
     *     viewer's (whether it has such an output is not said)
     */
    public Content output(Principal viewer, long jobId, String sha256) {
        UploadBlobs.checkHash(sha256, "sha256");
        db.transactions().read(c -> {
            JobStatus j = JobTable.statusIncludingArchive(c, jobId);
            if (j == null) throw ApiError.notFound("no job " + jobId);
            requireOwner(viewer, jobId, j.owner());
            if (!JobFileTable.isOutput(c, jobId, sha256))
                throw ApiError.notFound("job " + jobId + " has no output file with SHA-256 " + sha256);
            return null;
        });
        return open(sha256, "job " + jobId);
    }

    /** @throws ApiError 409 stale attempt; 404 the content is neither an input nor a stored output of its job */
    public Content forAttempt(String machine, long token, String sha256) {
        UploadBlobs.checkHash(sha256, "sha256");
        long jobId = db.transactions().read(c -> {
            long id = CurrentAttempt.require(c, machine, token).attempt().jobId();
            if (!JobFileTable.isInput(c, id, sha256) && !JobFileTable.isOutput(c, id, sha256))
                throw ApiError.notFound("job " + id + " has no input or output with SHA-256 " + sha256);
            return id;
        });
        return open(sha256, "job " + jobId);
    }

    private Content open(String sha256, String whose) {
        try {
            FileChannel ch = files.open(sha256);
            return new Content(sha256, ch, ch.size());
        } catch (NoSuchFileException e) {
            throw ApiError.notFound(whose + ": the content " + sha256 + " is no longer stored");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read the stored content " + sha256, e);
        }
    }

    /** Only the job's owner and admins may read its files, whatever {@code jobs.privacy} says. */
    static void requireOwner(Principal viewer, long jobId, String owner) {
        if (!viewer.mayChangeJobOf(owner))
            throw new ApiError(
                    403, "job " + jobId + " is not yours: only its owner and admins may see its files", null);
    }
}
