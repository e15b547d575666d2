package org.cyphon.coordinator.jobs;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.cyphon.coordinator.api.ApiError;
import org.cyphon.coordinator.auth.Principal;
import org.cyphon.coordinator.lifecycle.JobLog;
import org.cyphon.coordinator.metrics.CoordinatorMetrics;
import org.cyphon.coordinator.schedule.Fact;
import org.cyphon.coordinator.schedule.SchedulingLoop;
import org.cyphon.coordinator.secrets.SecretsKey;
import org.cyphon.coordinator.store.BlobTable;
import org.cyphon.coordinator.store.Database;
import org.cyphon.coordinator.store.DependencyTable;
import org.cyphon.coordinator.store.EventRow;
import org.cyphon.coordinator.store.EventTable;
import org.cyphon.coordinator.store.JobFileTable;
import org.cyphon.coordinator.store.JobTable;
import org.cyphon.coordinator.store.StoredJson;
import org.cyphon.core.job.JobDependencies;
import org.cyphon.core.job.JobSpec;
import org.cyphon.core.job.JobSpecs;
import org.cyphon.core.job.JobState;
import org.cyphon.core.protocol.JobBatch;
import org.cyphon.core.protocol.JobFiles;
import org.cyphon.core.protocol.JobSubmission;
import org.cyphon.core.protocol.SubmitReply;
import org.cyphon.core.schedule.PendingJob;
import org.cyphon.core.text.FieldError;

/**
 * {@code POST /jobs}: validates the submission with core's {@link JobSpecs} (all or nothing), then
 * inserts all its jobs (a {@code count} of N makes N) in one transaction, with a "waiting" or "held"
 * event for those that start so (their "submitted" event is the job row itself: {@link JobEvents}). Returns only after the commit: a 201 means the jobs survive a crash.
 */
public final class SubmitJobs {
    /** Column size for a job's command and env JSON. */
    static final int MAX_STORED_CHARS = 1_000_000;
    /** Guards the store against count x size blow-ups (100,000 copies of a 1 MB command). */
    static final long MAX_SUBMISSION_CHARS = 256L << 20;

    private final Database db;
    private final Clock clock;
    private final int defaultMaxAttempts;
    private final SchedulingLoop loop;
    private final CoordinatorMetrics metrics;
    private final SecretsKey secrets;
    private final org.cyphon.coordinator.files.FileSettings files;

    /** @param secrets seals the jobs' secret variables before they are stored */
    public SubmitJobs(
            Database db,
            Clock clock,
            int defaultMaxAttempts,
            SchedulingLoop loop,
            CoordinatorMetrics metrics,
            SecretsKey secrets) {
        this(db, clock, defaultMaxAttempts, loop, metrics, secrets, org.cyphon.coordinator.files.FileSettings.DEFAULT);
    }

    /** @param files the limit on a job's uploaded inputs ({@code jobs.max_input_bytes}) */
    public SubmitJobs(
            Database db,
            Clock clock,
            int defaultMaxAttempts,
            SchedulingLoop loop,
            CoordinatorMetrics metrics,
            SecretsKey secrets,
            org.cyphon.coordinator.files.FileSettings files) {
        this.db = db;
        this.clock = clock;
        this.defaultMaxAttempts = defaultMaxAttempts;
        this.loop = loop;
        this.metrics = metrics;
        this.secrets = secrets;
        this.files = files;
    }

    /** Characters of command, env and secretEnv, roughly as stored. */
    private static long roughSize(JobSubmission s) {
        long n = 0;
        if (s.command() != null) for (String a : s.command()) n += a == null ? 0 : a.length() + 3;
        n += roughSize(s.env(), 1);
        n += roughSize(s.secretEnv(), 2); // sealed values are base64: 4/3 of the bytes, and a nonce and tag
        if (s.files() != null) {
            for (JobFiles.Input in : s.files().inputs())
                if (in != null)
                    n += 120
                            + String.valueOf(in.name()).length()
                            + String.valueOf(in.link()).length();
            for (String o : s.files().outputs()) n += 3 + String.valueOf(o).length();
        }
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
        return submitAll(owner, java.util.Collections.singletonList(s), null, List.of());
    }

    /**
     * A batch, all or nothing: indexes run on across its submissions and {@code {cluster}} becomes
     * its first job's id ({@link JobBatch}).
     *
     * @throws ApiError 400 naming the first bad field, prefixed {@code jobs[i].}; nothing is stored then
     */
    public SubmitReply submitBatch(Principal owner, JobBatch batch) {
        if (batch == null || batch.jobs() == null || batch.jobs().isEmpty())
            throw ApiError.badField("jobs", "is empty: give at least one submission");
        List<JobBatch.Edge> edges = batch.edges() == null ? List.of() : batch.edges();
        checkEdges(batch.jobs().size(), edges);
        return submitAll(owner, batch.jobs(), "jobs", edges);
    }

