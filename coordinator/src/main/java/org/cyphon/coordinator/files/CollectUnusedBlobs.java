package org.cyphon.coordinator.files;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.cyphon.coordinator.store.BlobTable;
import org.cyphon.coordinator.store.Database;
import org.cyphon.coordinator.store.JobFileTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes file contents nothing needs any more: named by no output of any job and by no input of a
 * job that may still run, and not uploaded, queried or submitted for {@code files.unused_grace}
 * (so an upload waiting for its submit is not taken from under it). Also forgets the outputs of
 * jobs ended longer than {@code files.keep_outputs} ago, when that is set, and deletes the parts of
 * uploads nobody has continued for the grace period.
 *
 * <p>Rows first, in the single writer (a submit naming a content either commits before, and the
 * content is in use, or after, and is refused as not uploaded); then each file under its content's
 * lock, only if no row names it again by then (an upload of the same content may have just put it
 * back). A crash between the two leaves a file no row names, which {@link #start} deletes.
 */
public final class CollectUnusedBlobs {
    private static final Logger log = LoggerFactory.getLogger(CollectUnusedBlobs.class);
    static final int BATCH = 500;

    private final Database db;
    private final Clock clock;
    private final BlobFiles files;
    private final FileSettings settings;

    public CollectUnusedBlobs(Database db, Clock clock, BlobFiles files, FileSettings settings) {
        this.db = db;
        this.clock = clock;
        this.files = files;
        this.settings = settings;
    }

    /** At start-up, before any upload can be under way: deletes the files no row names, then runs once. */
    public void start() throws IOException {
        Set<String> named = db.transactions().read(BlobTable::allHashes);
        int orphans = 0;
        for (String sha : files.onDisk()) {
            if (named.contains(sha)) continue;
            files.delete(sha);
            orphans++;
        }
        if (orphans > 0) log.info("deleted {} stored file(s) that no row names (an upload cut by a crash)", orphans);
        run();
    }

    /** @return how many contents were deleted */
    public int run() {
        long now = clock.millis();
        if (settings.keepOutputs() != null) {
            long endedBefore = now - settings.keepOutputs().toMillis();
            while (true) {
                List<Long> jobs = db.transactions()
                        .write(c -> JobFileTable.forgetOutputsOfJobsEndedBefore(c, endedBefore, BATCH));
                if (!jobs.isEmpty())
                    log.info("forgot the outputs of {} job(s) ended over files.keep_outputs ago", jobs.size());
                if (jobs.size() < BATCH) break;
            }
        }
        long usedBefore = now - settings.unusedGrace().toMillis();
        int total = 0;
        long bytes = 0;
        while (true) {
            List<BlobTable.Blob> unused = db.transactions().read(c -> BlobTable.unused(c, usedBefore, BATCH));
            if (unused.isEmpty()) break;
            Set<String> deleted = db.transactions().write(c -> BlobTable.delete(c, unused, usedBefore));
            for (BlobTable.Blob b : unused) {
                if (!deleted.contains(b.sha256())) continue;
                synchronized (files.lockOf(b.sha256())) {
                    if (db.transactions().read(c -> BlobTable.byHash(c, b.sha256())) != null) continue; // back in use
                    try {
                        files.delete(b.sha256());
                        bytes += b.sizeBytes();
                    } catch (IOException e) {
                        log.warn(
                                "could not delete the unused stored file {} ({}); start-up will",
                                b.sha256(),
                                e.toString());
                    }
                }
            }
            total += deleted.size();
            if (unused.size() < BATCH || deleted.isEmpty()) break;
        }
        try {
            int parts = files.deleteAbandonedUploads(usedBefore);
            if (parts > 0) log.info("deleted {} upload(s) nobody continued for files.unused_grace", parts);
        } catch (IOException e) {
            log.warn("could not clear abandoned uploads: {}", e.toString());
        }
        if (total > 0) log.info("deleted {} stored file(s) no job needs any more ({} bytes)", total, bytes);
        return total;
    }
}
