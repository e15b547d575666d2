package org.cyphon.coordinator.jobs;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cyphon.coordinator.api.ApiError;
import org.cyphon.coordinator.auth.Principal;
import org.cyphon.coordinator.schedule.SchedulingLoop;
import org.cyphon.coordinator.store.AttemptRow;
import org.cyphon.coordinator.store.AttemptTable;
import org.cyphon.coordinator.store.CheckpointRow;
import org.cyphon.coordinator.store.CheckpointTable;
import org.cyphon.coordinator.store.Database;
import org.cyphon.coordinator.store.EventTable;
import org.cyphon.coordinator.store.JobFilter;
import org.cyphon.coordinator.store.JobRow;
import org.cyphon.coordinator.store.JobStatus;
import org.cyphon.coordinator.store.JobTable;
import org.cyphon.core.job.JobDependencies;
import org.cyphon.core.job.JobState;
import org.cyphon.core.protocol.EventList;
import org.cyphon.core.protocol.EventView;
import org.cyphon.core.protocol.JobList;
import org.cyphon.core.protocol.JobView;

/** {@code GET /jobs}, {@code GET /jobs/{id}}, {@code GET /jobs/{id}/events}. */
public final class ReadJobs {
    private final Database db;
    private final Clock clock;

    private final SchedulingLoop scheduler;
    private final JobVisibility visibility;

    public ReadJobs(Database db, Clock clock) {
        this(db, clock, null, JobVisibility.open());
    }

    /**
     * @param scheduler  what placement knows beyond the store (why jobs wait, learned runtimes); null: nothing
     * @param visibility what each caller may see of a job
     */
    public ReadJobs(Database db, Clock clock, SchedulingLoop scheduler, JobVisibility visibility) {
        this.db = db;
        this.clock = clock;
        this.scheduler = scheduler;
        this.visibility = visibility;
    }

    public JobVisibility visibility() {
        return visibility;
    }

    /** @param viewer who asks: decides what of the environment is shown; the one-job view opens secrets for their owner */
    private JobView view(
            Principal viewer,
            JobRow r,
            List<AttemptRow> attempts,
            CheckpointRow checkpoint,
            long now,
            Map<Long, JobDependencies.Verdict> deps) {
        JobStatus s = r.status();
        String reason = s.reason();
        Long expected = r.runtimeSeconds();
        if (scheduler != null) {
            boolean ownNetwork = org.cyphon.core.job.JobSpecs.NETWORK_NONE.equals(s.network());
            if (s.state() == JobState.QUEUED
                    && reason == null
                    && (!s.requires().isEmpty() || s.diskBytes() != null || ownNetwork || s.gpus() > 0))
                reason = scheduler.whyWaiting(s.requires(), s.diskBytes(), ownNetwork, s.gpus());
            // What placement expects of a job still to run; a finished job's own run is its answer
            // (and the estimate, learned after its report on the scheduler's thread, would make the
            // same finished job read differently from one moment to the next).
            if (expected == null && !s.state().isTerminal()) {
                java.time.Duration learned = scheduler.expectedRuntime(s.owner(), r.name());
                if (learned != null) expected = learned.toSeconds();
            }
        }
        JobDependencies.Verdict v = deps.get(s.id());
        List<Long> waitingOn = s.state() == JobState.WAITING && v != null ? v.waitingOn() : null;
        return JobViews.of(
                r,
                attempts,
                checkpoint,
                now,
                reason,
                expected,
                visibility.env(viewer, r),
                visibility.secretEnv(viewer, r, attempts != null),
                waitingOn);
    }

    /** The listing; when it is cut at its limit, how many jobs match in all, by state (each counted up to {@link JobTable#COUNT_CAP}). */
    public JobList list(Principal viewer, JobFilter filter) {
        long now = clock.millis();
        record Read(List<JobRow> rows, Map<Long, JobDependencies.Verdict> deps, Map<JobState, Long> counts) {}
        Read read = db.transactions().read(c -> {
            List<JobRow> rows = JobTable.list(c, filter);
            Map<Long, JobDependencies.Verdict> deps = DependentJobs.judge(c, waitingIds(rows));
            // Counted for a listing's first page only: a client paging on has the counts already.
            Map<JobState, Long> counts =
                    rows.size() >= filter.limit() && filter.before() == null ? JobTable.countByState(c, filter) : null;
            return new Read(rows, deps, counts);
        });
        Map<String, Long> matching = null;
        Long cap = null;
        if (read.counts() != null) {
            matching = new LinkedHashMap<>();
            for (var e : read.counts().entrySet()) {
                matching.put(e.getKey().wireName(), e.getValue());
                if (e.getValue() >= JobTable.COUNT_CAP) cap = JobTable.COUNT_CAP;
            }
        }
        return new JobList(
                read.rows().stream()
                        .map(r -> view(viewer, r, null, null, now, read.deps()))
                        .toList(),
                matching,
                cap);
    }

    private static List<Long> waitingIds(List<JobRow> rows) {
        List<Long> out = new ArrayList<>();
        for (JobRow r : rows)
            if (r.status().state() == JobState.WAITING) out.add(r.status().id());
        return out;
    }

    /** @throws ApiError 404 when there is no such job */
    public JobView show(Principal viewer, long id) {
        long now = clock.millis();
        return db.transactions().read(c -> {
            JobRow r = JobTable.row(c, id);
            if (r == null) {
                // Finished long ago: moved to the archive, with its attempts; it waits on nothing.
                r = JobTable.rowIncludingArchive(c, id);
                if (r == null) throw noSuchJob(id);
                return view(viewer, r, AttemptTable.archivedOf(c, id), null, now, Map.of());
            }
            Map<Long, JobDependencies.Verdict> deps = DependentJobs.judge(c, waitingIds(List.of(r)));
            return view(viewer, r, AttemptTable.byJob(c, id), CheckpointTable.byJob(c, id), now, deps);
        });
    }

    public EventList events(long id) {
        return db.transactions().read(c -> {
            JobRow job = JobTable.rowIncludingArchive(c, id);
            if (job == null) throw noSuchJob(id);
            List<AttemptRow> attempts = AttemptTable.byJob(c, id);
            // A job finished long ago is in the archive, with its attempts (JobArchive).
            if (attempts.isEmpty()) attempts = AttemptTable.archivedOf(c, id);
            return new EventList(JobEvents.history(job, EventTable.byJob(c, id), attempts).stream()
                    .map(e -> new EventView(
                            Instant.ofEpochMilli(e.at()), e.type(), e.attemptNo(), e.machine(), e.message()))
                    .toList());
        });
    }

    static ApiError noSuchJob(long id) {
        return ApiError.notFound("no job " + id);
    }
}