    /** Rows of job_deps one batch may write: a DAG of N x M jobs between two nodes adds N*M. */
    static final int MAX_EDGE_ROWS = 100_000;

    private static void checkEdges(int submissions, List<JobBatch.Edge> edges) {
        List<int[]> pairs = new ArrayList<>(edges.size());
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (int i = 0; i < edges.size(); i++) {
            JobBatch.Edge e = edges.get(i);
            if (e == null || e.job() < 0 || e.job() >= submissions || e.after() < 0 || e.after() >= submissions)
                throw ApiError.badField(
                        "edges[" + i + "]", "must name two submissions of the batch (0 to " + (submissions - 1) + ")");
            if (e.job() == e.after())
                throw ApiError.badField("edges[" + i + "]", "a submission cannot run after itself");
            if (!seen.add(((long) e.job() << 32) | e.after()))
                throw ApiError.badField("edges[" + i + "]", "is listed twice");
            pairs.add(new int[] {e.job(), e.after()});
        }
        List<Integer> cycle = JobDependencies.cycle(submissions, pairs);
        if (!cycle.isEmpty())
            throw ApiError.badField(
                    "edges",
                    "make a cycle: submission "
                            + String.join(
                                    " runs after ",
                                    cycle.stream().map(String::valueOf).toList()) + "; no job in it could ever run");
    }

    /** One submission's validated jobs, and the state they start in. */
    private record Group(List<JobTable.NewJob> jobs, List<JobSpec> specs, JobSubmission.After after) {}

