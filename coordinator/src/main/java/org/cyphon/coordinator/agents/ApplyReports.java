package org.cyphon.coordinator.agents;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.cyphon.coordinator.api.ApiError;
import org.cyphon.coordinator.jobs.AfterCommit;
import org.cyphon.coordinator.jobs.DependentJobs;
import org.cyphon.coordinator.lifecycle.LostCpu;
import org.cyphon.coordinator.lifecycle.NextJobStatus;
import org.cyphon.coordinator.lifecycle.Step;
import org.cyphon.coordinator.metrics.CoordinatorMetrics;
import org.cyphon.coordinator.schedule.SchedulingLoop;
import org.cyphon.coordinator.store.AttemptEnd;
import org.cyphon.coordinator.store.AttemptRow;
import org.cyphon.coordinator.store.AttemptTable;
import org.cyphon.coordinator.store.CheckpointRow;
import org.cyphon.coordinator.store.CheckpointTable;
import org.cyphon.coordinator.store.Database;
import org.cyphon.coordinator.store.EventRow;
import org.cyphon.coordinator.store.EventTable;
import org.cyphon.coordinator.store.JobStatus;
import org.cyphon.coordinator.store.JobTable;
import org.cyphon.core.job.AttemptOutcome;
import org.cyphon.core.job.JobState;
import org.cyphon.core.protocol.AttemptReport;
import org.cyphon.core.protocol.ReportBatch;
import org.cyphon.core.protocol.ReportReply;
import org.cyphon.core.protocol.ReportResult;

/**
 * {@code POST /agents/{m}/reports}: how attempts ended, in one transaction per batch.
 *
 * <p>Fencing: a report acts on its job only if its token is the job's current attempt, the attempt
 * is on the reporting machine and still live. Otherwise it is refused ({@code accepted: false}),
 * with "already reported" when that very attempt's end was reported before (a re-send: the agent
 * may forget it) and "stale attempt" when the job has moved on. Either way a report of a live
 * attempt ends that attempt (the agent says it is gone), which frees its machine's resources.
 *
 * <p>Outcomes: {@code exited} -> EXITED (completed); {@code failed_to_start} -> ATTEMPT_LOST;
 * {@code vacated} -> VACATED; {@code killed} of an attempt we asked to stop (cancel, hold, stale)
 * is recorded and accepted, and of one we did not ask to stop counts as lost.
 *
 * <p>Checkpoints: {@code exited} with the job's checkpoint exit code, from an attempt that stored a
 * checkpoint (the agent uploads before it reports), is VACATED instead ("checkpointed; requeued"):
 * the job runs again from that checkpoint without using up an attempt. With no checkpoint stored
 * by that attempt it is an ordinary exit: a job that merely happens to exit with that code then
 * completes as before, and one that never saves anything cannot requeue itself forever. Vacated,
 * lost and unasked-for killed attempts add what they computed since their last checkpoint to the
 * job's lost CPU time ({@link LostCpu#reported}).
 */
public final class ApplyReports {
    static final int MAX_REPORTS = 10_000;

    private final Database db;
    private final Clock clock;
    private final SchedulingLoop loop;
    private final CoordinatorMetrics metrics;

    public ApplyReports(Database db, Clock clock, SchedulingLoop loop, CoordinatorMetrics metrics) {
        this.db = db;
        this.clock = clock;
        this.loop = loop;
        this.metrics = metrics;
    }

