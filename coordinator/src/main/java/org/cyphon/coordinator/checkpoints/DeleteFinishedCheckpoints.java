package org.cyphon.coordinator.checkpoints;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cyphon.coordinator.store.CheckpointRow;
import org.cyphon.coordinator.store.CheckpointTable;
import org.cyphon.coordinator.store.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the checkpoints of jobs that can never run again (completed, failed, cancelled): each
 * {@link #run} deletes those there are now (the coordinator's periodic work calls it every few
 * seconds), and {@link #start} also every archive or upload that no row names.
 *
 * <p>Why a sweep rather than a delete where a job ends: jobs end in five places (reports, lease
 * expiry, re-enrollment, cancel), each inside a transaction that must not do file I/O; a sweep
 * covers them all, and also a crash between a commit and a file deletion. A finished job's
 * checkpoint lingers until the next run, and nothing can read it meanwhile (fetching needs a live
 * attempt).
 */
public final class DeleteFinishedCheckpoints {
    private static final Logger log = LoggerFactory.getLogger(DeleteFinishedCheckpoints.class);
    static final int BATCH = 500;

    private final Database db;
    private final CheckpointFiles files;
    private final JobLocks locks;

    public DeleteFinishedCheckpoints(Database db, CheckpointFiles files, JobLocks locks) {
        this.db = db;
        this.files = files;
        this.locks = locks;
    }

    /** At start-up, before any upload can be under way: clears files no row names, then runs once. */
    public void start() throws IOException {
        int orphans = deleteUnnamedFiles();
        if (orphans > 0) log.info("deleted checkpoint files of {} job(s) that no stored checkpoint names", orphans);
        run();
    }

    /** @return how many finished jobs' checkpoints were deleted */
    public int run() {
        int total = 0;
        while (true) {
            List<CheckpointRow> rows = db.transactions().read(c -> CheckpointTable.ofFinishedJobs(c, BATCH));
            if (rows.isEmpty()) return total;
            db.transactions().write(c -> {
                CheckpointTable.deleteAll(c, rows);
                return null;
            });
            for (CheckpointRow r : rows) {
                synchronized (locks.of(r.jobId())) {
                    try {
                        files.deleteAllBut(r.jobId(), null, true);
                    } catch (IOException e) {
                        log.warn(
                                "job {}: could not delete its checkpoint files ({}); start-up will",
                                r.jobId(),
                                e.toString());
                    }
                }
            }
            total += rows.size();
            if (rows.size() < BATCH) return total;
        }
    }

    private int deleteUnnamedFiles() throws IOException {
        Map<Long, String> named = new HashMap<>();
        for (CheckpointRow r : db.transactions().read(CheckpointTable::all)) named.put(r.jobId(), r.fileName());
        int jobs = 0;
        for (long jobId : files.jobsOnDisk()) {
            String keep = named.get(jobId);
            files.deleteAllBut(jobId, keep, true);
            if (keep == null) jobs++;
        }
        return jobs;
    }
}