    private SubmitReply submitAll(
            Principal owner, List<JobSubmission> subs, String batchField, List<JobBatch.Edge> edges) {
        List<Group> groups = new ArrayList<>(subs.size());
        int nextIndex = 0;
        long chars = 0;
        for (int g = 0; g < subs.size(); g++) {
            String prefix = batchField == null ? "" : batchField + "[" + g + "].";
            JobSubmission s = subs.get(g);
            // Every other field kept: a copy that listed them by hand dropped those added later.
            if (s != null && s.maxAttempts() == null) s = s.withMaxAttempts(defaultMaxAttempts);
            if (s != null
                    && (roughSize(s) * (s.count() == null ? 1L : Math.max(1, s.count())) + chars
                            > MAX_SUBMISSION_CHARS)) {
                throw tooMany(); // before validation, which would copy the command count times
            }
            JobSpecs.Result result = JobSpecs.validate(s, nextIndex);
            if (!result.ok()) {
                FieldError e = result.errors().get(0);
                throw new ApiError(400, prefix + e, prefix + e.field());
            }
            JobFiles jobFiles = result.specs().get(0).files();
            if (jobFiles.uploadedBytes() > files.maxInputBytes())
                throw new ApiError(
                        413,
                        prefix + "files.inputs: " + org.cyphon.core.text.Sizes.format(jobFiles.uploadedBytes())
                                + " in all, over the coordinator's jobs.max_input_bytes of "
                                + org.cyphon.core.text.Sizes.format(files.maxInputBytes()),
                        prefix + "files.inputs");
            nextIndex += result.specs().size();
            if (nextIndex > JobSpecs.MAX_COUNT)
                throw ApiError.badField(
                        batchField == null ? "count" : batchField,
                        "makes more than " + JobSpecs.MAX_COUNT + " jobs in one submission");
            List<JobTable.NewJob> jobs = new ArrayList<>(result.specs().size());
            long groupChars = 0;
            // Every instance has the same files: one JSON for them all.
            String filesJson = StoredJson.files(jobFiles);
            if (filesJson != null && filesJson.length() > MAX_STORED_CHARS)
                throw ApiError.badField(
                        prefix + "files",
                        "is " + filesJson.length() + " characters as JSON; at most " + MAX_STORED_CHARS
                                + " (send a directory of many files as one archive)");
            // The instances of a count share their command (unless it has {index}), env and labels:
            // written as JSON once, not 100,000 times.
            JsonOnce<List<String>> commands = new JsonOnce<>(StoredJson::command);
            JsonOnce<Map<String, String>> envs = new JsonOnce<>(StoredJson::env);
            JsonOnce<Map<String, String>> labels = new JsonOnce<>(StoredJson::labels);
            for (JobSpec spec : result.specs()) {
                if (jobs.size() == 1 && groupChars * result.specs().size() + chars > MAX_SUBMISSION_CHARS)
                    throw tooMany(); // copies are all about this size
                String command = commands.of(spec.command());
                String env = envs.of(spec.env());
                if (command.length() > MAX_STORED_CHARS)
                    throw ApiError.badField(
                            prefix + "command",
                            "is " + command.length() + " characters as JSON; at most " + MAX_STORED_CHARS);
                if (env.length() > MAX_STORED_CHARS)
                    throw ApiError.badField(
                            prefix + "env", "is " + env.length() + " characters as JSON; at most " + MAX_STORED_CHARS);
                long secretChars = SecretsKey.sealedChars(spec.secretEnv());
                if (secretChars > MAX_STORED_CHARS)
                    throw ApiError.badField(
                            prefix + "secretEnv",
                            "is about " + secretChars + " characters sealed; at most " + MAX_STORED_CHARS);
                groupChars +=
                        command.length() + env.length() + secretChars + (filesJson == null ? 0 : filesJson.length());
                if (chars + groupChars > MAX_SUBMISSION_CHARS) throw tooMany();
                jobs.add(newJob(owner, spec, command, env, labels.of(spec.requires()), filesJson));
            }
            chars += groupChars;
            groups.add(new Group(jobs, result.specs(), s.after() == null ? JobSubmission.After.NONE : s.after()));
        }
        long edgeRows = 0;
        for (JobBatch.Edge e : edges)
            edgeRows += (long) groups.get(e.job()).jobs().size()
                    * groups.get(e.after()).jobs().size();
        if (edgeRows > MAX_EDGE_ROWS)
            throw ApiError.badField(
                    "edges", "make " + edgeRows + " job-to-job dependencies; at most " + MAX_EDGE_ROWS + " per batch");
        long now = clock.millis();
        record Written(long[] ids, List<EventRow> events, List<JobState> states) {}
        Written w = db.transactions().write(c -> {
            int total = 0;
            for (Group g : groups) total += g.jobs().size();
            long[] ids = db.dialect().nextValues(c, "job_ids", total);
            String cluster = Long.toString(ids[0]);
            List<EventRow> events = new ArrayList<>(ids.length);
            List<EventRow> stored = new ArrayList<>();
            List<JobState> states = new ArrayList<>(groups.size());
            long[][] idsOf = new long[groups.size()][];
            int at = 0;
            for (int gi = 0; gi < groups.size(); gi++) {
                idsOf[gi] = java.util.Arrays.copyOfRange(
                        ids, at, at + groups.get(gi).jobs().size());
                at += idsOf[gi].length;
            }
            for (int gi = 0; gi < groups.size(); gi++) {
                Group g = groups.get(gi);
                long[] mine = idsOf[gi];
                String prefix = batchField == null ? "" : batchField + "[" + gi + "].";
                JobDependencies.Verdict v = dependencies(c, g.after(), prefix);
                List<Long> inBatch = new ArrayList<>();
                List<DependencyTable.Dependency> inside = new ArrayList<>();
                for (JobBatch.Edge e : edges) {
                    if (e.job() != gi) continue;
                    for (long p : idsOf[e.after()]) {
                        inBatch.add(p);
                        for (long id : mine) inside.add(new DependencyTable.Dependency(id, p, e.anyEnd()));
                    }
                }
                // Jobs of the same batch have not run yet: a job after one of them waits (unless
                // a dependency outside the batch has already failed, which holds it).
                if (!inBatch.isEmpty() && v.outcome() != JobDependencies.Outcome.BROKEN) {
                    List<Long> on = new ArrayList<>(v.waitingOn());
                    on.addAll(inBatch);
                    v = new JobDependencies.Verdict(JobDependencies.Outcome.WAIT, on, null);
                }
                JobState state = switch (v.outcome()) {
                    case READY -> JobState.QUEUED;
                    case WAIT -> JobState.WAITING;
                    case BROKEN -> JobState.HELD;
                };
                states.add(state);
                List<JobTable.NewJob> jobs = batchField == null ? g.jobs() : withCluster(g.jobs(), cluster);
                JobFiles jf = g.specs().get(0).files();
                checkUploads(c, owner.name(), jf, prefix, now);
                JobTable.insert(c, mine, jobs, now, secrets::sealAll, state, v.reason());
                JobFileTable.insertInputs(c, mine, uploads(jf));
                List<DependencyTable.Dependency> outside = new ArrayList<>();
                for (long id : mine) {
                    for (long a : g.after().ok()) outside.add(new DependencyTable.Dependency(id, a, false));
                    for (long a : g.after().any()) outside.add(new DependencyTable.Dependency(id, a, true));
                }
                DependencyTable.insert(c, outside);
                DependencyTable.insert(c, inside);
                for (long id : mine) {
                    // Logged, not stored: the job row says who submitted it and when ({@link JobEvents}).
                    events.add(JobEvents.submitted(id, now, owner.name()));
                    if (!jf.inputs().isEmpty()) {
                        stored.add(new EventRow(id, now, "inputs", null, null, inputList(jf)));
                        events.add(stored.getLast());
                    }
                    if (state == JobState.WAITING) {
                        stored.add(new EventRow(id, now, "waiting", null, null, "on " + waitList(v.waitingOn())));
                        events.add(stored.getLast());
                    }
                    if (state == JobState.HELD) {
                        stored.add(new EventRow(id, now, "held", null, null, v.reason()));
                        events.add(stored.getLast());
                    }
                }
            }
            EventTable.insert(c, stored);
            return new Written(ids, events, states);
        });
        JobLog.committed(w.events());
        metrics.submitted(w.ids().length);
        db.plannerStatistics().jobsChanged(w.ids().length);
        List<Fact> queued = new ArrayList<>(w.ids().length);
        List<Long> ids = new ArrayList<>(w.ids().length);
        int at = 0;
        for (int gi = 0; gi < groups.size(); gi++) {
            Group g = groups.get(gi);
            for (int i = 0; i < g.jobs().size(); i++, at++) {
                ids.add(w.ids()[at]);
                if (w.states().get(gi) != JobState.QUEUED) continue; // waiting and held jobs are not the scheduler's
                JobTable.NewJob j = g.jobs().get(i);
                JobSpec spec = g.specs().get(i);
                queued.add(new Fact.JobQueued(new PendingJob(
                        w.ids()[at],
                        owner.name(),
                        j.priority(),
                        j.cpuMillis(),
                        j.memoryBytes(),
                        spec.name(),
                        spec.requires(),
                        spec.runtime(),
                        java.time.Duration.ZERO,
                        spec.diskBytes() == null ? 0 : spec.diskBytes(),
                        org.cyphon.core.job.JobSpecs.NETWORK_NONE.equals(spec.network()),
                        spec.gpus())));
            }
        }
        loop.tell(queued);
        return new SubmitReply(ids);
    }

