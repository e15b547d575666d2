package org.cyphon.coordinator.jobs;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.cyphon.coordinator.store.Database;
import org.cyphon.coordinator.store.JobArchive;

/**
 * Moves the jobs that finished longer ago than {@code jobs.history_retention} to the archive
 * tables ({@link JobArchive}), a batch per transaction so the writer is never held long. Run by
 * the coordinator's periodic work every few minutes.
 */
public final class ArchiveOldJobs {
    static final int BATCH = 1000;

    private final Database db;
    private final Clock clock;
    private final Duration retention;

    public ArchiveOldJobs(Database db, Clock clock, Duration retention) {
        this.db = db;
        this.clock = clock;
        this.retention = retention;
    }

    /** @return how many jobs moved */
    public int run() {
        long cutoff = clock.millis() - retention.toMillis();
        int total = 0;
        while (true) {
            // Found outside the writer (a scan of the finished jobs), checked again and moved in one
            // write transaction by key: a job cannot change between the check and the move.
            List<Long> candidates = db.transactions().read(c -> JobArchive.finishedBefore(c, cutoff, BATCH));
            if (candidates.isEmpty()) return total;
            int moved = db.transactions().write(c -> {
                List<Long> ids = JobArchive.stillMovable(c, candidates, cutoff);
                JobArchive.move(c, ids);
                return ids.size();
            });
            total += moved;
            if (candidates.size() < BATCH || moved == 0) return total;
        }
    }
}
