package org.cyphon.coordinator.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.cyphon.coordinator.api.ApiError;
import org.cyphon.coordinator.auth.Principal;
import org.cyphon.coordinator.checkpoints.CurrentAttempt;
import org.cyphon.coordinator.store.BlobTable;
import org.cyphon.coordinator.store.Database;
import org.cyphon.core.job.JobSpecs;
import org.cyphon.core.protocol.BlobQuery;
import org.cyphon.core.protocol.BlobQueryReply;
import org.cyphon.core.text.Sizes;

/**
 * Uploads of file contents: users' inputs ({@code POST /files/query}, {@code PUT /files/{sha256}})
 * and agents' outputs (the same under {@code /agents/{m}/attempts/{token}/blobs}).
 *
 * <p>First the uploader asks which contents the coordinator lacks for it; then it sends each in one
 * or more pieces, the next piece starting where the last one ended (a cut connection costs what was
 * in flight, not the whole file). A content counts as the uploader's once the last piece made it
 * whole and its SHA-256 was checked ({@link BlobFiles}); only then is its row written, naming the
 * uploader as one of those who may use it.
 *
 * <p>Who may use a content is kept per user ({@code blob_owners}): a user learns that the
 * coordinator holds a content, and may name it in a job, only once they have uploaded it
 * themselves; holding its hash proves nothing. The bytes are stored once however many users send
 * them. An agent's uploads count as the job's owner's (its outputs are theirs to fetch).
 */
public final class UploadBlobs {
    /** Contents one query may ask about: a job's inputs at most, and a query per job's worth. */
    public static final int MAX_QUERY = JobSpecs.MAX_INPUTS;

    private final Database db;
    private final Clock clock;
    private final BlobFiles files;
    private final FileSettings settings;

    public UploadBlobs(Database db, Clock clock, BlobFiles files, FileSettings settings) {
        this.db = db;
        this.clock = clock;
        this.files = files;
        this.settings = settings;
    }

    /** {@code {"received": N, "complete": true}}: bytes the coordinator holds of the content now. */
    public record Received(long received, boolean complete) {}

    /** {@code POST /files/query}: which of these contents {@code user} still has to upload. */
    public BlobQueryReply query(Principal user, BlobQuery q) {
        return queryFor(user.name(), uploaderOf(user), q);
    }

    /** The agents' query: which of its job's output contents the job's owner does not hold yet. */
    public BlobQueryReply queryForAttempt(String machine, long token, BlobQuery q) {
        CurrentAttempt.Found f = db.transactions().read(c -> CurrentAttempt.require(c, machine, token));
        return queryFor(f.job().owner(), uploaderOf(f.attempt().jobId()), q);
    }

    /**
     * Sizes are not refused here: the reply says the limit ({@code maxInputBytes}), so the client
     * can tell its user how far over it all its inputs are together; an upload over it is refused
     * before a byte of it is read ({@link #admit}).
     */
    private BlobQueryReply queryFor(String owner, String uploader, BlobQuery q) {
        if (q == null || q.blobs().isEmpty()) return new BlobQueryReply(List.of(), settings.maxInputBytes());
        if (q.blobs().size() > MAX_QUERY)
            throw ApiError.badField("blobs", "asks about " + q.blobs().size() + " files; at most " + MAX_QUERY);
        List<String> shas = new ArrayList<>(q.blobs().size());
        for (int i = 0; i < q.blobs().size(); i++) {
            BlobQuery.Blob b = q.blobs().get(i);
            if (b == null) throw ApiError.badField("blobs[" + i + "]", "is null");
            checkHash(b.sha256(), "blobs[" + i + "].sha256");
            if (b.size() < 0) throw ApiError.badField("blobs[" + i + "].size", "must be 0 or more");
            shas.add(b.sha256());
        }
        long now = clock.millis();
        // Read, then touched in the writer: a content just queried must outlive files.unused_grace
        // from now, or a collection could take it between this answer and the submit.
        Map<String, BlobTable.Blob> owned = db.transactions().read(c -> BlobTable.ownedBy(c, shas, owner));
        if (!owned.isEmpty())
            db.transactions().write(c -> {
                BlobTable.touch(c, owned.keySet(), now);
                return null;
            });
        List<BlobQueryReply.Missing> missing = new ArrayList<>();
        java.util.Set<String> asked = new java.util.HashSet<>();
        for (BlobQuery.Blob b : q.blobs()) {
            if (owned.containsKey(b.sha256()) || !asked.add(b.sha256())) continue;
            missing.add(new BlobQueryReply.Missing(
                    b.sha256(), b.size(), Math.min(b.size(), files.received(b.sha256(), uploader))));
        }
        return new BlobQueryReply(missing, settings.maxInputBytes());
    }