    /**
     * What the jobs a submission runs after say, read in the write: none of them can end between
     * this read and the commit, since the store has one writer.
     *
     * @throws ApiError 400 when one does not exist (so a cycle can never be made: a job can only
     *                  run after jobs that exist before it)
     */
    private static JobDependencies.Verdict dependencies(Connection c, JobSubmission.After after, String prefix)
            throws SQLException {
        if (after.isEmpty()) return new JobDependencies.Verdict(JobDependencies.Outcome.READY, List.of(), null);
        List<Long> all = new ArrayList<>(after.ok());
        all.addAll(after.any());
        Map<Long, JobDependencies.Ending> ends = DependentJobs.endings(c, all);
        for (long id : all) {
            if (!ends.containsKey(id))
                throw ApiError.badField(prefix + (after.ok().contains(id) ? "after.ok" : "after.any"), "no job " + id);
        }
        List<JobDependencies.Edge> edges = new ArrayList<>();
        for (long id : after.ok()) edges.add(new JobDependencies.Edge(id, false));
        for (long id : after.any()) edges.add(new JobDependencies.Edge(id, true));
        return JobDependencies.judge(edges, ends);
    }

    /** The first few ids: an event message has room for about 1,000 characters. */
    private static String waitList(List<Long> ids) {
        int shown = Math.min(ids.size(), 20);
        String list = String.join(
                ", ", ids.subList(0, shown).stream().map(String::valueOf).toList());
        return ids.size() > shown ? list + " and " + (ids.size() - shown) + " more" : list;
    }

    /** {@code {cluster}} in the stored command and env JSON replaced: the token has no character JSON escapes. */
    private static List<JobTable.NewJob> withCluster(List<JobTable.NewJob> jobs, String cluster) {
        List<JobTable.NewJob> out = new ArrayList<>(jobs.size());
        for (JobTable.NewJob j : jobs) {
            out.add(new JobTable.NewJob(
                    j.name(),
                    j.owner(),
                    j.commandJson().replace(CLUSTER, cluster),
                    j.envJson().replace(CLUSTER, cluster),
                    j.cpuMillis(),
                    j.memoryBytes(),
                    j.runtimeSeconds(),
                    j.priority(),
                    j.index(),
                    j.maxAttempts(),
                    j.checkpointEverySeconds(),
                    j.checkpointExitCode(),
                    j.requiresJson(),
                    withCluster(j.secretEnv(), cluster),
                    j.filesJson(),
                    j.diskBytes(),
                    j.network(),
                    j.gpus()));
        }
        return out;
    }