    /**
     * The reply once the batch is committed; a request thread waits for nothing (see {@code
     * Transactions#writeLater}).
     *
     * @throws ApiError 400 naming the first bad field (at once); then no report is applied
     */
    public java.util.concurrent.CompletableFuture<ReportReply> apply(String machine, ReportBatch batch) {
        List<AttemptReport> reports = validate(batch);
        long now = clock.millis();
        record Applied(List<ReportResult> results, AfterCommit after) {}
        // The attempts and jobs are read here, outside the store's single writer (which every
        // dispatched job passes through twice); what the writer then writes is compare-and-set on
        // what was read (a live attempt is deleted only with the lease expiry read, a job updated
        // only at the version read), so a change meanwhile fails the write, and the work, run again
        // by the writer, reads inside it.
        ReadState preRead = db.transactions().read(c -> readState(c, reports));
        boolean[] firstRun = {true};
        return db.transactions()
                .writeLater(c -> {
                    ReadState state = firstRun[0] ? preRead : readState(c, reports);
                    firstRun[0] = false;
                    Map<Long, AttemptRow> attempts = new HashMap<>(state.attempts());
                    Map<Long, JobStatus> jobs = state.jobs();
                    Map<Long, CheckpointRow> checkpoints = checkpointsOfRequeueExits(c, reports, attempts, jobs);
                    Map<Long, JobStatus> changed = new LinkedHashMap<>();
                    List<AttemptEnd> ends = new ArrayList<>();
                    List<EventRow> events = new ArrayList<>();
                    List<ReportResult> results = new ArrayList<>(reports.size());
                    AfterCommit after = new AfterCommit();
                    for (AttemptReport r : reports) {
                        AttemptRow a = attempts.get(r.fencingToken());
                        if (a == null
                                || !a.machine().equals(machine)
                                || a.jobId() != r.jobId()
                                || a.attemptNo() != r.attempt()) {
                            results.add(refused(r, "stale attempt"));
                            continue;
                        }
                        if (!a.live()) {
                            results.add(refused(r, a.reported() ? "already reported" : "stale attempt"));
                            continue;
                        }
                        AttemptEnd end = new AttemptEnd(
                                a, now, r.outcome(), true, r.exitCode(), r.signal(), r.cpuSeconds(), r.message());
                        ends.add(end);
                        attempts.put(a.fencingToken(), a.endedBy(end));
                        JobStatus j = changed.getOrDefault(a.jobId(), jobs.get(a.jobId()));
                        boolean isCurrent = j != null && Objects.equals(j.currentToken(), a.fencingToken());
                        if (isCurrent && j.state().hasLiveAttempt()) {
                            Step step = switch (r.outcome()) {
                                case EXITED -> exited(j, a, r, checkpoints.get(a.jobId()), now);
                                case VACATED -> NextJobStatus.vacated(j, a, r.message(), LostCpu.reported(r), now);
                                case FAILED_TO_START ->
                                    NextJobStatus.lost(
                                            j, a, "could not start" + suffix(r.message()), LostCpu.reported(r), now);
                                case KILLED ->
                                    NextJobStatus.lost(
                                            j,
                                            a,
                                            "killed on the machine" + suffix(r.message()),
                                            LostCpu.reported(r),
                                            now);
                                case LOST -> throw new IllegalStateException("validate() refuses a reported lost");
                            };
                            changed.put(j.id(), step.status());
                            events.addAll(step.events());
                            after.step(step);
                            after.attemptEnded(
                                    a,
                                    r.outcome(),
                                    r.message(),
                                    true,
                                    r.cpuSeconds(),
                                    step.status().state() == JobState.COMPLETED);
                            results.add(new ReportResult(r.jobId(), r.attempt(), true, null));
                        } else {
                            after.attemptEnded(
                                    a,
                                    r.outcome(),
                                    "job is " + (j == null ? "gone" : j.state().wireName()),
                                    false,
                                    r.cpuSeconds(),
                                    false);
                            if (r.outcome() == AttemptOutcome.KILLED)
                                results.add(new ReportResult(r.jobId(), r.attempt(), true, null));
                            else if (isCurrent)
                                results.add(refused(r, "job is " + j.state().wireName()));
                            else results.add(refused(r, "stale attempt"));
                        }
                    }
                    AttemptTable.endAll(c, ends);
                    JobTable.updateAll(c, changed.values());
                    EventTable.insert(c, events);
                    DependentJobs.afterChanges(c, changed.values(), now, after);
                    return new Applied(results, after);
                })
                .thenApply(applied -> {
                    applied.after().run(loop, metrics);
                    return new ReportReply(applied.results());
                });
    }

    /** The reported attempts (live or ended) by fencing token, and their jobs' statuses by id. */
    private record ReadState(Map<Long, AttemptRow> attempts, Map<Long, JobStatus> jobs) {}