    /**
     * The checks {@link #upload} makes before it reads a byte, for the route to make before it opens
     * the body (see {@code StoreCheckpoint.admit} for why).
     *
     * @throws ApiError 400 a bad hash, size or offset; 413 over {@code jobs.max_input_bytes}
     */
    public void admit(String sha256, long size, long offset) {
        admit(sha256, size, offset, settings.maxInputBytes(), "jobs.max_input_bytes");
    }

    /** {@link #admit} for an agent's output upload, with the fencing check. */
    public void admitForAttempt(String machine, long token, String sha256, long size, long offset) {
        admit(sha256, size, offset, settings.maxOutputBytes(), "jobs.max_output_bytes");
        var unused = db.transactions().read(c -> CurrentAttempt.require(c, machine, token));
    }

    private static void admit(String sha256, long size, long offset, long limit, String limitKey) {
        checkHash(sha256, "sha256");
        if (size > limit) throw tooLarge("size", size, limit, limitKey);
        if (offset > size) throw ApiError.badField("offset", offset + " is past the end of a " + size + "-byte file");
    }

    /** {@code PUT /files/{sha256}?size=&offset=}: one piece of a user's upload. */
    public Received upload(Principal user, String sha256, long size, long offset, InputStream body) {
        admit(sha256, size, offset);
        return receive(user.name(), uploaderOf(user), sha256, size, offset, body);
    }

    /** One piece of an agent's upload of its job's output; the content becomes the job owner's. */
    public Received uploadForAttempt(
            String machine, long token, String sha256, long size, long offset, InputStream body) {
        admit(sha256, size, offset, settings.maxOutputBytes(), "jobs.max_output_bytes");
        CurrentAttempt.Found f = db.transactions().read(c -> CurrentAttempt.require(c, machine, token));
        return receive(f.job().owner(), uploaderOf(f.attempt().jobId()), sha256, size, offset, body);
    }

    private Received receive(String owner, String uploader, String sha256, long size, long offset, InputStream body) {
        long got;
        try {
            got = files.receive(sha256, uploader, size, offset, body);
        } catch (BlobFiles.WrongOffset e) {
            throw new ApiError(
                    409,
                    "offset: this upload continues at byte " + e.expected + ", not " + offset
                            + " (ask POST /files/query where to continue)",
                    "offset");
        } catch (BlobFiles.NotThatContent e) {
            throw new ApiError(
                    400,
                    "body: the " + size + " bytes received have SHA-256 " + e.actual + ", not " + sha256
                            + "; nothing was kept (was the file changed while it was sent?)",
                    "body");
        } catch (BlobFiles.TooLong e) {
            throw new ApiError(400, "body: more than the " + size + " bytes given as size", "body");
        } catch (BlobFiles.Busy e) {
            throw new ApiError(503, "another piece of this upload is being received; try again in a moment", null);
        } catch (IOException e) {
            // The body ended early (the connection was cut): what arrived is kept for the next piece.
            throw new ApiError(
                    400,
                    "body: could not read the upload to its end (" + e.getMessage()
                            + "); continue from POST /files/query's offset",
                    "body");
        }
        if (got < size) return new Received(got, false);
        long now = clock.millis();
        synchronized (files.lockOf(sha256)) {
            // Under the content's lock: a collection deleting it right now cannot leave a row without its file.
            if (!files.has(sha256)) throw new ApiError(503, "the content was collected meanwhile; send it again", null);
            db.transactions().write(c -> {
                BlobTable.claim(c, sha256, size, owner, now);
                return null;
            });
        }
        return new Received(size, true);
    }

    /** A user's part files are named by a hash of the name: user names may hold characters a file name should not. */
    static String uploaderOf(Principal user) {
        byte[] h = BlobFiles.sha256().digest(user.name().getBytes(StandardCharsets.UTF_8));
        return "u" + HexFormat.of().formatHex(h, 0, 16);
    }

    static String uploaderOf(long jobId) {
        return "j" + jobId;
    }

    static void checkHash(String sha256, String field) {
        if (!BlobFiles.isHash(sha256)) throw ApiError.badField(field, "must be a SHA-256: 64 lower-case hex digits");
    }

    private static ApiError tooLarge(String field, long size, long limit, String key) {
        return new ApiError(
                413,
                field + ": " + Sizes.format(size) + " (" + size + " bytes) is over the coordinator's " + key + " of "
                        + Sizes.format(limit),
                field);
    }
}