    /** The secret values with {@code {cluster}} replaced, like the plain env's. */
    private static Map<String, String> withCluster(Map<String, String> secretEnv, String cluster) {
        if (secretEnv.isEmpty()) return secretEnv;
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (var e : secretEnv.entrySet()) out.put(e.getKey(), e.getValue().replace(CLUSTER, cluster));
        return out;
    }

    /** In a batch, replaced by the id of its first job (HTCondor's {@code $(Cluster)}). */
    public static final String CLUSTER = "{cluster}";

    /** The JSON of the last value seen, written again only for a value that differs from it. */
    private static final class JsonOnce<T> {
        private final Function<T, String> write;
        private boolean seen;
        private T last;
        private String json;

        JsonOnce(Function<T, String> write) {
            this.write = write;
        }

        String of(T value) {
            // The same instance is the common case (equals then returns at once); an equal copy is as good.
            if (!seen || !Objects.equals(value, last)) {
                json = write.apply(value);
                last = value;
                seen = true;
            }
            return json;
        }
    }

    private static JobTable.NewJob newJob(
            Principal owner, JobSpec spec, String command, String env, String requiresJson, String filesJson) {
        return new JobTable.NewJob(
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
                spec.checkpointEvery() == null ? null : spec.checkpointEvery().toSeconds(),
                spec.checkpointExitCode(),
                requiresJson,
                spec.secretEnv(),
                filesJson,
                spec.diskBytes(),
                spec.network(),
                spec.gpus());
    }

    /** The contents the job's uploaded inputs name. */
    private static java.util.Set<String> uploads(JobFiles jf) {
        java.util.Set<String> shas = new java.util.HashSet<>();
        for (JobFiles.Input in : jf.inputs()) if (in.link() == null) shas.add(in.sha256());
        return shas;
    }

    /**
     * Every uploaded input must be a content the submitter has uploaded, of the size given; read in
     * the writer, so a collection cannot delete one between this check and the commit. Touched, so
     * the grace period counts from the submit.
     *
     * @throws ApiError 400 naming the first input that is not
     */
    private static void checkUploads(Connection c, String owner, JobFiles jf, String prefix, long now)
            throws SQLException {
        java.util.Set<String> shas = uploads(jf);
        if (shas.isEmpty()) return;
        Map<String, BlobTable.Blob> held = BlobTable.ownedBy(c, shas, owner);
        for (int i = 0; i < jf.inputs().size(); i++) {
            JobFiles.Input in = jf.inputs().get(i);
            if (in.link() != null) continue;
            BlobTable.Blob b = held.get(in.sha256());
            String field = prefix + "files.inputs[" + i + "]";
            if (b == null)
                throw ApiError.badField(
                        field + ".sha256",
                        in.name() + ": its content " + in.sha256()
                                + " was not uploaded (send it with PUT /api/v1/files/SHA256 first)");
            if (b.sizeBytes() != in.size())
                throw ApiError.badField(
                        field + ".size",
                        in.name() + ": the uploaded content is " + b.sizeBytes() + " bytes, not " + in.size());
        }
        BlobTable.touch(c, shas, now);
    }

    /** "3 files, 1.0G: big.dat 1.0G, ...": as many names as an event has room for. */
    private static String inputList(JobFiles jf) {
        long total = 0;
        for (JobFiles.Input in : jf.inputs()) total += Math.max(0, in.size());
        StringBuilder b = new StringBuilder();
        b.append(jf.inputs().size())
                .append(jf.inputs().size() == 1 ? " file, " : " files, ")
                .append(org.cyphon.core.text.Sizes.format(total));
        String sep = ": ";
        for (int i = 0; i < jf.inputs().size(); i++) {
            JobFiles.Input in = jf.inputs().get(i);
            String item = in.name()
                    + (in.link() != null ? " -> " + in.link() : " " + org.cyphon.core.text.Sizes.format(in.size()));
            if (b.length() + sep.length() + item.length() > 960) {
                b.append(" and ").append(jf.inputs().size() - i).append(" more");
                break;
            }
            b.append(sep).append(item);
            sep = ", ";
        }
        return b.length() > 1000 ? b.substring(0, 997) + "..." : b.toString();
    }
}
