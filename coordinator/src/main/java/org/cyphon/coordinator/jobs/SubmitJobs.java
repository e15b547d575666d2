package org.cyphon.coordinator.jobs;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.cyphon.coordinator.api.ApiError;
import org.cyphon.coordinator.auth.Principal;
import org.cyphon.coordinator.lifecycle.JobLog;
import org.cyphon.coordinator.metrics.CoordinatorMetrics;
import org.cyphon.coordinator.schedule.Fact;
import org.cyphon.coordinator.schedule.SchedulingLoop;
import org.cyphon.coordinator.secrets.SecretsKey;
import org.cyphon.coordinator.store.Database;
import org.cyphon.coordinator.store.EventRow;
import org.cyphon.coordinator.store.EventTable;
import org.cyphon.coordinator.store.JobTable;
import org.cyphon.coordinator.store.StoredJson;
import org.cyphon.core.job.JobSpec;
import org.cyphon.core.job.JobSpecs;
import org.cyphon.core.protocol.JobSubmission;
import org.cyphon.core.protocol.SubmitReply;
import org.cyphon.core.schedule.PendingJob;
import org.cyphon.core.text.FieldError;

/**
 * {@code POST /jobs}: validates the submission with core's {@link JobSpecs} (all or nothing), then
 * inserts all its jobs (a {@code count} of N makes N) and their "submitted" events in one
 * transaction. Returns only after the commit: a 201 means the jobs survive a crash.
 */
public final class SubmitJobs {
    /** Column size for a job's command and env JSON. */
    static final int MAX_STORED_CHARS = 1_000_000;
    /** Guards the store against count x size blow-ups (10,000 copies of a 1 MB command). */
    static final long MAX_SUBMISSION_CHARS = 256L << 20;

    private final Database db;
    private final Clock clock;
    private final int defaultMaxAttempts;
    private final SchedulingLoop loop;
    private final CoordinatorMetrics metrics;
    private final SecretsKey secrets;

    /** @param secrets seals the jobs' secret variables before they are stored */
    public SubmitJobs(
            Database db,
            Clock clock,
            int defaultMaxAttempts,
            SchedulingLoop loop,
            CoordinatorMetrics metrics,
            SecretsKey secrets) {
        this.db = db;
        this.clock = clock;
        this.defaultMaxAttempts = defaultMaxAttempts;
        this.loop = loop;
        this.metrics = metrics;
        this.secrets = secrets;
    }

    /** Characters of command, env and secretEnv, roughly as stored. */
    private static long roughSize(JobSubmission s) {
        long n = 0;
        if (s.command() != null) for (String a : s.command()) n += a == null ? 0 : a.length() + 3;
        n += roughSize(s.env(), 1);
        n += roughSize(s.secretEnv(), 2); // sealed values are base64: 4/3 of the bytes, and a nonce and tag
        return n;
    }

    private static long roughSize(java.util.Map<String, String> env, int factor) {
        long n = 0;
        if (env != null)
            for (var e : env.entrySet())
                n += String.valueOf(e.getKey()).length()
                        + (long) factor * String.valueOf(e.getValue()).length()
                        + 6
                        + 40L * (factor - 1);
        return n;
    }

    private static ApiError tooMany() {
        return ApiError.badField(
                "count",
                "this many copies of this command would store over " + (MAX_SUBMISSION_CHARS >> 20)
                        + "M characters; submit fewer");
    }

    /** @throws ApiError 400 naming the first bad field; nothing is stored then */
    public SubmitReply submit(Principal owner, JobSubmission s) {
        if (s != null && s.maxAttempts() == null) {
            s = new JobSubmission(
                    s.name(),
                    s.command(),
                    s.cpus(),
                    s.memory(),
                    s.runtime(),
                    s.priority(),
                    s.env(),
                    s.count(),
                    defaultMaxAttempts,
                    s.checkpointEvery(),
                    s.checkpointExitCode(),
                    s.requires(),
                    s.secretEnv());
        }
        if (s != null && roughSize(s) * (s.count() == null ? 1L : Math.max(1, s.count())) > MAX_SUBMISSION_CHARS) {
            throw tooMany(); // before validation, which would copy the command count times
        }
        JobSpecs.Result result = JobSpecs.validate(s);
        if (!result.ok()) {
            FieldError e = result.errors().get(0);
            throw new ApiError(400, e.toString(), e.field());
        }
        List<JobTable.NewJob> jobs = new ArrayList<>(result.specs().size());
        long chars = 0;
        for (JobSpec spec : result.specs()) {
            if (jobs.size() == 1 && chars * result.specs().size() > MAX_SUBMISSION_CHARS)
                throw tooMany(); // copies are all about this size
            String command = StoredJson.command(spec.command());
            String env = StoredJson.env(spec.env());
            if (command.length() > MAX_STORED_CHARS)
                throw ApiError.badField(
                        "command", "is " + command.length() + " characters as JSON; at most " + MAX_STORED_CHARS);
            if (env.length() > MAX_STORED_CHARS)
                throw ApiError.badField(
                        "env", "is " + env.length() + " characters as JSON; at most " + MAX_STORED_CHARS);
            long secretChars = SecretsKey.sealedChars(spec.secretEnv());
            if (secretChars > MAX_STORED_CHARS)
                throw ApiError.badField(
                        "secretEnv", "is about " + secretChars + " characters sealed; at most " + MAX_STORED_CHARS);
            chars += command.length() + env.length() + secretChars;
            if (chars > MAX_SUBMISSION_CHARS) throw tooMany();
            jobs.add(new JobTable.NewJob(
                    spec.name(),
                    owner.name(),
                    command,
                    env,
                    spec.cpuMillis(),
                    spec.memoryBytes(),
                    spec.runtime() == null ? null : spec.runtime().toSeconds(),
                    spec.priority(),
                    spec.index(),
                    spec.maxAttempts(),
                    spec.checkpointEvery() == null
                            ? null
                            : spec.checkpointEvery().toSeconds(),
                    spec.checkpointExitCode(),
                    StoredJson.labels(spec.requires()),
                    spec.secretEnv()));
        }
        long now = clock.millis();
        record Written(long[] ids, List<EventRow> events) {}
        Written w = db.transactions().write(c -> {
            long[] ids = db.dialect().nextValues(c, "job_ids", jobs.size());
            JobTable.insert(c, ids, jobs, now, secrets::sealAll);
            List<EventRow> events = new ArrayList<>(ids.length);
            for (long id : ids) events.add(new EventRow(id, now, "submitted", null, null, "by " + owner.name()));
            EventTable.insert(c, events);
            return new Written(ids, events);
        });
        JobLog.committed(w.events());
        metrics.submitted(w.ids().length);
        List<Fact> queued = new ArrayList<>(w.ids().length);
        List<Long> ids = new ArrayList<>(w.ids().length);
        for (int i = 0; i < w.ids().length; i++) {
            JobTable.NewJob j = jobs.get(i);
            JobSpec spec = result.specs().get(i);
            ids.add(w.ids()[i]);
            queued.add(new Fact.JobQueued(new PendingJob(
                    w.ids()[i],
                    owner.name(),
                    j.priority(),
                    j.cpuMillis(),
                    j.memoryBytes(),
                    spec.name(),
                    spec.requires(),
                    spec.runtime(),
                    java.time.Duration.ZERO)));
        }
        loop.tell(queued);
        return new SubmitReply(ids);
    }
}