    private static ReadState readState(Connection c, List<AttemptReport> reports) throws SQLException {
        Map<Long, AttemptRow> attempts = AttemptTable.byTokens(
                c, reports.stream().map(AttemptReport::fencingToken).toList());
        Map<Long, JobStatus> jobs = JobTable.statuses(
                c, attempts.values().stream().map(AttemptRow::jobId).distinct().toList());
        return new ReadState(attempts, jobs);
    }

    /**
     * The stored checkpoints of the jobs whose report may be a "checkpointed, requeue me" exit (see
     * {@link #exited}); every other report needs none, so most batches make no query for them.
     */
    private static Map<Long, CheckpointRow> checkpointsOfRequeueExits(
            Connection c, List<AttemptReport> reports, Map<Long, AttemptRow> attempts, Map<Long, JobStatus> jobs)
            throws SQLException {
        List<Long> ids = new ArrayList<>();
        for (AttemptReport r : reports) {
            AttemptRow a = attempts.get(r.fencingToken());
            JobStatus j = a == null ? null : jobs.get(a.jobId());
            if (j != null
                    && r.outcome() == AttemptOutcome.EXITED
                    && r.exitCode() != null
                    && r.exitCode() == j.checkpointExitCode()) ids.add(j.id());
        }
        return ids.isEmpty() ? Map.of() : CheckpointTable.byJobs(c, ids);
    }

    /** An exit: the job's end, or, with its checkpoint exit code and a checkpoint stored by this attempt, a requeue. */
    private static Step exited(JobStatus j, AttemptRow a, AttemptReport r, CheckpointRow checkpoint, long now) {
        boolean checkpointCode = r.exitCode() != null && r.exitCode() == j.checkpointExitCode();
        if (checkpointCode && checkpoint != null && checkpoint.fencingToken() == a.fencingToken()) {
            return NextJobStatus.checkpointed(j, a, r.exitCode(), now);
        }
        String message = r.message();
        if (checkpointCode) {
            String note = NextJobStatus.CHECKPOINT_CODE_WITHOUT_CHECKPOINT;
            message = message == null || message.isBlank() ? note : message + "; " + note;
        }
        return NextJobStatus.exited(j, a, r.exitCode(), r.signal(), r.cpuSeconds(), message, now);
    }

    private static List<AttemptReport> validate(ReportBatch batch) {
        if (batch == null || batch.reports() == null)
            throw ApiError.badField("reports", "is required (a list of attempt reports)");
        List<AttemptReport> reports = batch.reports();
        if (reports.size() > MAX_REPORTS)
            throw ApiError.badField(
                    "reports", "has " + reports.size() + " reports; at most " + MAX_REPORTS + " per call");
        for (int i = 0; i < reports.size(); i++) {
            AttemptReport r = reports.get(i);
            String at = "reports[" + i + "]";
            if (r == null) throw ApiError.badField(at, "is null");
            // An unknown value never gets here: reading the body refuses it, naming the field.
            if (r.outcome() == null || !r.outcome().reported()) {
                throw ApiError.badField(
                        at + ".outcome",
                        "must be one of " + AttemptOutcome.reportedNames() + "; got "
                                + (r.outcome() == null ? "none" : r.outcome().wireName()));
            }
            if (!Double.isFinite(r.cpuSeconds()) || r.cpuSeconds() < 0)
                throw ApiError.badField(at + ".cpuSeconds", "must be a number >= 0");
            Double since = r.cpuSecondsSinceCheckpoint();
            if (since != null && (!Double.isFinite(since) || since < 0))
                throw ApiError.badField(at + ".cpuSecondsSinceCheckpoint", "must be a number >= 0");
            if (r.attempt() < 1) throw ApiError.badField(at + ".attempt", "must be >= 1");
        }
        return reports;
    }

    private static ReportResult refused(AttemptReport r, String reason) {
        return new ReportResult(r.jobId(), r.attempt(), false, reason);
    }

    private static String suffix(String message) {
        return message == null || message.isBlank() ? "" : ": " + message;
    }
}
