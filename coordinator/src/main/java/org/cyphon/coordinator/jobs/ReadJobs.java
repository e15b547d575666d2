package org.cyphon.coordinator.jobs;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.cyphon.coordinator.store.JobStatus;
import org.cyphon.core.job.JobState;
import org.cyphon.coordinator.api.ApiError;
import org.cyphon.coordinator.store.AttemptTable;
import org.cyphon.coordinator.store.CheckpointTable;
import org.cyphon.coordinator.store.Database;
import org.cyphon.coordinator.store.EventTable;
import org.cyphon.coordinator.store.JobFilter;
import org.cyphon.coordinator.store.JobRow;
import org.cyphon.coordinator.store.JobTable;
import org.cyphon.core.protocol.EventList;
import org.cyphon.core.protocol.EventView;
import org.cyphon.core.protocol.JobList;
import org.cyphon.core.protocol.JobView;

/** {@code GET /jobs}, {@code GET /jobs/{id}}, {@code GET /jobs/{id}/events}. */
public final class ReadJobs {
    private final Database db;
    private final Clock clock;

    private final Function<Map<String, String>, String> whyWaiting;

    public ReadJobs(Database db, Clock clock) {
        this(db, clock, requires -> null);
    }

    /** @param whyWaiting why a queued job with these requirements waits, if for want of a machine (the scheduler knows) */
    public ReadJobs(Database db, Clock clock, Function<Map<String, String>, String> whyWaiting) {
        this.db = db;
        this.clock = clock;
        this.whyWaiting = whyWaiting;
    }

    private String reason(JobRow r) {
        JobStatus s = r.status();
        if (s.state() != JobState.QUEUED || s.reason() != null || s.requires().isEmpty()) return s.reason();
        return whyWaiting.apply(s.requires());
    }

    public JobList list(JobFilter filter) {
        long now = clock.millis();
        List<JobRow> rows = db.transactions().read(c -> JobTable.list(c, filter));
        return new JobList(rows.stream().map(r -> JobViews.of(r, null, null, now, reason(r))).toList());
    }

    /** @throws ApiError 404 when there is no such job */
    public JobView show(long id) {
        long now = clock.millis();
        return db.transactions().read(c -> {
            JobRow r = JobTable.row(c, id);
            if (r == null) throw noSuchJob(id);
            return JobViews.of(r, AttemptTable.byJob(c, id), CheckpointTable.byJob(c, id), now, reason(r));
        });
    }

    public EventList events(long id) {
        return db.transactions().read(c -> {
            if (JobTable.status(c, id) == null) throw noSuchJob(id);
            return new EventList(EventTable.byJob(c, id).stream()
                    .map(e -> new EventView(Instant.ofEpochMilli(e.at()), e.type(), e.attemptNo(), e.machine(), e.message()))
                    .toList());
        });
    }

    static ApiError noSuchJob(long id) {
        return ApiError.notFound("no job " + id);
    }
}
